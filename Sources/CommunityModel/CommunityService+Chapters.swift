import Foundation
import Storage

extension CommunityService {
    /// Creates a chapter with its public board (anyone may read) and its organizers' board.
    /// Staff only. City and country chapters need their time zone (their events count in its
    /// days and quarters); interest and region chapters without one take the school's default.
    @discardableResult
    public func createChapter(
        id: ChapterID? = nil, name: String, focus: ChapterFocus, timeZone: String? = nil, by creatorID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> Chapter {
        let (name, zone) = try Chapter.validated(
            name: name, focus: focus, timeZone: timeZone, defaultTimeZone: defaultTimeZone)
        if let id { try Validate.id(id.rawValue, field: "chapter id") }
        return try await transact(
            by: creatorID, key: idempotencyKey,
            replay: .record(Collections.chapters, kind: "chapter", id: { $0.id.rawValue })
        ) { tx in
            let creator = try await tx.member(creatorID)
            try await tx.requireStaff(creator.value, to: "create chapters")
            let id = id ?? ChapterID(tx.newID())
            if try await tx.find(id.rawValue, in: Collections.chapters) != nil {
                throw CommunityError.alreadyExists(kind: "chapter", id: id.rawValue)
            }
            let (chapter, boards) = Chapter.make(id: id, name: name, focus: focus, timeZone: zone)
            try await tx.createBoards(boards)
            try tx.create(chapter, id: id.rawValue, in: Collections.chapters)
            return chapter
        }
    }

    /// The chapter with this id.
    public func chapter(_ id: ChapterID) async throws(CommunityError) -> Chapter {
        try await lookup(id.rawValue, in: Collections.chapters, kind: "chapter")
    }

    /// All chapters, in id order.
    public func chapters() async throws(CommunityError) -> [Chapter] {
        try await query { try await store.fetchAll(Collections.chapters).map(\.value) }
    }

    /// A chapter's members, in id order, a page at a time: for the chapter's members and
    /// organizers and for staff and community managers.
    public func members(
        of chapterID: ChapterID, after cursor: String? = nil, limit: Int = 100, by readerID: MemberID
    ) async throws(CommunityError) -> Page<ChapterMembership> {
        try Validate.limit(limit)
        _ = try await chapter(chapterID)
        try await authorize(.chapterMember(chapterID), by: readerID, to: "list the members of chapter \(chapterID)")
        return try await chapterMemberships(of: chapterID, after: cursor, limit: limit)
    }

    /// A chapter's memberships, a page at a time, unchecked: for the library's own modules.
    package func chapterMemberships(of chapterID: ChapterID, after cursor: String? = nil, limit: Int = 100)
        async throws(CommunityError) -> Page<ChapterMembership>
    {
        try await query {
            let page = try await store.fetchPage(
                Collections.memberships, where: IndexQuery("chapter", equals: chapterID.rawValue), after: cursor,
                limit: limit)
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    /// The chapters a member belongs to: for the member themself and for staff and community
    /// managers.
    public func chapters(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> [ChapterMembership]
    {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the chapters of \(memberID)")
        return try await membershipRecords(of: memberID)
    }

    /// The chapters a member belongs to, unchecked: for the library's own modules.
    package func membershipRecords(of memberID: MemberID) async throws(CommunityError) -> [ChapterMembership] {
        try await values(of: memberID, in: Collections.memberships)
    }

    /// Joins a chapter. Chapters are public: any member may join; staff and community managers
    /// may join a member on their behalf (the log records who acted).
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` when someone else acts
    ///   for the member, or the one who acts is suspended.
    @discardableResult
    public func join(
        _ chapterID: ChapterID, member memberID: MemberID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> ChapterMembership
    {
        try await transact(
            by: actorID, key: idempotencyKey,
            replay: .record(
                Collections.memberships, kind: "chapter membership", id: { _ in CompositeKey.make(chapterID, memberID) }
            )
        ) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: false),
                by: try await tx.acting(actorID, for: member.value),
                to: "join \(memberID) to chapter \(chapterID)")
            let chapter = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            let key = CompositeKey.make(chapterID, memberID)
            if try await tx.find(key, in: Collections.memberships) != nil {
                throw CommunityError.invalidState("Member \(memberID) is already in chapter \(chapter.value.name).")
            }
            let membership = ChapterMembership(chapter: chapterID, member: memberID, joinedAt: tx.now)
            try tx.create(membership, id: key, in: Collections.memberships)
            try tx.log(
                .joinedChapter, member: member.value,
                .init(actor: actorID == memberID ? nil : actorID, subject: .chapter(chapterID), chapter: chapterID))
            return membership
        }
    }

    /// Leaves a chapter (also while suspended: a member's memberships stay theirs). Staff and
    /// community managers may act for the member. An organizer must step down before leaving.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` when someone else acts
    ///   for the member.
    public func leave(
        _ chapterID: ChapterID, member memberID: MemberID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError)
    {
        try await transact(by: actorID, key: idempotencyKey, replay: .nothing) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: true), by: try await tx.acting(actorID, for: member.value),
                to: "take \(memberID) out of chapter \(chapterID)")
            _ = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            guard
                let membership = try await tx.find(CompositeKey.make(chapterID, memberID), in: Collections.memberships)
            else {
                throw CommunityError.invalidState("Member \(memberID) is not in chapter \(chapterID).")
            }
            guard !membership.value.isOrganizer else {
                throw CommunityError.invalidState(
                    "Member \(memberID) organizes chapter \(chapterID); they must step down before leaving.")
            }
            tx.batch.delete(Collections.memberships.key(membership.id), expecting: membership.version)
            try tx.log(
                .leftChapter, member: member.value,
                .init(actor: actorID == memberID ? nil : actorID, subject: .chapter(chapterID), chapter: chapterID))
        }
    }

    /// Appoints a member as an organizer of a chapter (joining them to it if needed). Staff only.
    @discardableResult
    public func appointOrganizer(
        _ memberID: MemberID, of chapterID: ChapterID, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> Chapter
    {
        try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.chapters, kind: "chapter", id: { $0.id.rawValue })
        ) { tx in
            let appointer = try await tx.member(staffID)
            try await tx.requireStaff(appointer.value, to: "appoint chapter organizers")
            let chapter = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            guard !chapter.value.organizers.contains(memberID) else {
                throw CommunityError.invalidState("Member \(memberID) already organizes \(chapter.value.name).")
            }
            return try await tx.setOrganizer(memberID, of: chapterID, to: true, by: staffID)
        }
    }
}

extension Transaction {
    /// Gives or takes a member's organizer powers in a chapter: the chapter's organizer list,
    /// the membership's flag (joining the chapter if needed) and the member's role, with the
    /// activity entries. Returns the chapter as it will be stored.
    @discardableResult
    func setOrganizer(_ memberID: MemberID, of chapterID: ChapterID, to organizes: Bool, by actor: MemberID)
        async throws -> Chapter
    {
        var member = try await member(memberID)
        var chapter = try await load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
        let listed = chapter.value.organizers.contains(memberID)
        if organizes && !listed {
            chapter.value.organizers.append(memberID)
            try update(chapter, in: Collections.chapters)
        } else if !organizes && listed {
            chapter.value.organizers.removeAll { $0 == memberID }
            try update(chapter, in: Collections.chapters)
        }
        let key = CompositeKey.make(chapterID, memberID)
        if var membership = try await find(key, in: Collections.memberships) {
            if membership.value.isOrganizer != organizes {
                membership.value.isOrganizer = organizes
                try update(membership, in: Collections.memberships)
            }
        } else if organizes {
            let membership = ChapterMembership(chapter: chapterID, member: memberID, joinedAt: now, isOrganizer: true)
            try create(membership, id: key, in: Collections.memberships)
            try log(.joinedChapter, member: member.value, .init(subject: .chapter(chapterID), chapter: chapterID))
        }
        if organizes {
            if member.value.roles.insert(.chapterOrganizer).inserted { try update(member, in: Collections.members) }
            try log(
                .becameOrganizer, member: member.value,
                .init(
                    actor: actor, subject: .chapter(chapterID), chapter: chapterID,
                    details: ActivityDetails(role: .chapterOrganizer)))
        } else {
            let others = try await store.fetchAll(
                Collections.memberships, where: IndexQuery("member", equals: memberID.rawValue))
            let lastChapter =
                !others.contains(where: { $0.value.isOrganizer && $0.value.chapter != chapterID })
                && member.value.roles.remove(.chapterOrganizer) != nil
            if lastChapter { try update(member, in: Collections.members) }
            try log(
                .steppedDown, member: member.value,
                .init(
                    actor: actor, subject: .chapter(chapterID), chapter: chapterID,
                    details: ActivityDetails(role: .chapterOrganizer)))
            // The role goes with the last chapter they organized: the log says so, for the facts.
            if lastChapter {
                try log(
                    .roleRevoked, member: member.value,
                    .init(actor: actor, subject: .chapter(chapterID), details: ActivityDetails(role: .chapterOrganizer))
                )
            }
        }
        return chapter.value
    }
}

extension CommunityService {
    /// Creates a board with the given audience. Staff only; chapters and programmes get their
    /// standard boards when they are created.
    @discardableResult
    public func createBoard(
        id: BoardID? = nil, title: String, audience: BoardAudience, by creatorID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> Board {
        let title = try Validate.name(title, field: "title")
        if let id { try Validate.id(id.rawValue, field: "board id") }
        return try await transact(
            by: creatorID, key: idempotencyKey,
            replay: .record(Collections.boards, kind: "board", id: { $0.id.rawValue })
        ) { tx in
            let creator = try await tx.member(creatorID)
            try await tx.requireStaff(creator.value, to: "create boards")
            var chapter: ChapterID?
            var programme: ProgrammeID?
            switch audience {
            case .everyone, .staff: break
            case .chapterMembers(let id), .organizers(let id): chapter = id
            case .enrolled(let id), .alumni(let id): programme = id
            }
            if let chapter { _ = try await tx.load(chapter.rawValue, in: Collections.chapters, kind: "chapter") }
            if let programme {
                _ = try await tx.load(programme.rawValue, in: Collections.programmes, kind: "programme")
            }
            let board = Board(
                id: id ?? BoardID(tx.newID()), title: title, audience: audience, chapter: chapter, programme: programme)
            try await tx.createBoards([board])
            return board
        }
    }

    /// The board with this id.
    public func board(_ id: BoardID) async throws(CommunityError) -> Board {
        try await lookup(id.rawValue, in: Collections.boards, kind: "board")
    }

    /// What the member may do on the board, by ``AccessPolicy``: for the member themself and for
    /// staff and community managers.
    public func permissions(of memberID: MemberID, on boardID: BoardID, by readerID: MemberID)
        async throws(CommunityError) -> BoardPermissions
    {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the permissions of \(memberID)")
        return try await query {
            let tx = Transaction(service: self, now: clock.now())
            let member = try await tx.member(memberID)
            let board = try await tx.load(boardID.rawValue, in: Collections.boards, kind: "board")
            return AccessPolicy.permissions(of: try await tx.viewer(member.value), on: board.value)
        }
    }

    /// The boards a member may read now, in id order, each with what they may do there (a
    /// suspended member reads boards open to everyone, nothing more): for the member themself
    /// and for staff and community managers.
    public func boards(visibleTo memberID: MemberID, by readerID: MemberID) async throws(CommunityError) -> [(
        board: Board, permissions: BoardPermissions
    )] {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the boards of \(memberID)")
        return try await query {
            let tx = Transaction(service: self, now: clock.now())
            let actor = try await tx.actor(try await tx.member(memberID).value)
            return try await store.fetchAll(Collections.boards).compactMap { stored in
                // What the member may do now: their standing counts too.
                let permissions = BoardPermissions(
                    [.read, .post, .moderate].filter {
                        Authority.decide(.board(stored.value, $0), for: actor) == nil
                    })
                return permissions.contains(.read) ? (stored.value, permissions) : nil
            }
        }
    }
}

extension Chapter {
    /// The checks `createChapter` and an import share: the name and the focus's own name, and
    /// the time zone (city and country chapters need theirs; interest and region chapters
    /// without one take `defaultTimeZone`). Returns the trimmed name and the zone.
    package static func validated(name: String, focus: ChapterFocus, timeZone: String?, defaultTimeZone: TimeZoneID)
        throws(CommunityError) -> (name: String, zone: TimeZoneID)
    {
        let name = try Validate.name(name, field: "name", limit: Limits.name)
        switch focus {
        case .city(let city, _): _ = try Validate.name(city, field: "city", limit: Limits.name)
        case .region(let region): _ = try Validate.name(region, field: "region", limit: Limits.name)
        case .interest(let topic): _ = try Validate.name(topic, field: "interest", limit: Limits.name)
        case .country: break
        }
        if let timeZone { return (name, try TimeZoneID(timeZone)) }
        switch focus {
        case .interest, .region: return (name, defaultTimeZone)
        case .city, .country:
            throw .invalidInput(
                field: "timeZone", reason: "a city or country chapter needs its IANA time zone, e.g. Africa/Nairobi")
        }
    }

    /// A chapter and its two boards, as `createChapter` and an import store them: the public
    /// board (anyone may read) and the organizers' board.
    package static func make(id: ChapterID, name: String, focus: ChapterFocus, timeZone: TimeZoneID)
        -> (Chapter, [Board])
    {
        let open = Board(id: BoardID("\(id.rawValue)-public"), title: name, audience: .everyone, chapter: id)
        let organizers = Board(
            id: BoardID("\(id.rawValue)-organizers"), title: "\(name): organizers", audience: .organizers(id),
            chapter: id)
        let chapter = Chapter(
            id: id, name: name, focus: focus, timeZone: timeZone, publicBoard: open.id, organizersBoard: organizers.id)
        return (chapter, [open, organizers])
    }
}
