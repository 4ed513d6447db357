import CommunityModel

extension GuidelineDocument {
    /// The guidelines as Markdown for leaders to read: goals, roles, attribution, logo, channels
    /// and campaigns, style rules and examples. Text from the document is escaped so that it
    /// reads as written (a `*` in a phrase stays a `*`).
    public func markdown() -> String {
        var lines: [String] = []
        func section(_ title: String) { lines += ["", "## \(title)", ""] }
        func bullet(_ text: String) { lines.append("- \(Self.escape(text))") }

        lines.append("# \(Self.escape(title)) (version \(version))")
        section("Goals")
        goals.forEach(bullet)
        section("Objectives")
        objectives.forEach(bullet)

        section("Roles")
        for guide in roles {
            lines.append("### \(Self.escape(guide.publicTitle))")
            lines.append("")
            lines.append(Self.escape(guide.description))
            lines.append("")
            lines.append("Refer to the role as “\(Self.escape(guide.publicTitle))”.")
            lines.append("")
        }

        section("Attribution")
        lines.append("Every \(attribution.requiredOn.map(\.description).joined(separator: ", ")) ends with:")
        lines.append("")
        lines.append("> \(Self.escape(attribution.wording))")

        section("Logo")
        lines.append(Self.escape(logo.usage))
        lines.append("")
        lines.append(
            "Who may use it, with written permission: \(logo.permittedRoles.map(\.rawValue).joined(separator: ", ")). "
                + Self.escape(logo.howToAsk))

        section("Official channels")
        for channel in socialChannels {
            bullet("\(channel.network): \(channel.handle) (\(channel.url))")
        }
        if !campaigns.isEmpty {
            section("Campaigns")
            for campaign in campaigns.sorted(by: { $0.starts < $1.starts }) {
                bullet("\(campaign.name): \(campaign.hashtag), \(campaign.starts) to \(campaign.ends)")
            }
        }

        section("Style")
        for brand in style.brandNames {
            let wrong = brand.misspellings.map { "not “\($0)”" }.joined(separator: ", ")
            bullet("Write “\(brand.canonical)”" + (wrong.isEmpty ? "" : " (\(wrong))") + ".")
        }
        for phrase in style.bannedPhrases {
            let instead = phrase.replacement.map { "; say “\($0)”" } ?? ""
            bullet("Avoid “\(phrase.phrase)”: \(phrase.reason)\(instead)")
        }
        style.toneNotes.forEach(bullet)
        bullet("Link only to \(allowedLinkDomains.sorted().joined(separator: ", ")) and their subdomains.")
        for limit in channelLimits {
            bullet(
                "A \(limit.channel) holds at most \(limit.maximumLength) \(limit.unit == .characters ? "characters" : "UTF-16 units")."
            )
        }

        if !examples.isEmpty {
            section("Examples")
            for example in examples {
                lines.append("### \(Self.escape(example.title)) (\(example.channel))")
                lines.append("")
                lines += example.text.split(separator: "\n", omittingEmptySubsequences: false).map {
                    "> \(Self.escape(String($0)))"
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n").trimmingTrailingNewlines() + "\n"
    }

    /// Backslash-escapes the characters Markdown would read as formatting.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\`*_{}[]<>#|!".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
