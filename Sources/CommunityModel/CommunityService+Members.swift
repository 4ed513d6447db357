import Foundation
import Storage

extension CommunityService {
    /// Registers a new member after checking every field.
    ///
    /// Anyone may register as a learner. Staff and community managers are registered by a staff
    /// member (`by`); the one exception is the community's very first staff member, who registers
    /// themselves (once: a second founder is refused). Alumnus and organizer are never given at
    /// registration: they are earned by a completion and appointed to a chapter.
    ///
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for an empty name, a malformed
    ///   email or language tag, or a role that cannot be given here;
    ///   ``CommunityError/unknownCountry(_:)``, ``CommunityError/unknownTimeZone(_:)``;
    ///   ``CommunityError/alreadyExists(kind:id:)`` when the id or the email is taken;
    ///   ``CommunityError/notPermitted(member:action:rule:reason:)`` when `by` is not staff.
    @discardableResult
    public func registerMember(_ new: NewMember, by registrarID: MemberID? = nil, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> Member
    {
        let (profile, email) = try new.validated()
        let needsStaff = new.roles.contains(.staff) || new.roles.contains(.communityManager)
        // A repeat returns the member only to a request for the same email: self sign-ups share
        // the integrator's key space, and a key sent twice by mistake must not show one
        // person's record to another.
        let replay = Replay<Member>(keep: { $0.id.rawValue }) { kept, tx in
            let member = try await tx.load(kept ?? "", in: Collections.members, kind: "member")
            guard try await tx.find(member.id, in: Collections.contacts)?.value.email == email else {
                throw CommunityError.invalidInput(
                    field: "idempotencyKey",
                    reason: "was used to register another member; send a new key with each request")
            }
            return member.value
        }
        return try await transact(by: registrarID, key: idempotencyKey, replay: replay) { tx in
            let id = new.id ?? MemberID(tx.newID())
            if let registrarID {
                let registrar = try await tx.member(registrarID)
                if needsStaff {
                    try await tx.requireStaff(registrar.value, to: "register staff and community managers")
                }
            } else if needsStaff {
                // The first staff member founds the community; the record can be created once only.
                if try await tx.find("founder", in: Collections.founding) != nil {
                    throw CommunityError.notPermitted(
                        member: id, action: "register as staff", rule: .staff,
                        reason: "the community already has its founding staff member; staff register new staff")
                }
                try tx.create(EmailClaim(member: id), id: "founder", in: Collections.founding)
            }
            if try await tx.find(id.rawValue, in: Collections.members) != nil {
                throw CommunityError.alreadyExists(kind: "member", id: id.rawValue)
            }
            if try await tx.find(email, in: Collections.emails) != nil {
                throw CommunityError.alreadyExists(kind: "member with email", id: email)
            }
            let member = Member(id: id, profile: profile, roles: new.roles, joinedAt: tx.now)
            try tx.create(member, id: id.rawValue, in: Collections.members)
            try tx.create(MemberContact(member: id, email: email), id: id.rawValue, in: Collections.contacts)
            try tx.create(EmailClaim(member: id), id: email, in: Collections.emails)
            try tx.log(
                .joinedCommunity, member: member,
                .init(actor: registrarID, subject: .member(id), details: ActivityDetails(facts: member)))
            return member
        }
    }

    /// A member's private contact details. Only staff and community managers may read them.
    public func contact(of memberID: MemberID, by requesterID: MemberID) async throws(CommunityError)
        -> MemberContact
    {
        try await transact { tx in
            let requester = try await tx.member(requesterID)
            try await tx.authorize(
                .partiesOrStaff([memberID]), by: requester.value, to: "read the contact details of \(memberID)")
            return try await tx.load(memberID.rawValue, in: Collections.contacts, kind: "member contact").value
        }
    }

    /// Changes a member's public profile (name, country, time zone, languages, headline, consents).
    /// `change` may run more than once (when a concurrent change wins); keep it free of side effects.
    ///
    /// The member changes their own profile, consents included (also while suspended: their data
    /// and their consents stay theirs). Staff and community managers may fix another member's
    /// profile fields, never their consents; the log records who acted.
    ///
    /// Activity already logged keeps the local day it had: a later change of time zone does not
    /// move past days.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` when someone else changes
    ///   the profile, or anyone but the member changes the consents.
    @discardableResult
    public func updateProfile(
        of memberID: MemberID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil,
        _ change: (inout ProfileDraft) -> Void
    )
        async throws(CommunityError) -> Member
    {
        try await transact(
            by: actorID, key: idempotencyKey,
            replay: .record(Collections.members, kind: "member", id: { $0.id.rawValue })
        ) { tx in
            var stored = try await tx.member(memberID)
            let actor = try await tx.acting(actorID, for: stored.value)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: true), by: actor, to: "change the profile of \(memberID)")
            var draft = ProfileDraft(stored.value.profile)
            change(&draft)
            let profile = try draft.validated()
            if profile.consents != stored.value.profile.consents {
                try await tx.authorize(.themself(memberID), by: actor, to: "change the consents of \(memberID)")
            }
            stored.value.profile = profile
            try tx.update(stored, in: Collections.members)
            try tx.log(
                .profileUpdated, member: stored.value,
                .init(
                    actor: actorID == memberID ? nil : actorID, subject: .member(memberID),
                    details: ActivityDetails(facts: stored.value)))
            return stored.value
        }
    }

    /// Who may grant or revoke `role`: staff alone for the roles that carry powers over others
    /// (staff, community manager), staff and community managers for the rest.
    package static func requirement(toChange role: Role) -> Requirement {
        role == .staff || role == .communityManager ? .staffRole : .staff
    }

    /// Grants a role; only staff and community managers may, and only staff grant the staff and
    /// community manager roles. Organizers are appointed per
    /// chapter with ``appointOrganizer(_:of:by:idempotencyKey:)`` instead.
    @discardableResult
    public func grantRole(
        _ role: Role, to memberID: MemberID, by granterID: MemberID, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError)
        -> Member
    {
        try await transact(
            by: granterID, key: idempotencyKey,
            replay: .record(Collections.members, kind: "member", id: { $0.id.rawValue })
        ) { tx in
            let granter = try await tx.member(granterID)
            try await tx.authorize(
                Self.requirement(toChange: role), by: granter.value, to: "grant the role \(role.rawValue)")
            guard role != .chapterOrganizer else {
                throw CommunityError.invalidInput(
                    field: "role",
                    reason: "organizers are appointed to a chapter with appointOrganizer(_:of:by:idempotencyKey:)")
            }
            var member = try await tx.member(memberID)
            guard member.value.roles.insert(role).inserted else {
                throw CommunityError.invalidState("Member \(memberID) already has the role \(role.rawValue).")
            }
            try tx.update(member, in: Collections.members)
            try tx.log(
                .roleGranted, member: member.value, .init(actor: granterID, details: ActivityDetails(role: role)))
            return member.value
        }
    }

    /// Takes a role away; only staff and community managers may, and only staff revoke the staff
    /// and community manager roles. Organizers step down from a
    /// chapter through their application (``moveOrganizerApplication(_:to:by:reason:idempotencyKey:)``, to
    /// leave or retirement) instead. The log records it (`roleRevoked`).
    @discardableResult
    public func revokeRole(
        _ role: Role, from memberID: MemberID, by revokerID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> Member
    {
        try await transact(
            by: revokerID, key: idempotencyKey,
            replay: .record(Collections.members, kind: "member", id: { $0.id.rawValue })
        ) { tx in
            let revoker = try await tx.member(revokerID)
            try await tx.authorize(
                Self.requirement(toChange: role), by: revoker.value, to: "revoke the role \(role.rawValue)")
            guard role != .chapterOrganizer else {
                throw CommunityError.invalidInput(
                    field: "role",
                    reason: "organizers step down through their organizer application (on leave or retired)")
            }
            var member = try await tx.member(memberID)
            guard member.value.roles.remove(role) != nil else {
                throw CommunityError.invalidState("Member \(memberID) does not have the role \(role.rawValue).")
            }
            try tx.update(member, in: Collections.members)
            try tx.log(
                .roleRevoked, member: member.value, .init(actor: revokerID, details: ActivityDetails(role: role)))
            return member.value
        }
    }

    /// The member record, unchecked: for the library's own modules, which decide what to show.
    package func member(_ id: MemberID) async throws(CommunityError) -> Member {
        try await lookup(id.rawValue, in: Collections.members, kind: "member")
    }

    /// The member as anyone may see them.
    public func profile(of id: MemberID) async throws(CommunityError) -> PublicProfile {
        PublicProfile(try await member(id))
    }

    /// The whole member record (time zone and consents included): for the member themself and
    /// for staff and community managers.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else.
    public func member(_ id: MemberID, by readerID: MemberID) async throws(CommunityError) -> Member {
        let member = try await member(id)
        try await authorize(.partiesOrStaff([id]), by: readerID, to: "read the member record of \(id)")
        return member
    }

    /// Members in id order, a page at a time, as anyone may see them; optionally only those of
    /// one country.
    public func members(country: CountryCode? = nil, after cursor: String? = nil, limit: Int = 100)
        async throws(CommunityError) -> Page<PublicProfile>
    {
        let page = try await memberRecords(country: country, after: cursor, limit: limit)
        return Page(items: page.items.map(PublicProfile.init), nextCursor: page.nextCursor)
    }

    /// Member records in id order, a page at a time, unchecked: for the library's own modules.
    package func memberRecords(country: CountryCode? = nil, after cursor: String? = nil, limit: Int = 100)
        async throws(CommunityError) -> Page<Member>
    {
        try Validate.limit(limit)
        return try await query {
            let page = try await store.fetchPage(
                Collections.members, where: country.map { IndexQuery("country", equals: $0.code) }, after: cursor,
                limit: limit)
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    /// A member's enrolments, in programme order: for the member themself and for staff and
    /// community managers.
    public func enrolments(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> [Enrolment]
    {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the enrolments of \(memberID)")
        return try await enrolmentRecords(of: memberID)
    }

    /// A member's enrolments, unchecked: for the library's own modules.
    package func enrolmentRecords(of memberID: MemberID) async throws(CommunityError) -> [Enrolment] {
        try await values(of: memberID, in: Collections.enrolments).sorted { $0.programme < $1.programme }
    }

    /// Where the member stands, overall and per programme: for the member themself and for
    /// staff and community managers.
    public func journey(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError) -> Journey {
        Journey(enrolments: try await enrolments(of: memberID, by: readerID))
    }
}

extension CommunityService {
    /// Creates a programme with its learners' board (unlocked on enrolment) and its alumni board
    /// (unlocked on completion). Staff only.
    @discardableResult
    public func createProgramme(
        id: ProgrammeID? = nil, title: String, by creatorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> Programme
    {
        let title = try Validate.name(title, field: "title")
        if let id { try Validate.id(id.rawValue, field: "programme id") }
        return try await transact(
            by: creatorID, key: idempotencyKey,
            replay: .record(Collections.programmes, kind: "programme", id: { $0.id.rawValue })
        ) { tx in
            let creator = try await tx.member(creatorID)
            try await tx.requireStaff(creator.value, to: "create programmes")
            let id = id ?? ProgrammeID(tx.newID())
            if try await tx.find(id.rawValue, in: Collections.programmes) != nil {
                throw CommunityError.alreadyExists(kind: "programme", id: id.rawValue)
            }
            let (programme, boards) = Programme.make(id: id, title: title)
            try tx.create(programme, id: id.rawValue, in: Collections.programmes)
            try await tx.createBoards(boards)
            return programme
        }
    }

    /// The programme with this id.
    public func programme(_ id: ProgrammeID) async throws(CommunityError) -> Programme {
        try await lookup(id.rawValue, in: Collections.programmes, kind: "programme")
    }

    /// Enrols a member in a programme; this unlocks the programme's learners' board.
    ///
    /// - Parameters:
    ///   - memberID: the member who enrols.
    ///   - programmeID: the programme.
    ///   - actorID: who acts: the member themself, or staff and community managers for them
    ///     (the log records who).
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    /// - Throws: ``CommunityError/invalidState(_:)`` when already enrolled;
    ///   ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else, or while
    ///   the one who acts is suspended.
    @discardableResult
    public func enrol(
        _ memberID: MemberID, in programmeID: ProgrammeID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> Enrolment
    {
        try await transact(
            by: actorID, key: idempotencyKey,
            replay: .record(
                Collections.enrolments, kind: "enrolment", id: { CompositeKey.make($0.member, $0.programme) })
        ) { tx in
            let member = try await tx.member(memberID)
            let actor = try await tx.acting(actorID, for: member.value)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: false), by: actor,
                to: "enrol \(memberID) in \(programmeID)")
            let programme = try await tx.load(programmeID.rawValue, in: Collections.programmes, kind: "programme")
            let key = CompositeKey.make(memberID, programmeID)
            if try await tx.find(key, in: Collections.enrolments) != nil {
                throw CommunityError.invalidState("Member \(memberID) is already enrolled in \(programme.value.title).")
            }
            let enrolment = Enrolment(member: memberID, programme: programmeID, enrolledAt: tx.now)
            try tx.create(enrolment, id: key, in: Collections.enrolments)
            try tx.log(
                .enrolled, member: member.value,
                .init(
                    actor: actorID == memberID ? nil : actorID, subject: .programme(programmeID),
                    programme: programmeID))
            return enrolment
        }
    }

    /// Records that a member completed a programme; this unlocks the alumni board and makes the
    /// member an alumnus. Staff record completions.
    ///
    /// - Throws: ``CommunityError/invalidState(_:)`` when not enrolled or already completed.
    @discardableResult
    public func recordCompletion(
        of memberID: MemberID, in programmeID: ProgrammeID, certificateDate: LocalDate, by recorderID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> Enrolment {
        try await transact(
            by: recorderID, key: idempotencyKey,
            replay: .record(
                Collections.enrolments, kind: "enrolment", id: { CompositeKey.make($0.member, $0.programme) })
        ) { tx in
            let recorder = try await tx.member(recorderID)
            try await tx.requireStaff(recorder.value, to: "record completions")
            var member = try await tx.member(memberID)
            _ = try await tx.load(programmeID.rawValue, in: Collections.programmes, kind: "programme")
            guard
                var enrolment = try await tx.find(CompositeKey.make(memberID, programmeID), in: Collections.enrolments)
            else {
                throw CommunityError.invalidState(
                    "Member \(memberID) is not enrolled in programme \(programmeID); enrol them first.")
            }
            guard !enrolment.value.isCompleted else {
                throw CommunityError.invalidState("Member \(memberID) already completed programme \(programmeID).")
            }
            try enrolment.value.check(certificateDate: certificateDate, completedAt: tx.now)
            enrolment.value.completedAt = tx.now
            enrolment.value.certificateDate = certificateDate
            try tx.update(enrolment, in: Collections.enrolments)
            if member.value.roles.insert(.alumnus).inserted { try tx.update(member, in: Collections.members) }
            try tx.log(
                .completed, member: member.value,
                .init(
                    actor: recorderID, subject: .programme(programmeID), programme: programmeID,
                    details: ActivityDetails(certificateDate: certificateDate)))
            return enrolment.value
        }
    }

    /// Records that a member shared something (a certificate, an event, a badge, a spotlight) to
    /// an outside network, and gives them a referral code for it (see `attributeReferral(code:to:for:)`).
    /// A certificate can only be shared once earned.
    @discardableResult
    public func share(
        _ item: SharedItem, by memberID: MemberID, on network: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError)
        -> Share
    {
        // Into the log, which no erasure changes: a name, never free text.
        let network = try Validate.network(network)
        return try await transact(
            by: memberID, key: idempotencyKey, replay: .record(Collections.shares, kind: "share", id: { $0.code })
        ) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(.goodStanding, by: member.value, to: "share to \(network)")
            var subject: SubjectRef?
            var programme: ProgrammeID?
            var chapter: ChapterID?
            switch item {
            case .certificate(let id):
                let enrolment = try await tx.find(CompositeKey.make(memberID, id), in: Collections.enrolments)
                guard enrolment?.value.isCompleted == true else {
                    throw CommunityError.invalidState(
                        "Member \(memberID) has no certificate for programme \(id) to share; it is earned on completion."
                    )
                }
                subject = .programme(id)
                programme = id
            case .event(let id):
                let event = try await tx.load(id.rawValue, in: Collections.events, kind: "event")
                subject = .event(id)
                chapter = event.value.chapter
            case .badge(let badge):
                try Validate.id(badge.rawValue, field: "badge")
                subject = nil
            case .spotlight(let month):
                try Validate.spotlightMonth(month)
                subject = nil
            }
            let share = Share(
                code: ReferralCode.make(from: tx.service.secrets.secretBytes(10)),
                advocate: memberID, item: item,
                network: network, sharedAt: tx.now)
            try tx.create(share, id: share.code, in: Collections.shares)
            try tx.log(
                .shared, member: member.value,
                .init(
                    subject: subject, chapter: chapter, programme: programme,
                    details: ActivityDetails(shared: item, network: network)))
            return share
        }
    }
}

extension NewMember {
    /// The checks every way in for a member shares (self sign-up, registration by staff, an
    /// import): the profile's fields, the email, the id when one is given, and the roles (at
    /// least one; alumnus and organizer are earned, never given). Returns the profile and the
    /// normalized email.
    package func validated() throws(CommunityError) -> (profile: Profile, email: String) {
        let profile = try ProfileDraft(
            displayName: displayName, country: country, timeZone: timeZone, languages: languages,
            headline: headline, consents: consents
        ).validated()
        let email = try Validate.email(email)
        if let id { try Validate.id(id.rawValue, field: "member id") }
        guard !roles.isEmpty else {
            throw .invalidInput(field: "roles", reason: "a member needs at least one role")
        }
        for role in [Role.alumnus, .chapterOrganizer] where roles.contains(role) {
            throw .invalidInput(
                field: "roles",
                reason: role == .alumnus
                    ? "alumnus is earned by completing a programme (recordCompletion)"
                    : "organizers are appointed to a chapter (appointOrganizer)")
        }
        return (profile, email)
    }
}

extension Enrolment {
    /// The rule for a certificate's date, shared by `recordCompletion` and an import: a real
    /// calendar day from the day before the enrolment to the day after the completion (dates
    /// are UTC days, so a day's slack either side covers every time zone).
    package func check(certificateDate: LocalDate, completedAt: Date) throws(CommunityError) {
        let enrolledOn = LocalDate(enrolledAt, in: .utc)
        guard certificateDate.isValid, certificateDate >= enrolledOn.adding(days: -1),
            certificateDate <= LocalDate(completedAt, in: .utc).adding(days: 1)
        else {
            throw CommunityError.invalidInput(
                field: "certificateDate",
                reason:
                    "\(certificateDate) must be a real calendar day between the enrolment (\(enrolledOn)) and "
                    + "the completion (\(LocalDate(completedAt, in: .utc)))"
            )
        }
    }
}

extension Programme {
    /// A programme and its two boards, as `createProgramme` and an import store them: the
    /// learners' board (unlocked on enrolment) and the alumni board (unlocked on completion).
    package static func make(id: ProgrammeID, title: String) -> (Programme, [Board]) {
        let learners = Board(
            id: BoardID("\(id.rawValue)-learners"), title: "\(title): learners", audience: .enrolled(id),
            programme: id)
        let alumni = Board(
            id: BoardID("\(id.rawValue)-alumni"), title: "\(title): alumni", audience: .alumni(id), programme: id)
        return (
            Programme(id: id, title: title, learnersBoard: learners.id, alumniBoard: alumni.id), [learners, alumni]
        )
    }
}
