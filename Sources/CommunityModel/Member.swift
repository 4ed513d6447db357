import Foundation

/// What a member may be in the community. A member can hold several roles at once.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case learner
    case alumnus
    case chapterOrganizer
    case communityManager
    case staff

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// The order roles are listed in: from learner to staff.
    private var rank: Int {
        switch self {
        case .learner: 0
        case .alumnus: 1
        case .chapterOrganizer: 2
        case .communityManager: 3
        case .staff: 4
        }
    }
}

/// The things a member may consent to. Each feature that shows a member checks its own flag;
/// nothing is shown without consent.
public enum Consent: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Appear on public leaderboards (a hidden member still sees their own rank).
    case publicLeaderboards
    /// Be featured in a learner spotlight.
    case spotlight
    /// Have homework shown in the excellent-homework list.
    case homeworkShowcase
    /// Have badge assertions published (Open Badges).
    case publicBadgeAssertions
    /// Be suggested as someone who could answer a question.
    case answererSuggestions
    /// Receive the monthly newsletter.
    case newsletter

    public static func < (lhs: Consent, rhs: Consent) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A member's public profile and private contact.
public struct Profile: Hashable, Sendable, Codable {
    /// The name shown to others.
    public var displayName: String
    public var country: CountryCode
    public var timeZone: TimeZoneID
    /// Languages the member speaks, as BCP 47 tags (`en`, `pt-BR`).
    public var languages: [String]
    /// One line about the member.
    public var headline: String
    /// What the member agreed to be shown in or receive. Empty by default: nothing is shown
    /// without consent.
    public var consents: Set<Consent>

    public init(
        displayName: String,
        country: CountryCode,
        timeZone: TimeZoneID,
        languages: [String] = [],
        headline: String = "",
        consents: Set<Consent> = []
    ) {
        self.displayName = displayName
        self.country = country
        self.timeZone = timeZone
        self.languages = languages
        self.headline = headline
        self.consents = consents
    }
}

/// A member of the community.
public struct Member: Hashable, Sendable, Codable, Identifiable {
    public var id: MemberID
    public var profile: Profile
    /// Private: never shown to other members and never exported in clear.
    public var email: String
    public var roles: Set<Role>
    /// When the member joined the community.
    public var joinedAt: Date

    public init(id: MemberID, profile: Profile, email: String, roles: Set<Role>, joinedAt: Date) {
        self.id = id
        self.profile = profile
        self.email = email
        self.roles = roles
        self.joinedAt = joinedAt
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Staff and community managers run the community: they may moderate and manage anywhere.
    public var isStaffLike: Bool { has(.staff) || has(.communityManager) }

    public func consents(to consent: Consent) -> Bool { profile.consents.contains(consent) }
}

/// What a new member brings: raw text, checked by ``CommunityService/registerMember(_:)``.
public struct NewMember: Hashable, Sendable {
    /// The id to use (for example the school's learner id); minted when nil.
    public var id: MemberID?
    public var displayName: String
    public var email: String
    /// ISO 3166-1 alpha-2 code, any case.
    public var country: String
    /// IANA time zone identifier.
    public var timeZone: String
    public var languages: [String]
    public var headline: String
    public var consents: Set<Consent>
    public var roles: Set<Role>

    public init(
        id: MemberID? = nil,
        displayName: String,
        email: String,
        country: String,
        timeZone: String,
        languages: [String] = [],
        headline: String = "",
        consents: Set<Consent> = [],
        roles: Set<Role> = [.learner]
    ) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.country = country
        self.timeZone = timeZone
        self.languages = languages
        self.headline = headline
        self.consents = consents
        self.roles = roles
    }
}
