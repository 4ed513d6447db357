import Foundation
import Storage

/// A member's report of a post that may break the community's guidelines.
public struct ContentReport: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// Waiting for a moderator.
        case open
        /// A moderator removed the post.
        case upheld
        /// A moderator kept the post.
        case dismissed
    }

    public var id: String
    public var post: PostID
    public var board: BoardID
    public var reportedBy: MemberID
    public var reason: String
    public var at: Date
    public var status: Status
}

extension Collections {
    package static let contentReports = RecordCollection<ContentReport>("content-reports") {
        ["post": $0.post.rawValue, "board": $0.board.rawValue, "status": $0.status.rawValue]
    }
}

extension ActivityKind {
    /// A member reported a post to the moderators.
    public static let reportedContent = ActivityKind("reportedContent")
    /// A moderator removed a member's post. One entry is in the author's stream and `reverses`
    /// the entry that posted it; one more per reaction, piece of feedback or acceptance the post
    /// drew is in that entry's member's stream and reverses it, so that what the post earned and
    /// drew can be taken back (awards already made stay).
    public static let contentRemoved = ActivityKind("contentRemoved")
}

extension CommunityService {
    /// A member who can read a post reports it to the board's moderators.
    @discardableResult
    public func reportContent(
        _ postID: PostID, by memberID: MemberID, reason: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError)
        -> ContentReport
    {
        let reason = try Validate.reason(reason)
        return try await transact(
            by: memberID, key: idempotencyKey,
            replay: .record(Collections.contentReports, kind: "content report", id: { $0.id })
        ) { tx in
            let member = try await tx.member(memberID).value
            let post = try await tx.load(postID.rawValue, in: Collections.posts, kind: "post").value
            let board = try await tx.load(post.board.rawValue, in: Collections.boards, kind: "board").value
            // Reporting is taking part: whoever may post on the board, in good standing.
            try await tx.require(.post, of: member, on: board)
            guard post.removedAt == nil else {
                throw CommunityError.invalidState("Post \(postID) was removed already.")
            }
            let report = ContentReport(
                id: tx.newID(), post: postID, board: board.id, reportedBy: memberID, reason: reason, at: tx.now,
                status: .open)
            try tx.create(report, id: report.id, in: Collections.contentReports)
            try tx.log(
                .reportedContent, member: member,
                .init(
                    subject: .post(postID), subjectOwner: post.author, chapter: board.chapter,
                    programme: board.programme, board: board.id))
            return report
        }
    }

    /// The open reports on a board, oldest first, for its moderators (staff, or the organizers of
    /// the board's chapter).
    public func openReports(on boardID: BoardID, by moderatorID: MemberID) async throws(CommunityError)
        -> [ContentReport]
    {
        try await transact { tx in
            let moderator = try await tx.member(moderatorID).value
            let board = try await tx.load(boardID.rawValue, in: Collections.boards, kind: "board").value
            try await tx.require(.moderate, of: moderator, on: board)
            return try await store.fetchAll(
                Collections.contentReports, where: IndexQuery("board", equals: boardID.rawValue)
            )
            .map(\.value).filter { $0.status == .open }
        }
    }

    /// A moderator of the post's board removes it: the post is hidden from readers, its open
    /// reports are upheld, and a `contentRemoved` entry in the author's stream reverses the entry
    /// that posted it, so that what the post earned can be taken back (never by editing history).
    /// What it drew from others (reactions, feedback on it, its acceptance as an answer) is taken
    /// back by one more `contentRemoved` entry per such entry, in that entry's member's stream:
    /// the points ledger takes back both sides of each (the reactor's and the author's).
    public func removePost(
        _ postID: PostID, by moderatorID: MemberID, reason: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        let reason = try Validate.reason(reason)
        try await transact(by: moderatorID, key: idempotencyKey, replay: .nothing) { tx in
            let moderator = try await tx.member(moderatorID).value
            var post = try await tx.load(postID.rawValue, in: Collections.posts, kind: "post")
            let board = try await tx.load(post.value.board.rawValue, in: Collections.boards, kind: "board").value
            try await tx.require(.moderate, of: moderator, on: board)
            try await tx.service.gate.authorize(.moderateBoard, by: moderator, in: board.chapter)
            guard post.value.removedAt == nil else {
                throw CommunityError.invalidState("Post \(postID) was removed already.")
            }
            post.value.removedAt = tx.now
            post.value.removedBy = moderatorID
            post.value.removalReason = reason
            try tx.update(post, in: Collections.posts)
            for var report in try await store.fetchAll(
                Collections.contentReports, where: IndexQuery("post", equals: postID.rawValue))
            where report.value.status == .open {
                report.value.status = .upheld
                try tx.update(report, in: Collections.contentReports)
            }
            // The entry that posted it: the author's, at the post's creation time, on its board.
            let original = try await loggedEntry(of: post.value.author, at: post.value.createdAt) {
                $0.board == board.id
                    && [.startedThread, .askedQuestion, .replied, .answered, .gaveFeedback].contains($0.kind)
            }
            var removal = ActivityContext(
                actor: moderatorID, subject: .post(postID), subjectOwner: post.value.author, chapter: board.chapter,
                programme: board.programme, board: board.id)
            removal.reverse(original)
            try tx.log(.contentRemoved, member: try await tx.member(post.value.author).value, removal)
            // What the post drew from others (reactions, feedback on it, its acceptance) is taken
            // back too: one reversal per entry, in that entry's member's stream, found through the
            // subject index. Entries reversed already (a withdrawn reaction) are left alone.
            let onPost = try await store.allEntries(matching: .subject(SubjectRef.post(postID).rawValue))
                .map { try ActivityEvent($0.entry) }
            let reversed = Set(onPost.compactMap(\.reverses))
            for drawn in onPost
            where [.reacted, .gaveFeedback, .answerAccepted].contains(drawn.kind) && !reversed.contains(drawn.id) {
                guard let member = try await tx.find(drawn.member.rawValue, in: Collections.members) else { continue }
                var context = ActivityContext(
                    actor: moderatorID, subject: .post(postID), subjectOwner: post.value.author,
                    chapter: board.chapter, programme: board.programme, board: board.id)
                context.reverse(drawn)
                try tx.log(.contentRemoved, member: member.value, context)
            }
        }
    }
}
