public import CommunityModel
import Foundation
import Storage

/// How much a thread drew in a period.
public struct ThreadInsight: Hashable, Sendable {
    public var thread: ThreadID
    public var title: String
    /// The board the thread is on, and its title ("Data Analytics: learners"): threads with the
    /// same title are told apart by where they are.
    public var board: BoardID
    public var boardTitle: String
    public var chapter: ChapterID?
    public var replies: Int
    public var reactions: Int
    /// Members who started, replied to, gave feedback in or reacted in the thread. A removed
    /// post's replies and participants still count here (the removal names the post, not its
    /// thread); its reactions do not.
    public var participants: Int
}

/// How many registrations an event drew in a period.
public struct EventInsight: Hashable, Sendable {
    public var event: EventID
    public var title: String
    public var chapter: ChapterID
    public var start: Date
    /// Registrations and waitlistings made in the period (withdrawn ones included).
    public var registrations: Int
}

/// The conversations and events that drew the most engagement in a period, for leaders.
public struct CommunityInsights: Hashable, Sendable {
    /// The days of the period (the members' local days), first and last included.
    public var period: ClosedRange<LocalDate>
    /// Nil for the whole community.
    public var chapter: ChapterID?
    /// Most engaging first: by participants, then replies, then reactions, then id.
    public var threads: [ThreadInsight]
    /// Most registrations first, then by id.
    public var events: [EventInsight]

    /// The threads as CSV (RFC 4180 quoting; cells that a spreadsheet would run as a formula
    /// are neutralised).
    public var threadsCSV: String {
        CSV.render(
            header: ["thread", "title", "board", "chapter", "participants", "replies", "reactions"],
            rows: threads.map {
                [
                    $0.thread.rawValue, $0.title, $0.boardTitle, $0.chapter?.rawValue ?? "", String($0.participants),
                    String($0.replies), String($0.reactions),
                ]
            }, numberColumns: [4, 5, 6])
    }

    /// The events as CSV.
    public var eventsCSV: String {
        CSV.render(
            header: ["event", "title", "chapter", "start", "registrations"],
            rows: events.map {
                [
                    $0.event.rawValue, $0.title, $0.chapter.rawValue, ISO8601DateFormatter().string(from: $0.start),
                    String($0.registrations),
                ]
            }, numberColumns: [4])
    }
}

/// The tallies behind ``CommunityInsights``, kept up to date from the activity log on a
/// `ProjectionHost`: per local day, per thread, post and event, the replies, reactions,
/// registrations and participants. Only the last ``retentionDays`` days (behind the newest
/// entry's day) are kept, so the state stays the size of that window however long the log.
public struct InsightsProjection: ActivityProjection, Equatable {
    public let checkpointName: String
    /// Days kept behind the newest entry's day.
    public var retentionDays: Int { window.retentionDays }
    public var configuration: String { "insights (state 2) retention \(retentionDays)" }
    public private(set) var position: UInt64 = 0

    struct Tally: Codable, Hashable, Sendable {
        var chapter: String?
        var replies = 0
        var reactions = 0
        var registrations = 0
        var participants: Set<String> = []
    }

    /// By local day number, by subject (as `SubjectRef` stores it).
    var window: DayWindow<[String: Tally]>

    /// The greatest retention: ten years.
    public static var maximumRetentionDays: Int { DayWindow<[String: Tally]>.maximumRetentionDays }

    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a retention outside 7 days
    ///   to ``maximumRetentionDays``.
    public init(retentionDays: Int = 400, checkpointName: String = "insights") throws(CommunityError) {
        window = try DayWindow(retentionDays: retentionDays, minimum: 7, keeping: "activity for insights")
        self.checkpointName = checkpointName
    }

    /// The first day the projection still holds.
    public var firstRetainedDay: LocalDate? { window.firstRetainedDay }

    ///
    /// - Complexity: O(1) amortized per entry (O(retained days) when the newest day moves).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        if event.kind == .memberErased {
            // Counts stay (they tell no one apart); the member leaves every set of participants.
            let member = event.member.rawValue
            for (day, subjects) in window.days {
                for (subject, tally) in subjects where tally.participants.contains(member) {
                    window.days[day]?[subject]?.participants.remove(member)
                }
            }
            return
        }
        let day = Int32(clamping: event.localDate.dayNumber)
        window.see(day)
        guard let subject = event.subject?.rawValue, window.keeps(day) else { return }
        // A withdrawn or removed reaction is taken back on the day it was counted.
        if event.reverses != nil {
            if event.details.reversedKind == .reacted, let reversedDay = event.details.reversedDay {
                let counted = Int32(clamping: reversedDay.dayNumber)
                if let reactions = window.days[counted]?[subject]?.reactions, reactions > 0 {
                    window.days[counted]?[subject]?.reactions = reactions - 1
                }
            }
            return
        }
        let chapter = event.chapter?.rawValue
        switch event.kind {
        case .startedThread, .askedQuestion:
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].participants.insert(
                event.member.rawValue)
        case .replied, .answered:
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].replies += 1
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].participants.insert(
                event.member.rawValue)
        case .reacted:
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].reactions += 1
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].participants.insert(
                event.member.rawValue)
        case .gaveFeedback:
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].participants.insert(
                event.member.rawValue)
        case .registeredForEvent, .waitlistedForEvent:
            window.days[day, default: [:]][subject, default: Tally(chapter: chapter)].registrations += 1
        default: break
        }
    }

    /// The tallies of the days from `first` through `last`, in `chapter` (nil for all), summed
    /// per subject.
    func tallies(from first: LocalDate, through last: LocalDate, chapter: ChapterID?) -> [String: Tally] {
        var sums: [String: Tally] = [:]
        for (_, subjects) in window.days(from: first, through: last) {
            for (subject, tally) in subjects where chapter == nil || tally.chapter == chapter?.rawValue {
                var sum = sums[subject] ?? Tally(chapter: tally.chapter)
                sum.replies += tally.replies
                sum.reactions += tally.reactions
                sum.registrations += tally.registrations
                sum.participants.formUnion(tally.participants)
                sums[subject] = sum
            }
        }
        return sums
    }

    public func encodeState(into writer: inout BinaryWriter) {
        // A window that cannot be written leaves the state empty: restoring it fails, and the
        // projection is built again from the log.
        try? writer.record(window)
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        window = try reader.rest(as: DayWindow<[String: Tally]>.self)
        self.position = position
    }
}

extension LeadershipService {
    /// The threads and events that drew the most engagement from day `first` through day
    /// `last` (the members' local days), in one chapter or (chapter nil) the whole community,
    /// at most `limit` of each, as `readerID` may see them: only threads on boards the reader
    /// may read (staff read every board; events are public). Answered from the hosted
    /// ``InsightsProjection``, brought up to the head of the log first.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` when `last` is before `first`,
    ///   or `first` is before the days the projection keeps (see
    ///   ``InsightsProjection/retentionDays``); `CommunityError.notFound(kind:id:)` for an
    ///   unknown chapter.
    public func insights(
        from first: LocalDate, through last: LocalDate, chapter: ChapterID? = nil, limit: Int = 10,
        by readerID: MemberID
    ) async throws(CommunityError) -> CommunityInsights {
        guard first <= last else {
            throw .invalidInput(
                field: "period", reason: "the period must not end before it starts (\(first) … \(last))")
        }
        try Validate.limit(limit)
        try await refresh()
        let projection =
            await host.state(of: InsightsProjection.self, named: insightsPrototype.checkpointName)
            ?? insightsPrototype
        try projection.window.require(from: first, keeping: "activity for insights")
        let store = community.store
        let readable = Set(try await community.boards(visibleTo: readerID, by: readerID).map(\.board.id))
        let tallies = projection.tallies(from: first, through: last, chapter: chapter)
        return try await withCommunityErrors {
            if let chapter {
                _ = try await community.lookup(chapter.rawValue, in: Collections.chapters, kind: "chapter")
            }
            var threadActivity: [ThreadID: InsightsProjection.Tally] = [:]
            var registrations: [EventID: Int] = [:]
            for (subject, tally) in tallies {
                switch Subject(rawValue: subject) {
                case .thread(let thread):
                    threadActivity[thread, default: .init()].replies += tally.replies
                    threadActivity[thread, default: .init()].participants.formUnion(tally.participants)
                case .post(let postID):
                    // Reactions and feedback name a post; find its thread.
                    guard let post = try await store.fetch(postID.rawValue, from: Collections.posts)?.value else {
                        continue
                    }
                    threadActivity[post.thread, default: .init()].reactions += tally.reactions
                    threadActivity[post.thread, default: .init()].participants.formUnion(tally.participants)
                case .event(let eventID):
                    if tally.registrations > 0 { registrations[eventID, default: 0] += tally.registrations }
                default: continue
                }
            }
            var threads: [ThreadInsight] = []
            for (id, activity) in threadActivity {
                guard let thread = try await store.fetch(id.rawValue, from: Collections.threads)?.value,
                    readable.contains(thread.board)
                else { continue }
                let board = try await store.fetch(thread.board.rawValue, from: Collections.boards)?.value
                threads.append(
                    ThreadInsight(
                        thread: id, title: thread.title, board: thread.board,
                        boardTitle: board?.title ?? thread.board.rawValue, chapter: board?.chapter,
                        replies: activity.replies,
                        reactions: activity.reactions, participants: activity.participants.count))
            }
            threads.sort {
                ($0.participants, $0.replies, $0.reactions, $1.thread) > (
                    $1.participants, $1.replies, $1.reactions, $0.thread
                )
            }
            var events: [EventInsight] = []
            for (id, count) in registrations {
                guard let event = try await store.fetch(id.rawValue, from: Collections.events)?.value else { continue }
                events.append(
                    EventInsight(
                        event: id, title: event.title, chapter: event.chapter, start: event.start, registrations: count)
                )
            }
            events.sort { ($0.registrations, $1.event) > ($1.registrations, $0.event) }
            return CommunityInsights(
                period: first...last, chapter: chapter, threads: Array(threads.prefix(limit)),
                events: Array(events.prefix(limit)))
        }
    }
}
