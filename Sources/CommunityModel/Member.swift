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
///
/// The log records consents by their place in `allCases`: new cases are added at the end.
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

    private enum CodingKeys: String, CodingKey {
        case displayName, country, timeZone, languages, headline, consents
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        displayName = try container.decode(String.self, forKey: .displayName)
        country = try container.decode(CountryCode.self, forKey: .country)
        timeZone = try container.decode(TimeZoneID.self, forKey: .timeZone)
        languages = try container.decode([String].self, forKey: .languages)
        headline = try container.decode(String.self, forKey: .headline)
        consents = Set(try container.decode([Consent].self, forKey: .consents))
    }

    /// Consents are written sorted, so equal profiles give equal bytes in every process.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(country, forKey: .country)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(languages, forKey: .languages)
        try container.encode(headline, forKey: .headline)
        try container.encode(consents.sorted(), forKey: .consents)
    }
}

/// A member of the community, as the member themself and staff see them (time zone and consents
/// included; `CommunityService.member(_:by:)`); anyone else sees a ``PublicProfile``. The
/// member's email is private: it lives in a record of its own and is never part of this value.
public struct Member: Hashable, Sendable, Codable, Identifiable {
    public var id: MemberID
    public var profile: Profile
    public var roles: Set<Role>
    /// When the member joined the community.
    public var joinedAt: Date

    public init(id: MemberID, profile: Profile, roles: Set<Role>, joinedAt: Date) {
        self.id = id
        self.profile = profile
        self.roles = roles
        self.joinedAt = joinedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, profile, roles, joinedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(MemberID.self, forKey: .id)
        profile = try container.decode(Profile.self, forKey: .profile)
        roles = Set(try container.decode([Role].self, forKey: .roles))
        joinedAt = try container.decode(Date.self, forKey: .joinedAt)
    }

    /// Roles are written sorted, so equal members give equal bytes in every process.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(profile, forKey: .profile)
        try container.encode(roles.sorted(), forKey: .roles)
        try container.encode(joinedAt, forKey: .joinedAt)
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Staff and community managers run the community: they may moderate and manage anywhere.
    public var isStaffLike: Bool { has(.staff) || has(.communityManager) }

    public func consents(to consent: Consent) -> Bool { profile.consents.contains(consent) }
}

/// A member as anyone may see them: name, country, languages, headline, roles and when they
/// joined; not their time zone or their consents.
public struct PublicProfile: Hashable, Sendable, Identifiable {
    public var id: MemberID
    public var displayName: String
    public var country: CountryCode
    public var languages: [String]
    public var headline: String
    public var roles: Set<Role>
    public var joinedAt: Date

    /// The public view of `member`.
    public init(_ member: Member) {
        id = member.id
        displayName = member.profile.displayName
        country = member.profile.country
        languages = member.profile.languages
        headline = member.profile.headline
        roles = member.roles
        joinedAt = member.joinedAt
    }
}

/// What a new member brings: raw text, checked by ``CommunityService/registerMember(_:by:idempotencyKey:)``.
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
    /// Learner, or staff and community manager (registered by staff). Alumnus and organizer
    /// are earned (a completion) and appointed (``CommunityService/appointOrganizer(_:of:by:idempotencyKey:)``).
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

/// The public part of a profile as raw text, for ``CommunityService/updateProfile(of:by:idempotencyKey:_:)``.
public struct ProfileDraft: Hashable, Sendable {
    public var displayName: String
    /// ISO 3166-1 alpha-2 code, any case.
    public var country: String
    /// IANA time zone identifier.
    public var timeZone: String
    public var languages: [String]
    public var headline: String
    public var consents: Set<Consent>

    public init(_ profile: Profile) {
        displayName = profile.displayName
        country = profile.country.code
        timeZone = profile.timeZone.identifier
        languages = profile.languages
        headline = profile.headline
        consents = profile.consents
    }

    public init(
        displayName: String, country: String, timeZone: String, languages: [String], headline: String,
        consents: Set<Consent>
    ) {
        self.displayName = displayName
        self.country = country
        self.timeZone = timeZone
        self.languages = languages
        self.headline = headline
        self.consents = consents
    }

    /// The checked profile.
    func validated() throws(CommunityError) -> Profile {
        let name = try Validate.name(displayName, field: "displayName", limit: Limits.name)
        try Validate.text(headline, field: "headline", limit: Limits.headline)
        return Profile(
            displayName: name, country: try CountryCode(country), timeZone: try TimeZoneID(timeZone),
            languages: try Validate.languageTags(languages), headline: headline, consents: consents)
    }
}

/// A member's private contact details: never shown to other members, never in a public output;
/// only the member's own data export (to them, or to staff handling their request) holds it.
public struct MemberContact: Hashable, Sendable, Codable {
    public var member: MemberID
    /// Lowercased.
    public var email: String

    package init(member: MemberID, email: String) {
        self.member = member
        self.email = email
    }
}
