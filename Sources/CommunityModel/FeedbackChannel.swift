import Foundation
import Storage

/// A note from a community leader to the community manager: a question, a problem, an idea.
public struct LeaderFeedback: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable {
        case open, answered, closed
    }

    public struct Answer: Hashable, Sendable, Codable {
        public var by: MemberID
        public var at: Date
        public var body: String
    }

    public var id: String
    public var from: MemberID
    /// The chapter it concerns, if any.
    public var chapter: ChapterID?
    public var title: String
    public var body: String
    public var openedAt: Date
    public var status: Status
    public var answers: [Answer]
    public var closedAt: Date?
}

extension Collections {
    package static let leaderFeedback = RecordCollection<LeaderFeedback>("leader-feedback") {
        ["status": $0.status.rawValue, "from": $0.from.rawValue]
    }
}

extension ActivityKind {
    /// A leader opened a feedback item for the community manager.
    public static let openedFeedback = ActivityKind("openedFeedback")
    /// The community manager answered or closed a feedback item.
    public static let handledFeedback = ActivityKind("handledFeedback")
}

extension CommunityService {
    /// A chapter organizer (or staff) opens a feedback item for the community manager.
    @discardableResult
    public func openFeedback(
        by leaderID: MemberID, title: String, body: String, chapter: ChapterID? = nil,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> LeaderFeedback
    {
        let title = try Validate.name(title, field: "title")
        let body = try Validate.message(
            body, field: "body", limit: Limits.freeText, empty: "say what the feedback is about")
        return try await transact(
            by: leaderID, key: idempotencyKey,
            replay: .record(Collections.leaderFeedback, kind: "feedback", id: { $0.id })
        ) { tx in
            let leader = try await tx.member(leaderID).value
            try await tx.authorize(.leader(chapter), by: leader, to: "open feedback for the community manager")
            if let chapter { _ = try await tx.load(chapter.rawValue, in: Collections.chapters, kind: "chapter") }
            let item = LeaderFeedback(
                id: tx.newID(), from: leaderID, chapter: chapter, title: title, body: body, openedAt: tx.now,
                status: .open, answers: [], closedAt: nil)
            try tx.create(item, id: item.id, in: Collections.leaderFeedback)
            try tx.log(
                .openedFeedback, member: leader, .init(subject: .feedback(FeedbackID(item.id)), chapter: chapter))
            return item
        }
    }

    /// The community manager (or staff) answers a feedback item; it stays answered until closed.
    @discardableResult
    public func answerFeedback(
        _ id: String, by managerID: MemberID, body: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> LeaderFeedback {
        try await handleFeedback(id, by: managerID, answer: body, close: false, key: idempotencyKey)
    }

    /// The community manager (or staff) closes a feedback item, optionally with a last answer.
    @discardableResult
    public func closeFeedback(
        _ id: String, by managerID: MemberID, answer: String? = nil, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> LeaderFeedback {
        try await handleFeedback(id, by: managerID, answer: answer, close: true, key: idempotencyKey)
    }

    /// Items still open (not answered, not closed) that were opened more than `limit` ago,
    /// oldest first: what the community manager owes an answer to. Staff and community
    /// managers see every item; anyone else only the items they opened.
    public func overdueFeedback(olderThan limit: TimeInterval, by readerID: MemberID) async throws(CommunityError)
        -> [LeaderFeedback]
    {
        guard limit >= 0, !limit.isNaN else {
            throw .invalidInput(field: "limit", reason: "must not be negative, not \(limit)")
        }
        let reader = try await member(readerID)
        let cutoff = clock.now() - limit
        return try await query {
            try await store.fetchAll(Collections.leaderFeedback, where: IndexQuery("status", equals: "open"))
                .map(\.value).filter { $0.openedAt < cutoff && (reader.isStaffLike || $0.from == readerID) }
                .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
        }
    }

    private func handleFeedback(
        _ id: String, by managerID: MemberID, answer: String?, close: Bool, key: IdempotencyKey?
    ) async throws(CommunityError) -> LeaderFeedback {
        let answer = try answer.map { answer throws(CommunityError) in
            try Validate.message(answer, field: "answer", limit: Limits.freeText)
        }
        let replay = Replay.record(Collections.leaderFeedback, kind: "feedback item") { _ in id }
        return try await transact(close ? "closeFeedback" : "answerFeedback", by: managerID, key: key, replay: replay) {
            tx in
            let manager = try await tx.member(managerID).value
            try await tx.requireStaff(manager, to: "answer leaders' feedback")
            var item = try await tx.load(id, in: Collections.leaderFeedback, kind: "feedback item")
            guard item.value.status != .closed else {
                throw CommunityError.invalidState(
                    "The feedback item \(id) is closed; ask the leader to open a new one.")
            }
            if let answer { item.value.answers.append(.init(by: managerID, at: tx.now, body: answer)) }
            item.value.status = close ? .closed : .answered
            if close { item.value.closedAt = tx.now }
            try tx.update(item, in: Collections.leaderFeedback)
            try tx.log(
                .handledFeedback, member: try await tx.member(item.value.from).value,
                .init(actor: managerID, subject: .feedback(FeedbackID(id)), chapter: item.value.chapter))
            return item.value
        }
    }
}
