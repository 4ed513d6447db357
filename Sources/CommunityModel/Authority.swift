import Foundation
import Storage

/// The rule a refusal names: a stable value to switch on, log or translate. Its raw value never
/// changes once published; new rules get new values.
///
/// ```swift
/// do { try await community.join(chapter, member: ada, by: ada) } catch let error {
///     if error.rule == .goodStanding { showSuspensionNotice() }
/// }
/// ```
public enum AuthorityRule: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A suspended member keeps public reads, their own data and their data rights, and
    /// nothing else until the suspension ends (organizer and staff powers included).
    case goodStanding = "good-standing"
    /// Only the member themself: their consents, their acknowledgement, their reward claims.
    case themselfOnly = "themself-only"
    /// The member themself, or the parties of a thing (a feedback item's leader), and staff and
    /// community managers: private reads such as activity, points, standing and rosters.
    case themselfOrStaff = "themself-or-staff"
    /// The member themself, or staff and community managers with support powers: profile
    /// fields, memberships and registrations.
    case themselfOrSupport = "themself-or-support"
    /// Staff and community managers.
    case staff = "staff"
    /// Staff only (not community managers): granting or revoking the staff and community
    /// manager roles.
    case staffRole = "staff-role"
    /// The organizers of the chapter, and staff and community managers.
    case chapterLeader = "chapter-leader"
    /// The chapter's members and organizers, and staff and community managers.
    case chapterMember = "chapter-member"
    /// The board's access rules (``AccessPolicy``): its audience, its chapter's organizers, staff.
    case boardAccess = "board-access"
    /// The leadership gate, for example acknowledging the current community guidelines.
    case guidelines = "guidelines"
    /// Only the members a thing names: the judges of a challenge, the members of a team.
    case parties = "parties"
    /// The organizer eligibility criteria (time in the community, activity, standing).
    case organizerEligibility = "organizer-eligibility"
    /// A judge does not score a team they declared a conflict of interest with.
    case conflictOfInterest = "conflict-of-interest"

    /// The rule in words, to complete "… because …".
    public var description: String {
        switch self {
        case .goodStanding: "a suspended member keeps public reads and their own data only"
        case .themselfOnly: "only the member themself may do this"
        case .themselfOrStaff: "only the member themself (or the parties involved) and staff may do this"
        case .themselfOrSupport: "only the member themself, staff and community managers may do this"
        case .staff: "only staff and community managers may do this"
        case .staffRole: "only staff grant or revoke the staff and community manager roles"
        case .chapterLeader: "only the chapter's organizers and staff may do this"
        case .chapterMember: "only the chapter's members, its organizers and staff may do this"
        case .boardAccess: "the board's access rules do not include them"
        case .guidelines: "the current community guidelines must be acknowledged first"
        case .parties: "only the members it names may do this"
        case .organizerEligibility: "the organizer eligibility criteria are not met"
        case .conflictOfInterest: "the judge declared a conflict of interest"
        }
    }
}

/// What the authority model knows about the member who acts, at the command's time.
public struct Actor: Hashable, Sendable {
    /// Their id, roles, chapters, the chapters they organize, and their enrolments.
    public var viewer: Viewer
    /// Whether a suspension holds now.
    public var isSuspended: Bool

    public init(viewer: Viewer, isSuspended: Bool = false) {
        self.viewer = viewer
        self.isSuspended = isSuspended
    }

    public var id: MemberID { viewer.member }
}

/// Who may take an action on a subject: each command and non-public read states one, and
/// ``Authority/decide(_:for:)`` answers it.
public enum Requirement: Hashable, Sendable {
    /// Anyone, also while suspended: public reads.
    case anyone
    /// Any member in good standing.
    case goodStanding
    /// Only the member themself, also while suspended (their own data and data rights).
    case themself(MemberID)
    /// The members named (also while suspended: it is their own data), or staff and community
    /// managers in good standing.
    case partiesOrStaff(Set<MemberID>)
    /// The member themself, or staff and community managers in good standing acting for them.
    /// The member needs good standing too unless `whileSuspended`.
    case themselfOrSupport(MemberID, whileSuspended: Bool)
    /// Staff and community managers in good standing.
    case staff
    /// Staff, not community managers, in good standing.
    case staffRole
    /// The organizers of the chapter and staff and community managers, in good standing; with no
    /// chapter, the organizers of any chapter and staff and community managers.
    case leader(ChapterID?)
    /// What ``AccessPolicy`` grants on the board; anything beyond reading a board open to
    /// everyone needs good standing.
    case board(Board, BoardPermissions)
    /// Only the members named, in good standing.
    case parties(Set<MemberID>)
    /// The chapter's members and organizers, and staff and community managers, in good standing.
    case chapterMember(ChapterID)
}

/// The one decision of the authority model: may this actor meet this requirement now.
///
/// Each module states, in one place, the requirement of each of its commands and non-public
/// reads; commands call ``Transaction/authorize(_:by:to:gate:)``, which asks this function and
/// then, for leadership actions, the ``LeadershipGate``. Documentation/Authority.md lists the
/// rules in words.
public enum Authority {
    /// Nil when `actor` may act; otherwise the rule that refuses them.
    public static func decide(_ requirement: Requirement, for actor: Actor) -> AuthorityRule? {
        let me = actor.id
        let staffLike = actor.viewer.isStaffLike
        // Whatever needs good standing is refused to a suspended actor before anything else.
        func standing(_ otherwise: AuthorityRule?) -> AuthorityRule? { actor.isSuspended ? .goodStanding : otherwise }
        switch requirement {
        case .anyone:
            return nil
        case .goodStanding:
            return standing(nil)
        case .themself(let member):
            return member == me ? nil : .themselfOnly
        case .partiesOrStaff(let parties):
            if parties.contains(me) { return nil }
            return staffLike ? standing(nil) : .themselfOrStaff
        case .themselfOrSupport(let member, let whileSuspended):
            if member == me { return whileSuspended ? nil : standing(nil) }
            return staffLike ? standing(nil) : .themselfOrSupport
        case .staff:
            return staffLike ? standing(nil) : .staff
        case .staffRole:
            return actor.viewer.roles.contains(.staff) ? standing(nil) : .staffRole
        case .leader(let chapter):
            let leads =
                staffLike || chapter.map { actor.viewer.organizes.contains($0) } ?? !actor.viewer.organizes.isEmpty
            return leads ? standing(nil) : .chapterLeader
        case .board(let board, let permissions):
            let granted = AccessPolicy.permissions(of: actor.viewer, on: board)
            guard granted.isSuperset(of: permissions) else { return .boardAccess }
            return permissions == .read && board.audience == .everyone ? nil : standing(nil)
        case .parties(let parties):
            return parties.contains(me) ? standing(nil) : .parties
        case .chapterMember(let chapter):
            let belongs =
                staffLike || actor.viewer.chapters.contains(chapter) || actor.viewer.organizes.contains(chapter)
            return belongs ? standing(nil) : .chapterMember
        }
    }
}

extension Transaction {
    /// The acting member: `member` itself when `actorID` is theirs, else loaded.
    nonisolated(nonsending) package func acting(_ actorID: MemberID, for member: Member) async throws -> Member {
        actorID == member.id ? member : try await self.member(actorID).value
    }

    /// What the authority model knows about `member` now: their roles, chapters, enrolments
    /// and whether a suspension holds.
    nonisolated(nonsending) package func actor(_ member: Member) async throws -> Actor {
        let standing = try await find(member.id.rawValue, in: Collections.standings)
        return Actor(
            viewer: try await viewer(member),
            isSuspended: standing.map { !$0.value.isInGoodStanding(at: now) } ?? false)
    }

    /// Throws ``CommunityError/notPermitted(member:action:rule:reason:)`` (or, on a board,
    /// ``CommunityError/accessDenied(member:board:needs:)``) unless `member` meets
    /// `requirement` now; then, for a leadership action, asks the leadership gate, which may
    /// throw ``CommunityError/acknowledgementRequired(member:action:version:)``.
    ///
    /// - Parameters:
    ///   - requirement: who may act, from the module's table of requirements.
    ///   - member: the acting member.
    ///   - action: the action in words, to complete "may not …".
    ///   - gate: the leadership action to pass through the gate, if it is one.
    nonisolated(nonsending) public func authorize(
        _ requirement: Requirement, by member: Member, to action: String, gate: LeadershipAction? = nil
    ) async throws {
        let actor = try await actor(member)
        if let rule = Authority.decide(requirement, for: actor) {
            throw try await CommunityError.refusal(
                rule, member: member, action: action, requirement: requirement, in: self)
        }
        if let gate {
            let chapter: ChapterID? =
                switch requirement {
                case .leader(let chapter): chapter
                case .board(let board, _): board.chapter
                default: nil
                }
            try await service.gate.authorize(gate, by: member, in: chapter)
        }
    }
}

extension CommunityError {
    /// The refusal for `rule`, with the reason in words.
    nonisolated(nonsending) static func refusal(
        _ rule: AuthorityRule, member: Member, action: String, requirement: Requirement, in tx: Transaction
    ) async throws -> CommunityError {
        switch (rule, requirement) {
        case (.boardAccess, .board(let board, let permissions)):
            return .accessDenied(member: member.id, board: board.id, needs: permissions.description)
        case (.goodStanding, _):
            let standing = try await tx.find(member.id.rawValue, in: Collections.standings)
            let until = standing?.value.suspendedUntil.map { " until \($0)" } ?? ""
            return .notPermitted(
                member: member.id, action: action, rule: rule,
                reason: "they are suspended\(until); a suspended member keeps public reads and their own data only")
        case (.chapterLeader, .leader(let chapter?)):
            return .notPermitted(
                member: member.id, action: action, rule: rule,
                reason: "only the organizers of chapter \(chapter) and staff may do this")
        default:
            return .notPermitted(member: member.id, action: action, rule: rule, reason: rule.description)
        }
    }

    /// The rule of a refusal; nil for errors that are not refusals (bad input, missing things,
    /// state, storage).
    public var rule: AuthorityRule? {
        switch self {
        case .notPermitted(_, _, let rule, _): rule
        case .accessDenied: .boardAccess
        case .acknowledgementRequired: .guidelines
        default: nil
        }
    }
}

extension CommunityService {
    /// Checks `requirement` for a read by `readerID`, in a transaction of its own that writes
    /// nothing, and returns the reader.
    @discardableResult
    nonisolated(nonsending) package func authorize(_ requirement: Requirement, by readerID: MemberID, to action: String)
        async throws(CommunityError) -> Member
    {
        try await transact { tx in
            let reader = try await tx.member(readerID).value
            try await tx.authorize(requirement, by: reader, to: action)
            return reader
        }
    }
}
