import Foundation

/// Where an application to organize a chapter stands.
public enum OrganizerStage: String, Hashable, Sendable, Codable, CaseIterable {
    case applied
    case underReview
    case approved
    case rejected
    case onboarded
    case active
    case onLeave
    case retired

    /// The stages an application may move to from this one. `rejected` and `retired` are final
    /// (a member may apply again with a new application).
    public var next: Set<OrganizerStage> {
        switch self {
        case .applied: [.underReview, .rejected]
        case .underReview: [.approved, .rejected]
        case .approved: [.onboarded, .rejected]
        case .onboarded: [.active, .rejected]
        case .active: [.onLeave, .retired]
        case .onLeave: [.active, .retired]
        case .rejected, .retired: []
        }
    }

    /// Whether the application is still open (not rejected or retired).
    public var isOpen: Bool { self != .rejected && self != .retired }
}

/// One move of an application, for the audit trail: who moved it, when and why.
public struct OrganizerTransition: Hashable, Sendable, Codable {
    public var from: OrganizerStage?
    public var to: OrganizerStage
    public var by: MemberID
    public var at: Date
    public var reason: String
}

/// How an application began.
public enum OrganizerNomination: Hashable, Sendable, Codable {
    /// The member applied themselves.
    case selfApplication
    /// Staff nominated the member (typically from the superuser list).
    case nominatedBy(MemberID)
}

/// A member's application to organize a chapter, from nomination to retirement.
public struct OrganizerApplication: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var member: MemberID
    public var chapter: ChapterID
    public var nomination: OrganizerNomination
    public var stage: OrganizerStage
    /// Every move, oldest first; the first is the application itself.
    public var history: [OrganizerTransition]

    public init(
        id: String, member: MemberID, chapter: ChapterID, nomination: OrganizerNomination, stage: OrganizerStage,
        history: [OrganizerTransition]
    ) {
        self.id = id
        self.member = member
        self.chapter = chapter
        self.nomination = nomination
        self.stage = stage
        self.history = history
    }

    /// Moves the application on, recording who and why.
    ///
    /// - Throws: ``CommunityError/invalidState(_:)`` naming the allowed next stages when the move
    ///   is not one of them.
    public mutating func move(to stage: OrganizerStage, by actor: MemberID, at time: Date, reason: String)
        throws(CommunityError)
    {
        guard self.stage.next.contains(stage) else {
            let allowed = self.stage.next.map(\.rawValue).sorted()
            throw .invalidState(
                "The application \(id) of member \(member) is \(self.stage.rawValue) and cannot move to "
                    + "\(stage.rawValue); "
                    + (allowed.isEmpty
                        ? "it is closed, a new application is needed."
                        : "it can move to \(allowed.joined(separator: " or ")).")
            )
        }
        history.append(OrganizerTransition(from: self.stage, to: stage, by: actor, at: time, reason: reason))
        self.stage = stage
    }
}

/// A rule an organizer must meet, and whether a member does.
public enum EligibilityRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// Completed at least one programme.
    case completedAProgramme
    /// No active suspension.
    case inGoodStanding
    /// A member of the chapter they would organize.
    case memberOfChapter
}

/// The result of checking a member against every eligibility rule: the failing rules are listed
/// with reasons, not just "no".
public struct Eligibility: Hashable, Sendable {
    public var member: MemberID
    public var chapter: ChapterID
    /// Rule → why it fails; empty when the member is eligible.
    public var failing: [EligibilityRule: String]

    public var isEligible: Bool { failing.isEmpty }
}

/// A member's standing: warnings and suspensions by staff or the chapter's organizers.
public struct MemberStanding: Hashable, Sendable, Codable {
    public struct Action: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case warned, suspended, suspensionLifted
        }

        public var kind: Kind
        public var by: MemberID
        public var at: Date
        public var reason: String
        /// For a suspension: until when.
        public var until: Date?
    }

    public var member: MemberID
    /// Until when the member is suspended; nil when not.
    public var suspendedUntil: Date?
    /// Every action, oldest first.
    public var history: [Action]

    /// Good standing: no suspension running at `date`.
    public func isInGoodStanding(at date: Date) -> Bool { suspendedUntil.map { $0 <= date } ?? true }
}
