public import CommunityModel
import Foundation
import Storage

/// A calendar quarter: January–March is Q1.
public struct Quarter: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1…4.
    public var number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// The quarter `date` falls in.
    public init(containing date: LocalDate) {
        self.init(year: date.year, number: (date.month - 1) / 3 + 1)
    }

    public var firstDay: LocalDate { .firstOfMonth(year: year, month: firstMonth) }

    public var lastDay: LocalDate { .lastOfMonth(year: year, month: firstMonth + 2) }

    /// The quarter's first month, counted from January of `year` (past 1…12 for a number outside
    /// 1…4, as ``LocalDate/firstOfMonth(year:month:)`` reads it); a number far outside any
    /// supported year is held at ±3,000,000 months, which that function clamps to the supported years.
    private var firstMonth: Int { (min(max(number, -1_000_000), 1_000_000) - 1) * 3 + 1 }

    /// From the first day's midnight to the next quarter's, in `timeZone`.
    public func interval(in timeZone: TimeZoneID) -> Range<Date> {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.timeZone
        func midnight(_ day: LocalDate) -> Date {
            calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? .distantPast
        }
        return midnight(firstDay)..<midnight(lastDay.adding(days: 1))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.number) < (rhs.year, rhs.number) }

    /// `2026-Q1`.
    public var description: String { "\(year)-Q\(number)" }
}

/// What an organizer owes their chapter each quarter.
public struct OrganizerDuties: Hashable, Sendable, Codable {
    /// Events held (not cancelled) in the quarter, organized by them.
    public var eventsPerQuarter: Int
    /// Threads, questions, replies and answers on the chapter's public board in the quarter.
    public var postsPerQuarter: Int

    public init(eventsPerQuarter: Int = 1, postsPerQuarter: Int = 3) {
        self.eventsPerQuarter = eventsPerQuarter
        self.postsPerQuarter = postsPerQuarter
    }
}

/// One organizer's quarter: what they did, what they still owe, and how long is left.
public struct OrganizerCompliance: Hashable, Sendable {
    public var chapter: ChapterID
    public var chapterName: String
    public var organizer: MemberID
    /// The quarter in the chapter's time zone.
    public var quarter: Quarter
    public var eventsHeld: Int
    public var eventsOwed: Int
    public var posts: Int
    public var postsOwed: Int
    /// Whole days after today (in the chapter's time zone) until the quarter ends; 0 on its last day.
    public var daysLeft: Int

    /// Whether every duty of the quarter is met.
    public var isMet: Bool { eventsOwed == 0 && postsOwed == 0 }
}

extension CommunityService {
    /// Every chapter's organizers with their duties for the current quarter, computed in each
    /// chapter's own time zone: events they organized that are held in the quarter (cancelled
    /// ones do not count), and their posts on the chapter's public board. Ordered by chapter name,
    /// then organizer. For staff and community managers.
    public func complianceReport(duties: OrganizerDuties = OrganizerDuties(), by staffID: MemberID)
        async throws(CommunityError) -> [OrganizerCompliance]
    {
        try await authorize(.staff, by: staffID, to: "read the compliance report")
        return try await organizerCompliance(duties: duties)
    }

    /// The compliance report, unchecked: for the library's own modules (the newsletter thanks
    /// the organizers who met their duties).
    package func organizerCompliance(duties: OrganizerDuties = OrganizerDuties()) async throws(CommunityError)
        -> [OrganizerCompliance]
    {
        guard (0...100).contains(duties.eventsPerQuarter), (0...1_000).contains(duties.postsPerQuarter) else {
            throw .invalidInput(
                field: "duties", reason: "owe 0…100 events and 0…1,000 posts a quarter, not \(duties)")
        }
        let now = clock.now()
        return try await query {
            var rows: [OrganizerCompliance] = []
            for chapter in try await store.fetchAll(Collections.chapters).map(\.value).sorted(by: {
                ($0.name, $0.id) < ($1.name, $1.id)
            }) where !chapter.organizers.isEmpty {
                let today = LocalDate(now, in: chapter.timeZone)
                let quarter = Quarter(containing: today)
                let interval = quarter.interval(in: chapter.timeZone)
                let events = try await store.fetchAll(
                    Collections.events, where: IndexQuery("chapter", equals: chapter.id.rawValue)
                ).map(\.value).filter { $0.status != .cancelled && interval.contains($0.start) }
                for organizer in chapter.organizers.sorted() {
                    let held = events.filter { $0.createdBy == organizer }.count
                    let posts = try await store.allEntries(
                        matching: .stream(ActivityEvent.stream(of: organizer)),
                        in: Timestamp(interval.lowerBound)..<Timestamp(interval.upperBound)
                    ).map { try ActivityEvent($0.entry) }.filter {
                        $0.board == chapter.publicBoard
                            && [.startedThread, .askedQuestion, .replied, .answered].contains($0.kind)
                    }.count
                    rows.append(
                        OrganizerCompliance(
                            chapter: chapter.id, chapterName: chapter.name, organizer: organizer, quarter: quarter,
                            eventsHeld: held, eventsOwed: max(0, duties.eventsPerQuarter - held), posts: posts,
                            postsOwed: max(0, duties.postsPerQuarter - posts),
                            daysLeft: quarter.lastDay.dayNumber - today.dayNumber))
                }
            }
            return rows
        }
    }
}
