import CommunityModel
import Foundation

/// The reference model of who may do what, written from the rules page
/// (Documentation/Authority.md) and not from the library's code: each command says who may take
/// it (``Who``), and ``Who/verdict(for:)`` answers from a member's facts alone.
enum Verdict: Hashable, Sendable, CustomStringConvertible {
    case allow
    case deny(AuthorityRule)

    var description: String {
        switch self {
        case .allow: "allowed"
        case .deny(let rule): "refused (\(rule.rawValue))"
        }
    }
}

/// Who may take an action, in the rules page's words.
enum Who: Hashable, Sendable {
    /// Anyone, also while suspended.
    case anyone
    /// Any member in good standing.
    case anyMember
    /// Only this member, also while suspended.
    case themself(MemberID)
    /// These members (also while suspended), or staff and community managers in good standing.
    case themselfOrStaff(Set<MemberID>)
    /// The member in good standing, or staff and community managers in good standing for them.
    case themselfOrSupport(MemberID)
    /// The member (also while suspended), or staff and community managers in good standing.
    case themselfAnytimeOrSupport(MemberID)
    /// Staff and community managers in good standing.
    case staff
    /// Staff (not community managers) in good standing.
    case staffOnly
    /// The chapter's organizers (any organizer when nil), staff and community managers, in good
    /// standing; with `gated`, they then pass the guidelines gate (staff are exempt from it).
    case leader(ChapterID?, gated: Bool)
    /// Who the board's audience lets do it; beyond reading a board open to everyone, in good
    /// standing. With `gated`, they then pass the guidelines gate.
    case board(Board, BoardPermissions, gated: Bool)
    /// Only these members, in good standing.
    case parties(Set<MemberID>)
    /// The chapter's members and organizers, staff and community managers, in good standing.
    case chapterMember(ChapterID)

    /// What the model decides for `person`.
    func verdict(for person: Person) -> Verdict {
        let runsTheCommunity = person.isStaff || person.isManager
        let standing: Verdict = person.isSuspended ? .deny(.goodStanding) : .allow
        switch self {
        case .anyone:
            return .allow
        case .anyMember:
            return standing
        case .themself(let member):
            return person.id == member ? .allow : .deny(.themselfOnly)
        case .themselfOrStaff(let parties):
            if parties.contains(person.id) { return .allow }
            return runsTheCommunity ? standing : .deny(.themselfOrStaff)
        case .themselfOrSupport(let member):
            if person.id == member { return standing }
            return runsTheCommunity ? standing : .deny(.themselfOrSupport)
        case .themselfAnytimeOrSupport(let member):
            if person.id == member { return .allow }
            return runsTheCommunity ? standing : .deny(.themselfOrSupport)
        case .staff:
            return runsTheCommunity ? standing : .deny(.staff)
        case .staffOnly:
            return person.isStaff ? standing : .deny(.staffRole)
        case .leader(let chapter, let gated):
            let leads: Bool
            if runsTheCommunity {
                leads = true
            } else if let chapter {
                leads = person.organizes.contains(chapter)
            } else {
                leads = !person.organizes.isEmpty
            }
            guard leads else { return .deny(.chapterLeader) }
            guard !person.isSuspended else { return .deny(.goodStanding) }
            return !gated || person.isStaff || person.hasAcknowledged ? .allow : .deny(.guidelines)
        case .board(let board, let wanted, let gated):
            guard Self.access(of: person, to: board).isSuperset(of: wanted) else { return .deny(.boardAccess) }
            if wanted == .read && board.audience == .everyone { return .allow }
            guard !person.isSuspended else { return .deny(.goodStanding) }
            if gated && !person.isStaff && !person.hasAcknowledged { return .deny(.guidelines) }
            return .allow
        case .parties(let parties):
            return parties.contains(person.id) ? standing : .deny(.parties)
        case .chapterMember(let chapter):
            let belongs = runsTheCommunity || person.chapters.contains(chapter) || person.organizes.contains(chapter)
            return belongs ? standing : .deny(.chapterMember)
        }
    }

    /// The board rules: staff and community managers do everything, a chapter's organizers
    /// everything on its boards, members of the audience read and post.
    static func access(of person: Person, to board: Board) -> BoardPermissions {
        if person.isStaff || person.isManager { return [.read, .post, .moderate] }
        if let chapter = board.chapter, person.organizes.contains(chapter) { return [.read, .post, .moderate] }
        let inAudience =
            switch board.audience {
            case .everyone: true
            case .chapterMembers(let chapter): person.chapters.contains(chapter)
            case .enrolled: person.isEnrolled || person.hasCompleted
            case .alumni: person.hasCompleted
            case .organizers, .staff: false
            }
        return inAudience ? [.read, .post] : []
    }
}
