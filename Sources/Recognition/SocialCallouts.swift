public import CommunityModel
import Foundation
public import Guidelines

/// Why a social post calls a member out.
public enum CalloutOccasion: Hashable, Sendable {
    /// Thanks for something they did ("hosting the Nairobi meetup").
    case thanks(for: String)
    /// Congratulations on something they achieved ("winning the Clean Water Challenge").
    case celebration(of: String)
}

/// A draft post and the content checker's verdict on it.
public struct SocialCallout: Hashable, Sendable {
    public var text: String
    public var channel: ContentChannel
    /// The check of ``text``: `passes` is true when no error is left.
    public var check: ContentCheck
}

/// Drafts posts that thank or celebrate members and pass the guidelines' content checker for
/// the target channel: the attribution where the channel needs it, the hashtags of the
/// campaigns running that day, the brand written right (the checker's fixes are applied), and
/// the channel's length (the occasion's words are shortened, never the name or the attribution).
public struct CalloutWriter: Sendable {
    public let guidelines: GuidelineDocument
    private let checker: ContentChecker

    public init(guidelines: GuidelineDocument) throws(CommunityError) {
        self.guidelines = guidelines
        checker = try ContentChecker(document: guidelines)
    }

    /// A post for `channel` on `day` about `member`, by the name they chose to show; nil unless
    /// they agreed to be featured (`Consent.spotlight`). Prefer it to
    /// ``draft(_:memberName:channel:on:)``, which cannot check consent.
    public func draft(_ occasion: CalloutOccasion, about member: Member, channel: ContentChannel, on day: LocalDate)
        -> SocialCallout?
    {
        guard member.consents(to: .spotlight) else { return nil }
        return draft(occasion, memberName: member.profile.displayName, channel: channel, on: day)
    }

    /// A post for `channel` on `day` about `memberName` (the name they chose to show). The
    /// caller checks that the member agreed to be featured.
    public func draft(_ occasion: CalloutOccasion, memberName: String, channel: ContentChannel, on day: LocalDate)
        -> SocialCallout
    {
        let name = memberName.trimmingCharacters(in: .whitespacesAndNewlines)
        var what: String
        switch occasion {
        case .thanks(let deed): what = deed.trimmingCharacters(in: .whitespacesAndNewlines)
        case .celebration(let achievement): what = achievement.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var tail: [String] = []
        if case .socialPost = channel {
            tail += guidelines.campaigns.filter { $0.isRunning(on: day) }.map(\.hashtag).sorted()
        }
        if guidelines.attribution.requiredOn.contains(channel) { tail.append(guidelines.attribution.wording) }
        var attempt = 0
        while true {
            let sentence: String =
                switch occasion {
                case .thanks: "Thank you, \(name), for \(what)!"
                case .celebration: "Congratulations to \(name) on \(what)!"
                }
            let draft = ([sentence] + tail).joined(separator: " ")
            let (text, report) = checker.fixing(draft, for: channel, on: day)
            let tooLong = report.findings.contains { $0.rule == .tooLong }
            if !tooLong || what.isEmpty || attempt > 64 {
                return SocialCallout(text: text, channel: channel, check: report)
            }
            // Shorten the occasion's words by a tenth (at least one character) and try again.
            let keep = max(0, what.count - max(1, what.count / 10) - 1)
            what = String(what.prefix(keep)).trimmingCharacters(in: .whitespaces) + "…"
            attempt += 1
        }
    }
}
