import Foundation
import Storage

/// The path from superuser to vetted chapter organizer, and the moderation that decides good
/// standing.
extension CommunityService {
    /// Checks `memberID` against every rule for organizing `chapterID`; failing rules come with
    /// their reasons. For the member themself and for staff and community managers.
    public func eligibility(of memberID: MemberID, toOrganize chapterID: ChapterID, by readerID: MemberID)
        async throws(CommunityError) -> Eligibility
    {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the eligibility of \(memberID)")
        return try await query {
            let tx = Transaction(service: self, now: clock.now())
            _ = try await tx.member(memberID)
            _ = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            return try await tx.eligibility(of: memberID, toOrganize: chapterID)
        }
    }

    /// The member applies to organize a chapter they belong to.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` listing every failing
    ///   eligibility rule; ``CommunityError/alreadyExists(kind:id:)`` while an application of
    ///   theirs for the chapter is open.
    @discardableResult
    public func applyToOrganize(
        _ chapterID: ChapterID, by memberID: MemberID, reason: String, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> OrganizerApplication
    {
        let reason = try Validate.reason(reason)
        return try await transact(
            by: memberID, key: idempotencyKey,
            replay: .record(Collections.organizerApplications, kind: "organizer application", id: { $0.id })
        ) { tx in
            try await tx.authorize(
                .goodStanding, by: try await tx.member(memberID).value, to: "apply to organize chapter \(chapterID)")
            return try await tx.openApplication(
                memberID, of: chapterID, nomination: .selfApplication, by: memberID, reason: reason)
        }
    }

    /// Staff nominate a member (typically from the superuser list) to organize a chapter.
    @discardableResult
    public func nominateOrganizer(
        _ memberID: MemberID, of chapterID: ChapterID, by staffID: MemberID, reason: String,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> OrganizerApplication {
        let reason = try Validate.reason(reason)
        return try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.organizerApplications, kind: "organizer application", id: { $0.id })
        ) { tx in
            try await tx.requireStaff(try await tx.member(staffID).value, to: "nominate chapter organizers")
            return try await tx.openApplication(
                memberID, of: chapterID, nomination: .nominatedBy(staffID), by: staffID, reason: reason)
        }
    }

    /// Staff move an application on: review, approve or reject, onboard, activate, give leave,
    /// retire. Approval and activation check eligibility again; activation gives the member the
    /// chapter's organizer powers, leave and retirement take them away.
    ///
    /// - Throws: ``CommunityError/invalidState(_:)`` for a move the stage does not allow.
    @discardableResult
    public func moveOrganizerApplication(
        _ applicationID: String, to stage: OrganizerStage, by staffID: MemberID, reason: String,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> OrganizerApplication {
        let reason = try Validate.reason(reason)
        return try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.organizerApplications, kind: "organizer application", id: { $0.id })
        ) { tx in
            try await tx.requireStaff(try await tx.member(staffID).value, to: "vet chapter organizers")
            var application = try await tx.load(
                applicationID, in: Collections.organizerApplications, kind: "organizer application")
            let previous = application.value.stage
            try application.value.move(to: stage, by: staffID, at: tx.now, reason: reason)
            let member = application.value.member
            let chapter = application.value.chapter
            if stage == .approved || stage == .active {
                let eligibility = try await tx.eligibility(of: member, toOrganize: chapter)
                guard eligibility.isEligible else { throw Self.ineligible(eligibility, action: "be \(stage.rawValue)") }
            }
            try tx.update(application, in: Collections.organizerApplications)
            if stage == .active {
                try await tx.setOrganizer(member, of: chapter, to: true, by: staffID)
            } else if previous == .active {
                try await tx.setOrganizer(member, of: chapter, to: false, by: staffID)
            }
            if !stage.isOpen { try await tx.closeApplicationClaim(member, of: chapter) }
            try tx.log(
                .organizerApplicationMoved, member: try await tx.member(member).value,
                .init(actor: staffID, subject: .organizerApplication(applicationID), chapter: chapter))
            return application.value
        }
    }

    /// One application, with its audit trail: for the applicant and for staff and community
    /// managers.
    public func organizerApplication(_ id: String, by readerID: MemberID) async throws(CommunityError)
        -> OrganizerApplication
    {
        let application = try await lookup(id, in: Collections.organizerApplications, kind: "organizer application")
        try await authorize(
            .partiesOrStaff([application.member]), by: readerID, to: "read the organizer application \(id)")
        return application
    }

    /// A chapter's applications, open and closed, oldest first: for staff and community managers.
    public func organizerApplications(of chapterID: ChapterID, by staffID: MemberID) async throws(CommunityError)
        -> [OrganizerApplication]
    {
        try await authorize(.staff, by: staffID, to: "read the organizer applications of \(chapterID)")
        return try await query {
            _ = try await lookup(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            return try await store.fetchAll(
                Collections.organizerApplications, where: IndexQuery("chapter", equals: chapterID.rawValue)
            ).map(\.value)
        }
    }

    static func ineligible(_ eligibility: Eligibility, action: String) -> CommunityError {
        let reasons = eligibility.failing.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue): \($0.value)" }
        return .notPermitted(
            member: eligibility.member, action: "\(action) an organizer of chapter \(eligibility.chapter)",
            rule: .organizerEligibility, reason: "not eligible — " + reasons.joined(separator: "; "))
    }
}

// MARK: Moderation

extension CommunityService {
    /// A member's standing (no warnings and no suspension for a member never moderated), with
    /// the reasons staff gave: for the member themself and for staff and community managers.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for any other reader.
    public func standing(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError) -> MemberStanding {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the standing of \(memberID)")
        return try await query {
            _ = try await lookup(memberID.rawValue, in: Collections.members, kind: "member")
            return try await store.fetch(memberID.rawValue, from: Collections.standings)?.value
                ?? MemberStanding(member: memberID, suspendedUntil: nil, history: [])
        }
    }

    /// Staff warn a member; the warning is kept in their standing.
    public func warn(
        _ memberID: MemberID, by staffID: MemberID, reason: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        try await moderate(memberID, by: staffID, reason: reason, kind: .warned, until: nil, key: idempotencyKey)
    }

    /// Staff suspend a member until a moment in the future; until then they are not in good
    /// standing (and cannot become an organizer).
    public func suspend(
        _ memberID: MemberID, until end: Date, by staffID: MemberID, reason: String,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        try Validate.date(end, field: "until")
        guard end > clock.now() else {
            throw .invalidInput(field: "until", reason: "a suspension must end in the future, not at \(end)")
        }
        // Kept at the log's millisecond precision, as every time the library stores.
        try await moderate(
            memberID, by: staffID, reason: reason, kind: .suspended, until: Timestamp(end).date, key: idempotencyKey)
    }

    /// Staff end a member's suspension early.
    public func liftSuspension(
        of memberID: MemberID, by staffID: MemberID, reason: String, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        try await moderate(
            memberID, by: staffID, reason: reason, kind: .suspensionLifted, until: nil, key: idempotencyKey)
    }

    /// Warns, suspends or lifts a suspension: one command per kind (a key used to warn cannot
    /// replay a suspension).
    private func moderate(
        _ memberID: MemberID, by staffID: MemberID, reason: String, kind: MemberStanding.Action.Kind, until: Date?,
        key: IdempotencyKey?
    ) async throws(CommunityError) {
        let reason = try Validate.reason(reason)
        let command =
            switch kind {
            case .warned: "warn"
            case .suspended: "suspend"
            case .suspensionLifted: "liftSuspension"
            }
        try await transact(command, by: staffID, key: key, replay: .nothing) { tx in
            try await tx.requireStaff(try await tx.member(staffID).value, to: "moderate members")
            let member = try await tx.member(memberID).value
            let action = MemberStanding.Action(kind: kind, by: staffID, at: tx.now, reason: reason, until: until)
            if var standing = try await tx.find(memberID.rawValue, in: Collections.standings) {
                if kind == .suspensionLifted, standing.value.isInGoodStanding(at: tx.now) {
                    throw CommunityError.invalidState("Member \(memberID) is not suspended.")
                }
                standing.value.history.append(action)
                switch kind {
                case .suspended: standing.value.suspendedUntil = until
                case .suspensionLifted: standing.value.suspendedUntil = nil
                case .warned: break
                }
                try tx.update(standing, in: Collections.standings)
            } else {
                if kind == .suspensionLifted {
                    throw CommunityError.invalidState("Member \(memberID) is not suspended.")
                }
                try tx.create(
                    MemberStanding(member: memberID, suspendedUntil: until, history: [action]), id: memberID.rawValue,
                    in: Collections.standings)
            }
            let activity: ActivityKind =
                switch kind {
                case .warned: .warned
                case .suspended: .suspended
                case .suspensionLifted: .suspensionLifted
                }
            try tx.log(
                activity, member: member,
                .init(actor: staffID, subject: .member(memberID), details: ActivityDetails(until: until)))
        }
    }
}

/// Which application of a member for a chapter is open, so that there is at most one.
package struct OpenApplicationClaim: Codable, Hashable, Sendable {
    package var application: String?
}

extension Collections {
    package static let openApplications = RecordCollection<OpenApplicationClaim>("organizer-open-applications")
}

extension Transaction {
    func eligibility(of memberID: MemberID, toOrganize chapterID: ChapterID) async throws -> Eligibility {
        var failing: [EligibilityRule: String] = [:]
        let enrolments = try await store.fetchAll(
            Collections.enrolments, where: IndexQuery("member", equals: memberID.rawValue))
        if !enrolments.contains(where: { $0.value.isCompleted }) {
            failing[.completedAProgramme] =
                enrolments.isEmpty
                ? "has not enrolled in any programme yet" : "has not completed any of \(enrolments.count) programmes"
        }
        if let standing = try await find(memberID.rawValue, in: Collections.standings)?.value,
            !standing.isInGoodStanding(at: now), let until = standing.suspendedUntil
        {
            failing[.inGoodStanding] = "suspended until \(until)"
        }
        if try await find(CompositeKey.make(chapterID, memberID), in: Collections.memberships) == nil {
            failing[.memberOfChapter] = "is not a member of chapter \(chapterID)"
        }
        return Eligibility(member: memberID, chapter: chapterID, failing: failing)
    }

    func openApplication(
        _ memberID: MemberID, of chapterID: ChapterID, nomination: OrganizerNomination, by actor: MemberID,
        reason: String
    ) async throws -> OrganizerApplication {
        let member = try await member(memberID).value
        _ = try await load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
        let eligibility = try await eligibility(of: memberID, toOrganize: chapterID)
        guard eligibility.isEligible else { throw CommunityService.ineligible(eligibility, action: "apply to be") }
        let id = newID()
        let claimKey = CompositeKey.make(chapterID, memberID)
        if var claim = try await find(claimKey, in: Collections.openApplications) {
            if let open = claim.value.application {
                throw CommunityError.alreadyExists(kind: "open organizer application", id: open)
            }
            claim.value.application = id
            try update(claim, in: Collections.openApplications)
        } else {
            try create(OpenApplicationClaim(application: id), id: claimKey, in: Collections.openApplications)
        }
        let application = OrganizerApplication(
            id: id, member: memberID, chapter: chapterID, nomination: nomination, stage: .applied,
            history: [OrganizerTransition(from: nil, to: .applied, by: actor, at: now, reason: reason)])
        try create(application, id: id, in: Collections.organizerApplications)
        try log(
            .organizerApplication, member: member,
            .init(actor: actor, subject: .organizerApplication(id), chapter: chapterID))
        return application
    }

    func closeApplicationClaim(_ memberID: MemberID, of chapterID: ChapterID) async throws {
        if var claim = try await find(CompositeKey.make(chapterID, memberID), in: Collections.openApplications) {
            claim.value.application = nil
            try update(claim, in: Collections.openApplications)
        }
    }
}

extension Validate {
    /// Why someone did something, for an audit trail: trimmed, not empty, within ``Limits/shortText``.
    package static func reason(_ value: String) throws(CommunityError) -> String {
        try message(
            value, field: "reason", limit: Limits.shortText, empty: "say why, for the audit trail; it must not be empty"
        )
    }
}
