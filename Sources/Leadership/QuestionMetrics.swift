public import CommunityModel
public import Foundation
import Storage

/// Where questions are counted: one board, or every board of a programme.
public enum QuestionScope: Hashable, Sendable {
    case board(BoardID)
    case programme(ProgrammeID)
}

/// A distribution of waiting times.
public struct WaitSummary: Hashable, Sendable {
    /// How many questions the figures rest on.
    public var count: Int
    /// Nil when `count` is 0.
    public var median: TimeInterval?
    public var percentile90: TimeInterval?

    /// Nearest-rank percentiles of `waits` (seconds).
    init(_ waits: [TimeInterval]) {
        let sorted = waits.sorted()
        count = sorted.count
        func rank(_ p: Double) -> TimeInterval? {
            guard !sorted.isEmpty else { return nil }
            return sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
        median = rank(0.5)
        percentile90 = rank(0.9)
    }
}

/// How quickly questions asked in a period were answered.
public struct QuestionMetrics: Hashable, Sendable {
    public var scope: QuestionScope
    public var period: DateInterval
    /// Questions asked in the period.
    public var asked: Int
    /// Of those, answered by someone other than the asker (by the time of the report).
    public var answered: Int
    /// Of those, with an accepted answer.
    public var accepted: Int
    /// From asking to the first answer by someone else, for the answered ones.
    public var timeToFirstAnswer: WaitSummary
    /// From asking to the acceptance, for the accepted ones.
    public var timeToAcceptedAnswer: WaitSummary
    /// The target the policy sets (for example 24 hours).
    public var target: TimeInterval
    /// The share of the period's questions answered within the target; nil when none were asked.
    public var shareAnsweredWithinTarget: Double?
}

extension CommunityService {
    /// The boards of a scope; `notFound` for an unknown board or programme.
    func boards(in scope: QuestionScope) async throws(CommunityError) -> [BoardID] {
        switch scope {
        case .board(let id):
            _ = try await lookup(id.rawValue, in: Collections.boards, kind: "board")
            return [id]
        case .programme(let id):
            let programme = try await lookup(id.rawValue, in: Collections.programmes, kind: "programme")
            return [programme.learnersBoard, programme.alumniBoard]
        }
    }

    /// The questions of a scope on the boards `readerID` may read (every board of the scope
    /// when nil), oldest first.
    func questions(in scope: QuestionScope, by readerID: MemberID?) async throws(CommunityError)
        -> [DiscussionThread]
    {
        var boards = try await boards(in: scope)
        if let readerID {
            let readable = Set(try await self.boards(visibleTo: readerID, by: readerID).map(\.board.id))
            boards = boards.filter(readable.contains)
        }
        return try await query {
            var threads: [DiscussionThread] = []
            for board in boards {
                threads += try await store.fetchAll(
                    Collections.threads, where: IndexQuery("board", equals: board.rawValue)
                )
                .map(\.value).filter(\.isQuestion)
            }
            return threads.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    /// Time to the first answer and to the accepted answer (median and 90th percentile), and
    /// the share answered within `target`, for the questions asked in `period`. Questions never
    /// answered count as not answered within the target. Only boards of the scope that
    /// `readerID` may read count (staff read every board).
    public func questionMetrics(
        for scope: QuestionScope, period: DateInterval, target: TimeInterval = 24 * 3_600, by readerID: MemberID
    ) async throws(CommunityError) -> QuestionMetrics {
        guard target > 0 else { throw .invalidInput(field: "target", reason: "must be a positive duration") }
        let asked = try await questions(in: scope, by: readerID).filter {
            period.contains($0.createdAt) && $0.createdAt < period.end
        }
        // Waits in whole milliseconds (the log's precision), so equal waits compare equal.
        func wait(_ from: Date, _ to: Date) -> TimeInterval {
            Double(Timestamp(to).millisecondsSince1970 - Timestamp(from).millisecondsSince1970) / 1_000
        }
        let firstWaits = asked.compactMap { thread in thread.firstResponseAt.map { wait(thread.createdAt, $0) } }
        let acceptedWaits = asked.compactMap { thread in thread.acceptedAt.map { wait(thread.createdAt, $0) } }
        let withinTarget = firstWaits.count { $0 <= target }
        return QuestionMetrics(
            scope: scope, period: period, asked: asked.count, answered: firstWaits.count, accepted: acceptedWaits.count,
            timeToFirstAnswer: WaitSummary(firstWaits), timeToAcceptedAnswer: WaitSummary(acceptedWaits),
            target: target, shareAnsweredWithinTarget: asked.isEmpty ? nil : Double(withinTarget) / Double(asked.count))
    }

    /// The questions of a scope no one but their asker has answered yet, on the boards
    /// `readerID` may read, oldest first, a page at a time: pass the last thread's id as `after`
    /// for the next page.
    public func unansweredQuestions(
        in scope: QuestionScope, after cursor: ThreadID? = nil, limit: Int = 50, by readerID: MemberID
    ) async throws(CommunityError) -> Page<DiscussionThread> {
        try Validate.limit(limit)
        var waiting = try await questions(in: scope, by: readerID).filter { $0.firstResponseAt == nil }
        if let cursor {
            // After the cursor's place in the order, even if that question was answered since.
            let last = try await lookup(cursor.rawValue, in: Collections.threads, kind: "thread")
            waiting.removeAll { ($0.createdAt, $0.id) <= (last.createdAt, last.id) }
        }
        let items = Array(waiting.prefix(limit))
        return Page(items: items, nextCursor: waiting.count > limit ? items.last?.id.rawValue : nil)
    }
}

/// Someone who could answer an open question, and why.
public struct AnswererSuggestion: Hashable, Sendable {
    public var member: MemberID
    /// Answers they gave in the scope, and how many of those were accepted.
    public var answers: Int
    public var accepted: Int
    /// "answered 5 questions here (2 accepted); it is 14:20 for them (Europe/Berlin)".
    public var reason: String
}

extension CommunityService {
    /// Who could answer an open question now: members who answered questions on its board (or,
    /// for a programme's board, on the programme's boards), accepted answers weighing three
    /// times, who are awake (08:00 to 22:00 in their own time zone) and agreed to be suggested
    /// (``Consent/answererSuggestions``); never the asker. Best first, then by member id. For
    /// members who may read the thread's board.
    public func suggestAnswerers(for threadID: ThreadID, limit: Int = 5, by readerID: MemberID)
        async throws(CommunityError) -> [AnswererSuggestion]
    {
        try Validate.limit(limit)
        let thread = try await lookup(threadID.rawValue, in: Collections.threads, kind: "thread")
        let board = try await lookup(thread.board.rawValue, in: Collections.boards, kind: "board")
        try await authorize(.board(board, .read), by: readerID, to: "see who could answer \(threadID)")
        guard thread.isQuestion else {
            throw .invalidState("Thread \(threadID) is a discussion, not a question: nobody is needed to answer it.")
        }
        guard thread.acceptedAnswer == nil else {
            throw .invalidState("Question \(threadID) already has an accepted answer.")
        }
        let scope: QuestionScope = board.programme.map { .programme($0) } ?? .board(board.id)
        var answers: [MemberID: (count: Int, accepted: Int)] = [:]
        // Who answered in the scope, on every board of it: the suggestion names members, not
        // what they wrote.
        for question in try await questions(in: scope, by: nil) {
            let posts = try await query {
                try await store.fetchAll(Collections.posts, where: IndexQuery("thread", equals: question.id.rawValue))
            }
            for post in posts.map(\.value) where post.kind == .answer && post.removedAt == nil {
                answers[post.author, default: (0, 0)].count += 1
                if question.acceptedAnswer == post.id { answers[post.author, default: (0, 0)].accepted += 1 }
            }
        }
        let now = clock.now()
        var suggestions: [(score: Int, suggestion: AnswererSuggestion)] = []
        for (memberID, record) in answers where memberID != thread.author {
            let member: Member
            do { member = try await self.member(memberID) } catch {
                if case .notFound = error { continue }  // a former member
                throw error
            }
            guard member.consents(to: .answererSuggestions) else { continue }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = member.profile.timeZone.timeZone
            let parts = calendar.dateComponents([.hour, .minute], from: now)
            let (hour, minute) = (parts.hour ?? 0, parts.minute ?? 0)
            guard (8..<22).contains(hour) else { continue }
            let place = scope == .board(board.id) ? "on this board" : "in this programme"
            let accepted = record.accepted > 0 ? " (\(record.accepted) accepted)" : ""
            let questions = record.count == 1 ? "1 question" : "\(record.count) questions"
            let clockText = String(format: "%02d:%02d", hour, minute)
            suggestions.append(
                (
                    record.count + 2 * record.accepted,
                    AnswererSuggestion(
                        member: memberID, answers: record.count, accepted: record.accepted,
                        reason: "answered \(questions) \(place)\(accepted); it is \(clockText) for them "
                            + "(\(member.profile.timeZone))")
                ))
        }
        return suggestions.sorted { ($1.score, $0.suggestion.member) < ($0.score, $1.suggestion.member) }
            .prefix(limit).map(\.suggestion)
    }
}
