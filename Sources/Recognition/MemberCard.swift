public import CommunityModel
public import Foundation

/// A member's identity labels: who they are in the community, for their profile page.
public struct MemberCard: Hashable, Sendable {
    public var member: MemberID
    public var displayName: String
    public var headline: String
    public var country: CountryCode
    public var memberSince: Date
    /// "Chapter organizer, Nairobi", "Alumnus", "Staff": from roles, chapters and journey.
    public var labels: [String]
    /// Badges held and not revoked, by name, each once, in the order first earned.
    public var badges: [String]

    /// The card as Markdown, every string the member or staff wrote escaped.
    public func markdown() -> String {
        let e = MarkdownEscaping.escape
        var lines = ["## \(e(displayName))"]
        if !headline.isEmpty { lines.append(e(headline)) }
        lines.append("")
        lines.append("- \(labels.map(e).joined(separator: " · "))")
        lines.append("- From \(country), member since \(Self.day(memberSince))")
        if !badges.isEmpty { lines.append("- Badges: \(badges.map(e).joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The card as an HTML fragment (an `<article>`), every string escaped.
    public func html() -> String {
        let e = HTMLEscaping.escape
        var parts = ["<article class=\"member-card\">", "<h2 dir=\"auto\">\(e(displayName))</h2>"]
        if !headline.isEmpty { parts.append("<p dir=\"auto\">\(e(headline))</p>") }
        parts.append("<ul class=\"labels\">" + labels.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
        parts.append("<p>From \(e(country.code)), member since \(Self.day(memberSince))</p>")
        if !badges.isEmpty {
            parts.append("<ul class=\"badges\">" + badges.map { "<li dir=\"auto\">\(e($0))</li>" }.joined() + "</ul>")
        }
        parts.append("</article>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func day(_ date: Date) -> String { LocalDate(date, in: .utc).description }
}

extension RecognitionService {
    /// A member's card, as anyone may see it: their public profile, labels from their roles
    /// (staff, community manager, the chapters they organize) and journey (learner, alumnus),
    /// and the badges they hold when they agreed to be featured (`Consent.spotlight`; otherwise
    /// none are listed).
    public func memberCard(of memberID: MemberID) async throws(CommunityError) -> MemberCard {
        let member = try await community.member(memberID)
        var labels: [String] = []
        if member.has(.staff) { labels.append("Staff") }
        if member.has(.communityManager) { labels.append("Community manager") }
        let chapters = try await community.chapters()
        for chapter in chapters.sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) })
        where chapter.organizers.contains(memberID) {
            labels.append("Chapter organizer, \(chapter.name)")
        }
        let journey = Journey(enrolments: try await community.enrolmentRecords(of: memberID))
        switch journey.stage {
        case .alumnus: labels.append("Alumnus")
        case .enrolled: labels.append("Learner")
        case .prospect: labels.append("Member")
        }
        let names = Dictionary(uniqueKeysWithValues: badges.map { ($0.id, $0.name) })
        var held: [String] = []
        for stored in try await awardRecords(of: memberID) where !stored.isRevoked && member.consents(to: .spotlight) {
            let name = names[stored.award.badge] ?? stored.award.badge.rawValue
            if !held.contains(name) { held.append(name) }
        }
        return MemberCard(
            member: memberID, displayName: member.profile.displayName, headline: member.profile.headline,
            country: member.profile.country, memberSince: member.joinedAt, labels: labels, badges: held)
    }
}
