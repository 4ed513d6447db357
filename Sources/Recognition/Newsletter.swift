import CommunityChallenge
public import CommunityModel
public import Foundation
import Leadership
import Storage

/// Who a newsletter is for.
public enum NewsletterAudience: Hashable, Sendable {
    case everyone
    case chapter(ChapterID)
}

/// The monthly newsletter: upcoming events shown in the reader's time zone, achievements
/// (badges, spotlights, organizers who kept their commitments, chapter milestones) and the
/// Community Challenge's news. Rendered as Markdown, as one self-contained HTML page and, for
/// the events, as an iCalendar file. Every string that members or staff wrote is escaped.
///
/// Members are named only when they agreed to be featured (`Consent.spotlight`);
/// the others are counted.
public struct Newsletter: Hashable, Sendable {
    public struct Event: Hashable, Sendable {
        public var entry: CalendarEntry
        public var chapterName: String
        /// "Tue 24 Nov 2026, 18:30" in the reader's time zone.
        public var localStart: String
        public var isVirtual: Bool
    }

    public struct BadgeNews: Hashable, Sendable {
        public var badge: String
        public var tier: BadgeTier?
        /// How many members who agreed to be featured (`Consent.spotlight`) earned it in the month
        /// before the newsletter; the others are neither named nor counted.
        public var count: Int
        /// Their names, sorted.
        public var named: [String]
    }

    public var title: String
    /// The first day of the newsletter's month.
    public var month: LocalDate
    public var audience: NewsletterAudience
    public var readerTimeZone: TimeZoneID
    public var events: [Event]
    public var badges: [BadgeNews]
    /// Display names and reasons.
    public var spotlights: [(name: String, reason: String)]
    /// "Amina (Nairobi)": organizers whose quarter's commitments are met.
    public var organizersKeepingCommitments: [String]
    /// "Nairobi: 120 members".
    public var chapterMilestones: [String]
    /// The challenge's news, when there is any.
    public var challengeNews: [String]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.markdown() == rhs.markdown()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(markdown()) }

    // MARK: Rendering

    /// The newsletter as Markdown.
    public func markdown() -> String {
        let e = MarkdownEscaping.escape
        var lines = ["# \(e(title))", "", "_Times are in \(readerTimeZone)._", ""]
        lines.append("## Upcoming events")
        lines.append(contentsOf: events.isEmpty ? ["", "No events are planned yet."] : [""])
        for event in events {
            lines.append(
                "- **\(e(event.entry.summary))** — \(e(event.chapterName)), \(event.localStart)"
                    + (event.isVirtual ? " (online)" : ""))
        }
        lines.append("")
        lines.append("## Achievements")
        lines.append("")
        if badges.isEmpty && spotlights.isEmpty && organizersKeepingCommitments.isEmpty && chapterMilestones.isEmpty {
            lines.append("Nothing new this month.")
        }
        for news in badges {
            let names = news.named.isEmpty ? "" : ": " + news.named.map(e).joined(separator: ", ")
            lines.append(
                "- \(e(news.badge))\(news.tier.map { " (\($0.rawValue))" } ?? ""): \(news.count) earned\(names)")
        }
        for spotlight in spotlights { lines.append("- Spotlight: **\(e(spotlight.name))**, \(e(spotlight.reason))") }
        if !organizersKeepingCommitments.isEmpty {
            lines.append(
                "- Organizers who kept their commitments: "
                    + organizersKeepingCommitments.map(e).joined(separator: ", "))
        }
        for milestone in chapterMilestones { lines.append("- Chapter milestone: \(e(milestone))") }
        if !challengeNews.isEmpty {
            lines.append("")
            lines.append("## Community Challenge")
            lines.append("")
            for news in challengeNews { lines.append("- \(e(news))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The newsletter as one self-contained HTML page: no script, no outside resource.
    public func html() -> String {
        let e = HTMLEscaping.escape
        var body: [String] = []
        body.append("<h1 dir=\"auto\">\(e(title))</h1>")
        body.append("<p class=\"note\">Times are in \(e(readerTimeZone.identifier)).</p>")
        body.append("<h2>Upcoming events</h2>")
        if events.isEmpty {
            body.append("<p>No events are planned yet.</p>")
        } else {
            body.append("<ul>")
            for event in events {
                body.append(
                    "<li><strong dir=\"auto\">\(e(event.entry.summary))</strong> — <span dir=\"auto\">"
                        + "\(e(event.chapterName))</span>, <time>\(e(event.localStart))</time>"
                        + (event.isVirtual ? " (online)" : "") + "</li>")
            }
            body.append("</ul>")
        }
        body.append("<h2>Achievements</h2>")
        var items: [String] = []
        for news in badges {
            let names =
                news.named.isEmpty
                ? "" : ": " + news.named.map { "<span dir=\"auto\">\(e($0))</span>" }.joined(separator: ", ")
            items.append("\(e(news.badge))\(news.tier.map { " (\($0.rawValue))" } ?? ""): \(news.count) earned\(names)")
        }
        for spotlight in spotlights {
            items.append("Spotlight: <strong dir=\"auto\">\(e(spotlight.name))</strong>, \(e(spotlight.reason))")
        }
        if !organizersKeepingCommitments.isEmpty {
            items.append(
                "Organizers who kept their commitments: "
                    + organizersKeepingCommitments.map { "<span dir=\"auto\">\(e($0))</span>" }.joined(separator: ", "))
        }
        for milestone in chapterMilestones { items.append("Chapter milestone: \(e(milestone))") }
        body.append(
            items.isEmpty
                ? "<p>Nothing new this month.</p>" : "<ul>" + items.map { "<li>\($0)</li>" }.joined() + "</ul>")
        if !challengeNews.isEmpty {
            body.append("<h2>Community Challenge</h2>")
            body.append("<ul>" + challengeNews.map { "<li dir=\"auto\">\(e($0))</li>" }.joined() + "</ul>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>body{font-family:sans-serif;max-width:42em;margin:2em auto;line-height:1.5}.note{color:#555}</style>
            </head><body><main>
            \(body.joined(separator: "\n"))
            </main></body></html>

            """
    }

    /// The upcoming events as an iCalendar file.
    public func calendar(stamp: Date) -> String {
        ICalendar.document(events.map(\.entry), name: title, stamp: stamp)
    }
}

extension RecognitionService {
    /// The newsletter for the month that contains `month`: events from its start to the end of
    /// the next month, badges awarded in the month before, this month's spotlights (as
    /// featured), organizers whose current quarter is met, chapters past a round number of
    /// members, and the challenges' news: the phase of each challenge under way, and the winners
    /// of those announced in the month before or this month (older results are not news), each
    /// winning team by its number and the members who agreed to be featured.
    ///
    /// - Parameters:
    ///   - month: any day of the newsletter's month.
    ///   - audience: everyone, or one chapter's members.
    ///   - readerTimeZone: the time zone the events' times are written in.
    ///   - title: the newsletter's title.
    ///   - eventURL: the page or join link of an event, from the integrator.
    ///   - domain: the domain of the events' calendar UIDs.
    public func newsletter(
        for month: LocalDate, audience: NewsletterAudience, readerTimeZone: TimeZoneID, title: String,
        eventURL: @Sendable (EventID) -> URL?, domain: String
    ) async throws(CommunityError) -> Newsletter {
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        let monthStart = Date(timeIntervalSince1970: Double(first.dayNumber) * 86_400)
        let horizon = Date(timeIntervalSince1970: Double(first.addingMonths(2).dayNumber) * 86_400)
        let previousStart = Date(timeIntervalSince1970: Double(first.addingMonths(-1).dayNumber) * 86_400)
        var chapters = try await community.chapters()
        if case .chapter(let id) = audience {
            chapters = chapters.filter { $0.id == id }
            guard !chapters.isEmpty else { throw .notFound(kind: "chapter", id: id.rawValue) }
        }
        let chapterIDs = Set(chapters.map(\.id))
        // A fixed pattern and locale: the same text on every platform and in every process.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = readerTimeZone.timeZone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
        let format = { (date: Date) in formatter.string(from: date) }
        var events: [Newsletter.Event] = []
        for chapter in chapters.sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) }) {
            for event in try await community.events(of: chapter.id)
            where event.status == .scheduled && event.start >= monthStart && event.start < horizon {
                let isVirtual: Bool = if case .virtual = event.format { true } else { false }
                events.append(
                    Newsletter.Event(
                        entry: CalendarEntry(event, chapter: chapter, joinURL: eventURL(event.id), domain: domain),
                        chapterName: chapter.name, localStart: format(event.start), isVirtual: isVirtual))
            }
        }
        events.sort { ($0.entry.start, $0.entry.uid) < ($1.entry.start, $1.entry.uid) }

        // Badges of the month before, for the audience.
        let stored = try await withCommunityErrors { try await community.store.fetchAll(Self.awards).map(\.value) }
        let audienceChapters: Set<ChapterID>? = if case .chapter = audience { chapterIDs } else { nil }
        var byBadge: [BadgeID: (count: Int, named: [String])] = [:]
        for award in stored
        where !award.isRevoked && award.award.awardedAt >= previousStart
            && award.award.awardedAt < monthStart
        {
            guard try await Self.isMember(award.award.member, of: audienceChapters, in: community),
                let holder = try await Self.existingMember(award.award.member, in: community)
            else {
                continue
            }
            // Only members who agreed to be featured are named or counted: in a small chapter a
            // count alone would name them.
            guard holder.consents(to: .spotlight) else { continue }
            byBadge[award.award.badge, default: (0, [])].count += 1
            byBadge[award.award.badge]?.named.append(holder.profile.displayName)
        }
        let badgeNews = badges.compactMap { badge -> Newsletter.BadgeNews? in
            guard let news = byBadge[badge.id] else { return nil }
            return Newsletter.BadgeNews(
                badge: badge.name, tier: badge.tier, count: news.count, named: news.named.sorted())
        }

        // Spotlights featured for this month.
        let featured = try await withCommunityErrors {
            try await community.store.fetchAll(Self.spotlights).map(\.value).filter { $0.month == first }
        }
        var spotlights: [(name: String, reason: String)] = []
        for pick in featured.sorted(by: { $0.member < $1.member }) {
            guard try await Self.isMember(pick.member, of: audienceChapters, in: community),
                let holder = try await Self.existingMember(pick.member, in: community),
                holder.consents(to: .spotlight)
            else { continue }
            spotlights.append((holder.profile.displayName, pick.reason))
        }

        // Organizers whose quarter is met, and chapters past a round number of members.
        var keeping: [String] = []
        for row in try await community.organizerCompliance() where row.isMet && chapterIDs.contains(row.chapter) {
            guard let organizer = try await Self.existingMember(row.organizer, in: community) else { continue }
            keeping.append(
                organizer.consents(to: .spotlight)
                    ? "\(organizer.profile.displayName) (\(row.chapterName))" : "an organizer of \(row.chapterName)")
        }
        var milestones: [String] = []
        for chapter in chapters.sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) }) {
            var count = 0
            var cursor: String?
            repeat {
                let page = try await community.chapterMemberships(of: chapter.id, after: cursor, limit: 1_000)
                count += page.items.count
                cursor = page.nextCursor
            } while cursor != nil
            if let round = [10_000, 5_000, 1_000, 500, 100, 50].first(where: { count >= $0 }) {
                milestones.append("\(chapter.name): more than \(round) members (\(count))")
            }
        }

        // The challenges' news.
        var challengeNews: [String] = []
        let now = community.clock.now()
        for challenge in try await community.challenges() {
            guard let phase = challenge.phase(at: now) else { continue }
            if phase == .winnersAnnounced, let results = try await community.results(of: challenge.id) {
                guard results.announcedAt >= previousStart else { continue }
                let numbers = Dictionary(
                    try await community.teams(of: challenge.id).map { ($0.id, $0.formed.number) },
                    uniquingKeysWith: min)
                var winners: [String] = []
                for team in results.winners {
                    winners.append(
                        try await Self.teamName(team, number: numbers[team.team], in: community))
                }
                challengeNews.append(
                    "\(challenge.title) (\(challenge.partner.name)): "
                        + (winners.count == 1 ? "the winners are " : "the winning teams are ")
                        + Self.list(winners) + ".")
            } else {
                challengeNews.append("\(challenge.title) with \(challenge.partner.name) is in its \(phase) phase.")
            }
        }
        return Newsletter(
            title: title, month: first, audience: audience, readerTimeZone: readerTimeZone, events: events,
            badges: badgeNews, spotlights: spotlights, organizersKeepingCommitments: keeping.sorted(),
            chapterMilestones: milestones, challengeNews: challengeNews)
    }

    /// A winning team as readers know it: "team 4 (Mei Okafor, João Ahmed and 1 other member)".
    /// Members are named only when they agreed to be featured; former members are counted.
    private static func teamName(_ team: RankedTeam, number: Int?, in community: CommunityService)
        async throws(CommunityError) -> String
    {
        var named: [String] = []
        for id in team.members {
            if let member = try await existingMember(id, in: community), member.consents(to: .spotlight) {
                named.append(member.profile.displayName)
            }
        }
        let others = team.members.count - named.count
        if others > 0 { named.append(others == 1 ? "1 other member" : "\(others) other members") }
        let name = number.map { "team \($0)" } ?? "a team"
        return named.isEmpty ? name : "\(name) (\(list(named)))"
    }

    /// "a", "a and b", "a, b and c".
    private static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }

    /// The member, or nil for a former member.
    private static func existingMember(_ id: MemberID, in community: CommunityService) async throws(CommunityError)
        -> Member?
    {
        do { return try await community.member(id) } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }

    /// Whether the member belongs to one of `chapters` (always true when `chapters` is nil).
    private static func isMember(_ id: MemberID, of chapters: Set<ChapterID>?, in community: CommunityService)
        async throws(CommunityError) -> Bool
    {
        guard let chapters else { return true }
        return try await community.membershipRecords(of: id).contains { chapters.contains($0.chapter) }
    }
}
