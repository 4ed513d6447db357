import Foundation
import Storage

extension CommunityService {
    /// Starts a thread on a board (a discussion, or a question that expects answers).
    ///
    /// - Throws: ``CommunityError/accessDenied(member:board:needs:)`` when the member may not post there.
    @discardableResult
    public func startThread(
        on boardID: BoardID, by authorID: MemberID, title: String, body: String, isQuestion: Bool = false,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> DiscussionThread {
        let title = try Validate.name(title, field: "title")
        let body = try Validate.name(body, field: "body", limit: Limits.freeText)
        return try await transact(
            by: authorID, key: idempotencyKey,
            replay: .record(Collections.threads, kind: "thread", id: { $0.id.rawValue })
        ) { tx in
            let author = try await tx.member(authorID)
            let board = try await tx.load(boardID.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.post, of: author.value, on: board.value)
            let thread = DiscussionThread(
                id: ThreadID(tx.newID()), board: boardID, author: authorID, title: title, isQuestion: isQuestion,
                openingPost: PostID(tx.newID()), createdAt: tx.now)
            let post = Post(
                id: thread.openingPost, thread: thread.id, board: boardID, author: authorID, kind: .opening, body: body,
                createdAt: tx.now)
            try tx.create(thread, id: thread.id.rawValue, in: Collections.threads)
            try tx.create(post, id: post.id.rawValue, in: Collections.posts)
            try tx.log(
                isQuestion ? .askedQuestion : .startedThread, member: author.value,
                .init(
                    subject: .thread(thread.id), subjectOwner: authorID, chapter: board.value.chapter,
                    programme: board.value.programme, board: boardID))
            return thread
        }
    }

    /// Marks a thread on a chapter's board as the chapter's announcement. Only the chapter's
    /// organizers (and staff) may, and only while the leadership gate lets them (for example
    /// after acknowledging the current guidelines).
    @discardableResult
    public func markAnnouncement(_ threadID: ThreadID, by organizerID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> DiscussionThread
    {
        try await transact(
            by: organizerID, key: idempotencyKey,
            replay: .record(Collections.threads, kind: "thread", id: { $0.id.rawValue })
        ) { tx in
            let organizer = try await tx.member(organizerID)
            var thread = try await tx.load(threadID.rawValue, in: Collections.threads, kind: "thread")
            let board = try await tx.load(thread.value.board.rawValue, in: Collections.boards, kind: "board")
            guard let chapter = board.value.chapter else {
                throw CommunityError.invalidState(
                    "Board \(board.value.title) belongs to no chapter; announcements are made on a chapter's board.")
            }
            try await tx.requireLeader(
                organizer.value, of: chapter, for: .postAnnouncement, described: "post announcements")
            guard thread.value.announcedAt == nil else { return thread.value }
            thread.value.announcedAt = tx.now
            try tx.update(thread, in: Collections.threads)
            try tx.log(
                .announced, member: organizer.value,
                .init(
                    subject: .thread(threadID), subjectOwner: thread.value.author, chapter: chapter,
                    board: board.value.id))
            return thread.value
        }
    }

    /// Replies in a thread; a reply to a question is an answer. The activity records whether it
    /// was the first response by someone other than the author.
    @discardableResult
    public func reply(to threadID: ThreadID, by authorID: MemberID, body: String, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError) -> Post
    {
        let body = try Validate.name(body, field: "body", limit: Limits.freeText)
        return try await transact(
            by: authorID, key: idempotencyKey, replay: .record(Collections.posts, kind: "post", id: { $0.id.rawValue })
        ) { tx in
            let author = try await tx.member(authorID)
            var thread = try await tx.load(threadID.rawValue, in: Collections.threads, kind: "thread")
            let board = try await tx.load(thread.value.board.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.post, of: author.value, on: board.value)
            let isFirstResponse = thread.value.firstResponseAt == nil && authorID != thread.value.author
            let post = Post(
                id: PostID(tx.newID()), thread: threadID, board: board.value.id, author: authorID,
                kind: thread.value.isQuestion ? .answer : .reply, body: body, createdAt: tx.now)
            thread.value.replyCount += 1
            thread.value.lastActivityAt = tx.now
            if isFirstResponse { thread.value.firstResponseAt = tx.now }
            try tx.update(thread, in: Collections.threads)
            try tx.create(post, id: post.id.rawValue, in: Collections.posts)
            try tx.log(
                post.kind == .answer ? .answered : .replied, member: author.value,
                .init(
                    subject: .thread(threadID), subjectOwner: thread.value.author, chapter: board.value.chapter,
                    programme: board.value.programme, board: board.value.id,
                    details: ActivityDetails(isFirstResponse: isFirstResponse)))
            return post
        }
    }

    /// Gives feedback on a peer's answer. Feedback on one's own answer, or on anything that is
    /// not an answer, is refused.
    @discardableResult
    public func giveFeedback(
        on answerID: PostID, by authorID: MemberID, body: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError)
        -> Post
    {
        let body = try Validate.name(body, field: "body", limit: Limits.freeText)
        return try await transact(
            by: authorID, key: idempotencyKey, replay: .record(Collections.posts, kind: "post", id: { $0.id.rawValue })
        ) { tx in
            let author = try await tx.member(authorID)
            let answer = try await tx.load(answerID.rawValue, in: Collections.posts, kind: "post")
            let board = try await tx.load(answer.value.board.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.post, of: author.value, on: board.value)
            guard answer.value.kind == .answer else {
                throw CommunityError.invalidState("Post \(answerID) is not an answer; feedback is given on answers.")
            }
            guard answer.value.author != authorID else {
                throw CommunityError.invalidState(
                    "Post \(answerID) is \(authorID)'s own answer; feedback is for a peer's answer.")
            }
            var thread = try await tx.load(answer.value.thread.rawValue, in: Collections.threads, kind: "thread")
            let post = Post(
                id: PostID(tx.newID()), thread: thread.value.id, board: board.value.id, author: authorID,
                kind: .feedback, body: body, inResponseTo: answerID, createdAt: tx.now)
            thread.value.lastActivityAt = tx.now
            try tx.update(thread, in: Collections.threads)
            try tx.create(post, id: post.id.rawValue, in: Collections.posts)
            try tx.log(
                .gaveFeedback, member: author.value,
                .init(
                    subject: .post(answerID), subjectOwner: answer.value.author, chapter: board.value.chapter,
                    programme: board.value.programme, board: board.value.id))
            return post
        }
    }

    /// Reacts to a post. Each member gives each kind of reaction at most once per post.
    public func react(
        _ kind: ReactionKind, to postID: PostID, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        try await transact(by: memberID, key: idempotencyKey, replay: .nothing) { tx in
            let member = try await tx.member(memberID)
            let post = try await tx.load(postID.rawValue, in: Collections.posts, kind: "post")
            let board = try await tx.load(post.value.board.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.post, of: member.value, on: board.value)
            let key = CompositeKey.make(postID, memberID, kind.rawValue)
            if try await tx.find(key, in: Collections.reactions) != nil {
                throw CommunityError.alreadyExists(kind: "reaction", id: "\(kind.rawValue) by \(memberID) on \(postID)")
            }
            try tx.create(
                Reaction(post: postID, member: memberID, kind: kind, at: tx.now), id: key, in: Collections.reactions)
            try tx.log(
                .reacted, member: member.value,
                .init(
                    subject: .post(postID), subjectOwner: post.value.author, chapter: board.value.chapter,
                    programme: board.value.programme, board: board.value.id, details: ActivityDetails(reaction: kind)))
        }
    }

    /// Withdraws a reaction the member gave. The `reactionWithdrawn` entry `reverses` the
    /// `reacted` entry, so whatever the reaction earned (points, engagement) can be taken back.
    ///
    /// - Throws: ``CommunityError/notFound(kind:id:)`` when the member has not given this reaction.
    public func withdrawReaction(
        _ kind: ReactionKind, from postID: PostID, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError)
    {
        try await transact(by: memberID, key: idempotencyKey, replay: .nothing) { tx in
            let member = try await tx.member(memberID)
            let key = CompositeKey.make(postID, memberID, kind.rawValue)
            guard let reaction = try await tx.find(key, in: Collections.reactions) else {
                throw CommunityError.notFound(kind: "reaction", id: "\(kind.rawValue) by \(memberID) on \(postID)")
            }
            let post = try await tx.load(postID.rawValue, in: Collections.posts, kind: "post")
            let board = try await tx.load(post.value.board.rawValue, in: Collections.boards, kind: "board")
            let original = try await loggedEntry(of: memberID, at: reaction.value.at) {
                $0.kind == .reacted && $0.subject == .post(postID) && $0.details.reaction == kind
            }
            tx.delete(reaction, in: Collections.reactions)
            var context = ActivityContext(
                subject: .post(postID), subjectOwner: post.value.author, chapter: board.value.chapter,
                programme: board.value.programme, board: board.value.id, details: ActivityDetails(reaction: kind))
            context.reverse(original)
            try tx.log(.reactionWithdrawn, member: member.value, context)
        }
    }

    /// The entry in `member`'s stream logged at `time` (to the millisecond) that `matches`.
    func loggedEntry(of member: MemberID, at time: Date, where matches: (ActivityEvent) -> Bool) async throws
        -> ActivityEvent?
    {
        let start = Timestamp(time)
        return try await store.allEntries(
            matching: .stream(ActivityEvent.stream(of: member)),
            in: start..<Timestamp(millisecondsSince1970: start.millisecondsSince1970 + 1)
        ).map { try ActivityEvent($0.entry) }.first(where: matches)
    }

    /// The threads of a board the member may read, in id (creation) order, a page at a time.
    public func threads(on boardID: BoardID, by memberID: MemberID, after cursor: String? = nil, limit: Int = 50)
        async throws(CommunityError) -> Page<DiscussionThread>
    {
        try await transact { tx in
            let member = try await tx.member(memberID)
            let board = try await tx.load(boardID.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.read, of: member.value, on: board.value)
            let page = try await store.fetchPage(
                Collections.threads, where: IndexQuery("board", equals: boardID.rawValue), after: cursor, limit: limit)
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    /// The posts of a thread the member may read, in creation order.
    public func posts(in threadID: ThreadID, by memberID: MemberID) async throws(CommunityError) -> [Post] {
        try await transact { tx in
            let member = try await tx.member(memberID)
            let thread = try await tx.load(threadID.rawValue, in: Collections.threads, kind: "thread")
            let board = try await tx.load(thread.value.board.rawValue, in: Collections.boards, kind: "board")
            try await tx.require(.read, of: member.value, on: board.value)
            let moderates = AccessPolicy.permissions(of: try await tx.viewer(member.value), on: board.value)
                .contains(.moderate)
            return try await store.fetchAll(Collections.posts, where: IndexQuery("thread", equals: threadID.rawValue))
                .map(\.value).filter { moderates || $0.removedAt == nil }
        }
    }
}

extension Transaction {
    /// Throws ``CommunityError/accessDenied(member:board:needs:)`` unless the access policy
    /// grants `permission`; a suspended member may only read boards open to everyone.
    nonisolated(nonsending) func require(_ permission: BoardPermissions, of member: Member, on board: Board)
        async throws
    {
        try await authorize(.board(board, permission), by: member, to: "\(permission) on board \(board.id)")
    }
}

extension Transaction {
    /// Creates boards whose ids must be new.
    func createBoards(_ boards: [Board]) async throws {
        for board in boards {
            guard try await find(board.id.rawValue, in: Collections.boards) == nil else {
                throw CommunityError.alreadyExists(kind: "board", id: board.id.rawValue)
            }
            try create(board, id: board.id.rawValue, in: Collections.boards)
        }
    }
}

extension CommunityService {
    /// Accepts an answer to a question: by the question's asker, or by staff. The answer's
    /// author gets an ``ActivityKind/answerAccepted`` entry (the acceptor is its actor), which
    /// engagement, points and badges can count.
    ///
    /// - Throws: ``CommunityError/invalidState(_:)`` for a thread that is not a question, a
    ///   question that already has an accepted answer (un-accept it first), or a removed
    ///   answer; ``CommunityError/invalidInput(field:reason:)`` for a post of another thread or
    ///   a post that is not an answer; ``CommunityError/notPermitted(member:action:rule:reason:)``
    ///   for anyone else.
    @discardableResult
    public func acceptAnswer(
        _ answerID: PostID, in threadID: ThreadID, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> DiscussionThread
    {
        try await transact(
            by: memberID, key: idempotencyKey,
            replay: .record(Collections.threads, kind: "thread", id: { $0.id.rawValue })
        ) { tx in
            let acceptor = try await tx.member(memberID)
            var thread = try await tx.load(threadID.rawValue, in: Collections.threads, kind: "thread")
            try await tx.authorize(
                .themselfOrSupport(thread.value.author, whileSuspended: false), by: acceptor.value,
                to: "accept an answer in \(threadID)")
            guard thread.value.isQuestion else {
                throw CommunityError.invalidState(
                    "Thread \(threadID) is a discussion, not a question: it has no answers to accept.")
            }
            let answer = try await tx.load(answerID.rawValue, in: Collections.posts, kind: "post")
            guard answer.value.thread == threadID else {
                throw CommunityError.invalidInput(
                    field: "answer", reason: "post \(answerID) answers another thread, not \(threadID)")
            }
            guard answer.value.kind == .answer else {
                throw CommunityError.invalidInput(field: "answer", reason: "post \(answerID) is not an answer")
            }
            guard answer.value.removedAt == nil else {
                throw CommunityError.invalidState(
                    "Answer \(answerID) was removed by a moderator; it cannot be accepted.")
            }
            if let accepted = thread.value.acceptedAnswer {
                throw CommunityError.invalidState(
                    "Question \(threadID) already has an accepted answer (\(accepted)); un-accept it first.")
            }
            let board = try await tx.load(thread.value.board.rawValue, in: Collections.boards, kind: "board")
            let author = try await tx.member(answer.value.author)
            let entry = try tx.log(
                .answerAccepted, member: author.value,
                .init(
                    actor: memberID, subject: .post(answerID), subjectOwner: thread.value.author,
                    chapter: board.value.chapter, programme: board.value.programme, board: board.value.id))
            thread.value.acceptedAnswer = answerID
            thread.value.acceptedAt = tx.now
            thread.value.acceptanceEntry = entry.id
            try tx.update(thread, in: Collections.threads)
            return thread.value
        }
    }

    /// Withdraws a question's accepted answer (by its asker or staff). The answer's author gets
    /// an ``ActivityKind/answerUnaccepted`` entry that reverses the acceptance.
    @discardableResult
    public func unacceptAnswer(in threadID: ThreadID, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> DiscussionThread
    {
        try await transact(
            by: memberID, key: idempotencyKey,
            replay: .record(Collections.threads, kind: "thread", id: { $0.id.rawValue })
        ) { tx in
            let acceptor = try await tx.member(memberID)
            var thread = try await tx.load(threadID.rawValue, in: Collections.threads, kind: "thread")
            try await tx.authorize(
                .themselfOrSupport(thread.value.author, whileSuspended: false), by: acceptor.value,
                to: "un-accept the answer of \(threadID)")
            guard let answerID = thread.value.acceptedAnswer else {
                throw CommunityError.invalidState("Question \(threadID) has no accepted answer.")
            }
            let answer = try await tx.load(answerID.rawValue, in: Collections.posts, kind: "post")
            let board = try await tx.load(thread.value.board.rawValue, in: Collections.boards, kind: "board")
            let author = try await tx.member(answer.value.author)
            var context = ActivityContext(
                actor: memberID, subject: .post(answerID), subjectOwner: thread.value.author,
                chapter: board.value.chapter, programme: board.value.programme, board: board.value.id,
                reverses: thread.value.acceptanceEntry)
            if let acceptedAt = thread.value.acceptedAt {
                context.reverse(
                    try await loggedEntry(of: author.value.id, at: acceptedAt) {
                        $0.id == thread.value.acceptanceEntry
                    })
            }
            try tx.log(.answerUnaccepted, member: author.value, context)
            thread.value.acceptedAnswer = nil
            thread.value.acceptedAt = nil
            thread.value.acceptanceEntry = nil
            try tx.update(thread, in: Collections.threads)
            return thread.value
        }
    }
}
