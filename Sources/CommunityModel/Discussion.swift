import Foundation
public import Storage

/// A discussion thread on a board. Its opening message is a ``Post`` of kind `.opening`.
public struct DiscussionThread: Hashable, Sendable, Codable, Identifiable {
    public var id: ThreadID
    public var board: BoardID
    public var author: MemberID
    public var title: String
    /// A question expects answers: replies to it are answers.
    public var isQuestion: Bool
    public var openingPost: PostID
    public var createdAt: Date
    /// Replies and answers (not feedback) so far.
    public var replyCount: Int
    /// When someone other than the author first responded.
    public var firstResponseAt: Date?
    public var lastActivityAt: Date
    /// When an organizer marked the thread as an announcement of their chapter; nil otherwise.
    public var announcedAt: Date?
    /// For a question: the answer its asker (or staff) accepted, when, and the log entry that
    /// recorded it (un-accepting reverses that entry).
    public var acceptedAnswer: PostID?
    public var acceptedAt: Date?
    public var acceptanceEntry: EntryID?

    public init(
        id: ThreadID,
        board: BoardID,
        author: MemberID,
        title: String,
        isQuestion: Bool,
        openingPost: PostID,
        createdAt: Date
    ) {
        self.id = id
        self.board = board
        self.author = author
        self.title = title
        self.isQuestion = isQuestion
        self.openingPost = openingPost
        self.createdAt = createdAt
        self.replyCount = 0
        self.firstResponseAt = nil
        self.lastActivityAt = createdAt
    }
}

/// What a post is within its thread.
public enum PostKind: String, Hashable, Sendable, Codable {
    /// The thread's opening message.
    case opening
    /// A reply in a discussion.
    case reply
    /// A reply to a question.
    case answer
    /// Feedback on a peer's answer.
    case feedback
}

/// A message in a thread.
public struct Post: Hashable, Sendable, Codable, Identifiable {
    public var id: PostID
    public var thread: ThreadID
    public var board: BoardID
    public var author: MemberID
    public var kind: PostKind
    public var body: String
    /// For feedback: the answer it is about.
    public var inResponseTo: PostID?
    public var createdAt: Date
    /// Set when a moderator removed the post; removed posts are hidden from readers who do not moderate.
    public var removedAt: Date?
    /// Who removed it and why, for the audit trail.
    public var removedBy: MemberID?
    public var removalReason: String?

    public init(
        id: PostID,
        thread: ThreadID,
        board: BoardID,
        author: MemberID,
        kind: PostKind,
        body: String,
        inResponseTo: PostID? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.thread = thread
        self.board = board
        self.author = author
        self.kind = kind
        self.body = body
        self.inResponseTo = inResponseTo
        self.createdAt = createdAt
    }
}

/// A reaction to a post. A member gives each kind of reaction at most once per post.
public enum ReactionKind: String, Hashable, Sendable, Codable, CaseIterable {
    case like
    case insightful
    case thanks
}

/// A recorded reaction.
public struct Reaction: Hashable, Sendable, Codable {
    public var post: PostID
    public var member: MemberID
    public var kind: ReactionKind
    public var at: Date

    public init(post: PostID, member: MemberID, kind: ReactionKind, at: Date) {
        self.post = post
        self.member = member
        self.kind = kind
        self.at = at
    }
}
