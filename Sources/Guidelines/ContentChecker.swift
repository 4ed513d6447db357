public import CommunityModel

/// The rule a finding comes from.
public enum ContentRule: String, Hashable, Sendable, Codable, CaseIterable {
    case attributionMissing
    case attributionWrong
    case brandName
    case campaignHashtagMissing
    case campaignHashtagOutsideCampaign
    case logoWithoutPermission
    case bannedPhrase
    case linkOutsideAllowedDomains
    case tooLong
}

/// How much a finding matters: errors must be fixed before publishing.
public enum FindingSeverity: String, Hashable, Sendable, Codable, Comparable {
    case warning, error

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .warning && rhs == .error }
}

/// One problem in a draft: which rule, where, why, and a fix when one can be made without a
/// person (otherwise `advice` says what to do).
public struct ContentFinding: Hashable, Sendable {
    public var rule: ContentRule
    public var severity: FindingSeverity
    /// The exact characters concerned, in the checked draft; empty (at the end) for
    /// something missing.
    public var range: Range<String.Index>
    /// The same range in UTF-16 code units, for editors and browsers.
    public var utf16Range: Range<Int>
    public var message: String
    /// The text that replaces `range` to fix it.
    public var replacement: String?
    /// What to do when there is no automatic fix.
    public var advice: String?

    /// Whether applying ``replacement`` fixes the finding.
    public var hasFix: Bool { replacement != nil }
}

/// Who is writing, for the rules that depend on it.
public struct ContentContext: Hashable, Sendable {
    /// Whether the author holds written permission to use the logo.
    public var hasLogoPermission: Bool

    public init(hasLogoPermission: Bool = false) { self.hasLogoPermission = hasLogoPermission }
}

/// A checked draft: the findings in text order, and the verdict.
public struct ContentCheck: Hashable, Sendable {
    public var draft: String
    public var channel: ContentChannel
    public var findings: [ContentFinding]

    /// True when no finding is an error.
    public var passes: Bool { !findings.contains { $0.severity == .error } }
}

/// Checks drafts against a ``GuidelineDocument``: attribution, brand spelling and casing,
/// campaign hashtags, logo claims, banned phrases, links and length, each finding with its
/// exact range and, where a machine can make it, the fix.
///
/// Phrases are matched as whole words, case-insensitively, through an index from each
/// phrase's first word, so a draft is read once however many rules there are.
public struct ContentChecker: Sendable {
    public let document: GuidelineDocument

    private enum PhraseKind: Sendable {
        case banned(BannedPhrase)
        case misspelling(BrandName)
        case logoClaim
    }

    private struct Phrase: Sendable {
        var words: [String]
        var kind: PhraseKind
    }

    /// Phrases by their first word.
    private let phrases: [String: [Phrase]]
    /// Each brand name's words joined, lowercased ("brightpath"), for spacing and casing.
    private let brandKeys: [(key: String, brand: BrandName)]
    private let longestBrand: Int
    private let attributionWords: [String]

    /// - Throws: the document's ``GuidelineDocument/validate()`` error.
    public init(document: GuidelineDocument) throws(CommunityError) {
        try document.validate()
        self.document = document
        var phrases: [String: [Phrase]] = [:]
        func add(_ text: String, _ kind: PhraseKind) {
            let words = ContentText.words(in: text)
            if let first = words.first { phrases[first, default: []].append(Phrase(words: words, kind: kind)) }
        }
        for banned in document.style.bannedPhrases { add(banned.phrase, .banned(banned)) }
        for brand in document.style.brandNames {
            for misspelling in brand.misspellings { add(misspelling, .misspelling(brand)) }
        }
        for claim in document.logo.claimPhrases { add(claim, .logoClaim) }
        // Longer phrases first, so "world class" wins over "world" where both are rules.
        self.phrases = phrases.mapValues { $0.sorted { $0.words.count > $1.words.count } }
        brandKeys = document.style.brandNames.map { (ContentText.words(in: $0.canonical).joined(), $0) }
        longestBrand = document.style.brandNames.map { ContentText.words(in: $0.canonical).count }.max() ?? 1
        attributionWords = ContentText.words(in: document.attribution.wording)
    }

    /// Checks a draft for a channel on a day (campaigns run by day).
    public func check(
        _ draft: String, for channel: ContentChannel, on day: LocalDate, context: ContentContext = ContentContext()
    ) -> ContentCheck {
        let text = ContentText(draft)
        var findings: [ContentFinding] = []
        func add(
            _ rule: ContentRule, _ severity: FindingSeverity, _ range: Range<String.Index>, _ message: String,
            replacement: String? = nil, advice: String? = nil
        ) {
            let utf16 = draft.utf16
            let lower = utf16.distance(from: utf16.startIndex, to: range.lowerBound)
            let upper = lower + utf16.distance(from: range.lowerBound, to: range.upperBound)
            findings.append(
                ContentFinding(
                    rule: rule, severity: severity, range: range, utf16Range: lower..<upper, message: message,
                    replacement: replacement, advice: advice))
        }

        // Words inside the attribution and inside links are not prose: other rules skip them.
        let links = LinkScanner.links(in: draft)
        let attribution = checkAttribution(text, channel: channel, add: add)
        let protected = links.map(\.range) + (attribution.map { [$0] } ?? [])
        checkPhrases(text, context: context, skipping: protected, add: add)
        checkBrandNames(text, skipping: protected, add: add)
        checkHashtags(draft, channel: channel, on: day, add: add)
        checkLinks(links, add: add)
        checkLength(draft, channel: channel, add: add)

        // A listed misspelling is also one edit from the name: report it once.
        var seen = Set<String>()
        findings = findings.filter { seen.insert("\($0.rule)|\($0.utf16Range)").inserted }
        findings.sort {
            ($0.range.lowerBound, $0.range.upperBound, $0.rule.rawValue)
                < ($1.range.lowerBound, $1.range.upperBound, $1.rule.rawValue)
        }
        return ContentCheck(draft: draft, channel: channel, findings: findings)
    }

    /// Where the rules report a finding: rule, severity, range, message, fix, advice.
    private typealias FindingSink = (ContentRule, FindingSeverity, Range<String.Index>, String, String?, String?) ->
        Void

    /// Returns the range of a correct or corrected attribution, which other rules leave alone.
    private func checkAttribution(
        _ text: ContentText, channel: ContentChannel,
        add: FindingSink
    ) -> Range<String.Index>? {
        let wording = document.attribution.wording
        for index in text.words.indices {
            guard let range = text.match(attributionWords, at: index) else { continue }
            if text.text[range] == wording { return range }
            add(
                .attributionWrong, .error, range, "The attribution must read exactly “\(wording)”.", wording, nil)
            return range
        }
        guard document.attribution.requiredOn.contains(channel) else { return nil }
        let end = text.text.endIndex
        let separator = text.text.isEmpty || text.text.last?.isNewline == true ? "" : "\n\n"
        add(
            .attributionMissing, .error, end..<end, "Every \(channel) must credit the school: “\(wording)”.",
            separator + wording, nil)
        return nil
    }

    private func checkPhrases(
        _ text: ContentText, context: ContentContext, skipping protected: [Range<String.Index>],
        add: FindingSink
    ) {
        var index = 0
        while index < text.words.count {
            var matched = 1
            for phrase in phrases[text.words[index].folded] ?? [] {
                guard let range = text.match(phrase.words, at: index) else { continue }
                if protected.contains(where: range.overlaps) { continue }
                let found = String(text.text[range])
                switch phrase.kind {
                case .banned(let banned):
                    add(
                        .bannedPhrase, .error, range, "“\(found)” is not used in our community: \(banned.reason)",
                        banned.replacement,
                        banned.replacement == nil ? "Rewrite the sentence without “\(found)”." : nil)
                case .misspelling(let brand):
                    add(
                        .brandName, .warning, range, "“\(found)” misspells the brand: write “\(brand.canonical)”.",
                        brand.canonical, nil)
                case .logoClaim:
                    guard !context.hasLogoPermission else { continue }
                    add(
                        .logoWithoutPermission, .error, range,
                        "“\(found)” claims use of the logo, which needs written permission.", nil,
                        document.logo.howToAsk)
                }
                matched = phrase.words.count
                break
            }
            index += matched
        }
    }

    /// Brand names written with the wrong case or spacing ("brightpath", "Bright Path"), and
    /// one-letter slips in long names ("Brigthpath").
    private func checkBrandNames(
        _ text: ContentText, skipping protected: [Range<String.Index>],
        add: FindingSink
    ) {
        var index = 0
        while index < text.words.count {
            var consumed = 1
            search: for length in stride(from: min(longestBrand + 1, text.words.count - index), through: 1, by: -1) {
                if length > 1, !(index..<index + length - 1).allSatisfy(text.isJoined) { continue }
                let joined = text.words[index..<index + length].map(\.folded).joined()
                let range = text.words[index].range.lowerBound..<text.words[index + length - 1].range.upperBound
                for (key, brand) in brandKeys {
                    let isSlip = length == 1 && key.count >= 6 && Self.isOneEditApart(joined, key)
                    guard joined == key || isSlip else { continue }
                    consumed = length
                    if protected.contains(where: range.overlaps) { break search }
                    let found = String(text.text[range])
                    if found != brand.canonical {
                        add(
                            .brandName, .warning, range, "Write the brand as “\(brand.canonical)”, not “\(found)”.",
                            brand.canonical, nil)
                    }
                    break search
                }
            }
            index += consumed
        }
    }

    /// True when one insertion, deletion, substitution or swap of neighbours turns `a` into `b`.
    static func isOneEditApart(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a), Array(b))
        guard x != y, abs(x.count - y.count) <= 1 else { return false }
        var prefix = 0
        while prefix < min(x.count, y.count), x[prefix] == y[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(x.count, y.count) - prefix, x[x.count - 1 - suffix] == y[y.count - 1 - suffix] {
            suffix += 1
        }
        if x.count != y.count { return prefix + suffix >= min(x.count, y.count) }
        let differing = x.count - prefix - suffix
        if differing == 1 { return true }
        return differing == 2 && x[prefix] == y[prefix + 1] && x[prefix + 1] == y[prefix]
    }

    private func checkHashtags(
        _ draft: String, channel: ContentChannel, on day: LocalDate,
        add: FindingSink
    ) {
        let tags = Self.hashtags(in: draft)
        for campaign in document.campaigns.sorted(by: { ($0.starts, $0.hashtag) < ($1.starts, $1.hashtag) }) {
            let folded = campaign.hashtag.lowercased()
            let uses = tags.filter { $0.folded == folded }
            if campaign.isRunning(on: day) {
                guard case .socialPost = channel, uses.isEmpty else { continue }
                let end = draft.endIndex
                let separator = draft.isEmpty || draft.last?.isWhitespace == true ? "" : " "
                add(
                    .campaignHashtagMissing, .warning, end..<end,
                    "\(campaign.name) runs until \(campaign.ends): add \(campaign.hashtag).",
                    separator + campaign.hashtag, nil)
            } else {
                for use in uses {
                    // The fix removes the tag and the space before it.
                    var start = use.range.lowerBound
                    if start > draft.startIndex, draft[draft.index(before: start)] == " " {
                        start = draft.index(before: start)
                    }
                    add(
                        .campaignHashtagOutsideCampaign, .error, start..<use.range.upperBound,
                        "\(campaign.hashtag) belongs to \(campaign.name) (\(campaign.starts) to \(campaign.ends)), "
                            + "which is not running on \(day).", "", nil)
                }
            }
        }
    }

    /// `#` followed by a word, at the start of a word.
    static func hashtags(in draft: String) -> [(range: Range<String.Index>, folded: String)] {
        var tags: [(range: Range<String.Index>, folded: String)] = []
        var index = draft.startIndex
        while index < draft.endIndex {
            let next = draft.index(after: index)
            let atStart = index == draft.startIndex || !ContentText.isWordCharacter(draft[draft.index(before: index)])
            if draft[index] == "#", atStart, next < draft.endIndex, ContentText.isWordCharacter(draft[next]) {
                var end = next
                while end < draft.endIndex, ContentText.isWordCharacter(draft[end]) { end = draft.index(after: end) }
                tags.append((index..<end, draft[index..<end].lowercased()))
                index = end
                continue
            }
            index = next
        }
        return tags
    }

    private func checkLinks(
        _ links: [LinkScanner.Link],
        add: FindingSink
    ) {
        let domains = document.allowedLinkDomains.sorted()
        for link in links where !domains.contains(where: { LinkScanner.host(link.host, isWithin: $0) }) {
            let host = link.host.isEmpty ? "no host" : link.host
            add(
                .linkOutsideAllowedDomains, .error, link.range,
                "This link goes to \(host), outside the allowed domains.",
                nil, "Link only to \(domains.joined(separator: ", ")) or their subdomains.")
        }
    }

    private func checkLength(
        _ draft: String, channel: ContentChannel,
        add: FindingSink
    ) {
        guard let limit = document.limit(of: channel) else { return }
        let (length, cut): (Int, String.Index?)
        switch limit.unit {
        case .characters:
            length = draft.count
            cut = draft.index(draft.startIndex, offsetBy: limit.maximumLength, limitedBy: draft.endIndex)
        case .utf16:
            length = draft.utf16.count
            // The first character that does not fit whole.
            var index = draft.startIndex
            var used = 0
            while index < draft.endIndex {
                let next = draft.index(after: index)
                used += draft.utf16.distance(from: index, to: next)
                if used > limit.maximumLength { break }
                index = next
            }
            cut = index
        }
        guard length > limit.maximumLength, let cut else { return }
        let unit = limit.unit == .characters ? "characters" : "UTF-16 code units"
        add(
            .tooLong, .error, cut..<draft.endIndex,
            "This \(channel) may hold \(limit.maximumLength) \(unit); the draft has \(length).", nil,
            "Shorten it by \(length - limit.maximumLength) \(unit).")
    }

    /// Applies every suggested fix, re-checking until none is left to apply (fixes that
    /// overlap are applied in turn), and reports what remains.
    public func fixing(
        _ draft: String, for channel: ContentChannel, on day: LocalDate, context: ContentContext = ContentContext()
    ) -> (text: String, report: ContentCheck) {
        var text = draft
        var report = check(text, for: channel, on: day, context: context)
        for _ in 0..<8 {
            let fixes = report.findings.filter(\.hasFix)
            guard !fixes.isEmpty else { break }
            text = Self.apply(fixes, to: text)
            report = check(text, for: channel, on: day, context: context)
        }
        return (text, report)
    }

    /// Applies the fixes that touch no fix already taken (ranges that meet or overlap wait for
    /// the next round), building the result in one pass from the original text.
    static func apply(_ fixes: [ContentFinding], to draft: String) -> String {
        var taken: [ContentFinding] = []
        for fix in fixes where fix.replacement != nil {
            let clashes = taken.contains {
                $0.range.lowerBound <= fix.range.upperBound && fix.range.lowerBound <= $0.range.upperBound
            }
            if !clashes { taken.append(fix) }
        }
        taken.sort { $0.range.lowerBound < $1.range.lowerBound }
        var text = ""
        var cursor = draft.startIndex
        for fix in taken {
            text += draft[cursor..<fix.range.lowerBound]
            text += fix.replacement ?? ""
            cursor = fix.range.upperBound
        }
        text += draft[cursor...]
        return text
    }
}
