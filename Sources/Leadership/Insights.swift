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
    /// Members who started, replied to, gave feedback in or reacted in the thread.
    public var participants: Int
}

/// How many registrations an event drew in a period.
public struct EventInsight: Hashable, Sendable {
    public var event: EventID
    public var title: String
    public var chapter: ChapterID
    public var start: Date
    /// Registrations and waitlistings made in the period.
    public var registrations: Int
}

/// The conversations and events that drew the most engagement in a period, for leaders.
public struct CommunityInsights: Hashable, Sendable {
    public var period: Range<Date>
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
            })
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
            })
    }
}

extension CommunityService {
    /// The threads and events that drew the most engagement between `start` and `end`, in one
    /// chapter or (chapter nil) the whole community, at most `limit` of each.
    ///
    /// Reads the activity log of the period: replies, answers, feedback and reactions for
    /// threads; registrations and waitlistings for events.
    public func insights(from start: Date, to end: Date, chapter: ChapterID? = nil, limit: Int = 10)
        async throws(CommunityError) -> CommunityInsights
    {
        guard start < end else {
            throw .invalidInput(field: "period", reason: "the period must end after it starts (\(start) … \(end))")
        }
        try Validate.limit(limit)
        let range = Timestamp(start)..<Timestamp(end)
        return try await query {
            if let chapter { _ = try await lookup(chapter.rawValue, in: Collections.chapters, kind: "chapter") }
            var threadActivity: [ThreadID: (replies: Int, reactions: Int, participants: Set<MemberID>)] = [:]
            /// Per post: who reacted (each reaction counts) and who gave feedback (a participant).
            var postActivity: [PostID: (reactors: [MemberID], feedback: [MemberID])] = [:]
            var registrations: [EventID: Int] = [:]
            var cursor: UInt64 = 0
            while true {
                let page = try await store.entries(after: cursor, limit: 1_000)
                guard let last = page.last else { break }
                cursor = last.position
                for stored in page where range.contains(stored.entry.time) {
                    let event = try ActivityEvent(stored.entry)
                    if let chapter, event.chapter != chapter { continue }
                    guard let subject = event.subject?.subject else { continue }
                    switch event.kind {
                    case .startedThread, .askedQuestion, .replied, .answered:
                        guard case .thread(let thread) = subject else { continue }
                        var activity = threadActivity[thread] ?? (0, 0, [])
                        if event.kind == .replied || event.kind == .answered { activity.replies += 1 }
                        activity.participants.insert(event.member)
                        threadActivity[thread] = activity
                    case .reacted, .gaveFeedback:
                        guard case .post(let post) = subject else { continue }
                        if event.kind == .reacted {
                            postActivity[post, default: ([], [])].reactors.append(event.member)
                        } else {
                            postActivity[post, default: ([], [])].feedback.append(event.member)
                        }
                    case .registeredForEvent, .waitlistedForEvent:
                        guard case .event(let eventID) = subject else { continue }
                        registrations[eventID, default: 0] += 1
                    default: continue
                    }
                }
            }
            // Reactions and feedback name a post; find its thread.
            for (postID, members) in postActivity {
                guard let post = try await store.fetch(postID.rawValue, from: Collections.posts)?.value else {
                    continue
                }
                var activity = threadActivity[post.thread] ?? (0, 0, [])
                activity.reactions += members.reactors.count
                activity.participants.formUnion(members.reactors)
                activity.participants.formUnion(members.feedback)
                threadActivity[post.thread] = activity
            }
            var threads: [ThreadInsight] = []
            for (id, activity) in threadActivity {
                guard let thread = try await store.fetch(id.rawValue, from: Collections.threads)?.value else {
                    continue
                }
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
                period: start..<end, chapter: chapter, threads: Array(threads.prefix(limit)),
                events: Array(events.prefix(limit)))
        }
    }
}
