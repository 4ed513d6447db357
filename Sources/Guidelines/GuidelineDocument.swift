public import CommunityModel
import Foundation

/// A guidelines version, `major.minor`. A new major version must be acknowledged again by
/// every leader; a minor one (wording, examples) need not be.
public struct GuidelineVersion: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int = 0) throws(CommunityError) {
        guard major >= 1, minor >= 0 else {
            throw .invalidInput(
                field: "version", reason: "the major version starts at 1 and the minor at 0, not \(major).\(minor)")
        }
        self.major = major
        self.minor = minor
    }

    /// Parses `"2.1"` (or `"2"`, meaning 2.0).
    public init(_ text: String) throws(CommunityError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), let minor = parts.count == 2 ? Int(parts[1]) : 0
        else {
            throw .invalidInput(field: "version", reason: "write it as major.minor, such as 2.1, not \"\(text)\"")
        }
        try self.init(major: major, minor: minor)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }

    public var description: String { "\(major).\(minor)" }
}

/// How a leadership role is described to the people who hold it and to everyone else.
public struct RoleGuide: Hashable, Sendable, Codable {
    public var role: Role
    /// What the role involves.
    public var description: String
    /// How to refer to the role in public, e.g. "Chapter Organizer" (never "ambassador").
    public var publicTitle: String

    public init(role: Role, description: String, publicTitle: String) {
        self.role = role
        self.description = description
        self.publicTitle = publicTitle
    }
}

/// A kind of content a leader writes; each has a length limit in its own unit.
public enum ContentChannel: Hashable, Sendable, Codable, CustomStringConvertible {
    case forumPost
    case eventDescription
    /// A post on a named social network (its limit comes from ``ChannelLimit``).
    case socialPost(network: String)

    public var description: String {
        switch self {
        case .forumPost: "forum post"
        case .eventDescription: "event description"
        case .socialPost(let network): "\(network) post"
        }
    }
}

/// What a length limit counts.
public enum LengthUnit: String, Hashable, Sendable, Codable {
    /// Characters as people see them (grapheme clusters): an emoji or "é" counts once.
    case characters
    /// UTF-16 code units, as some networks count.
    case utf16
}

/// The longest text a channel accepts.
public struct ChannelLimit: Hashable, Sendable, Codable {
    public var channel: ContentChannel
    public var maximumLength: Int
    public var unit: LengthUnit

    public init(channel: ContentChannel, maximumLength: Int, unit: LengthUnit = .characters) {
        self.channel = channel
        self.maximumLength = maximumLength
        self.unit = unit
    }
}

/// The wording that must credit the school, and where.
public struct AttributionRule: Hashable, Sendable, Codable {
    /// Exactly as it must appear, e.g. "A Brightpath Academy community".
    public var wording: String
    /// The channels whose content must carry it.
    public var requiredOn: [ContentChannel]

    public init(wording: String, requiredOn: [ContentChannel]) {
        self.wording = wording
        self.requiredOn = requiredOn
    }
}

/// When the logo may be used, by whom, and how to get permission.
public struct LogoPolicy: Hashable, Sendable, Codable {
    /// When the logo may appear, for people to read.
    public var usage: String
    /// Roles that may use it once they hold written permission.
    public var permittedRoles: [Role]
    /// How to ask for permission.
    public var howToAsk: String
    /// Words in a draft that claim use of the logo, e.g. "logo", "official partner".
    public var claimPhrases: [String]

    public init(usage: String, permittedRoles: [Role], howToAsk: String, claimPhrases: [String]) {
        self.usage = usage
        self.permittedRoles = permittedRoles
        self.howToAsk = howToAsk
        self.claimPhrases = claimPhrases
    }
}

/// An official social account.
public struct SocialChannel: Hashable, Sendable, Codable {
    public var network: String
    public var handle: String
    public var url: String

    public init(network: String, handle: String, url: String) {
        self.network = network
        self.handle = handle
        self.url = url
    }
}

/// A campaign and its hashtag, which social posts carry while it runs (first to last day,
/// inclusive) and never outside it.
public struct Campaign: Hashable, Sendable, Codable {
    public var name: String
    /// With its `#`, e.g. `#LearnTogether2026`.
    public var hashtag: String
    public var starts: LocalDate
    public var ends: LocalDate

    public init(name: String, hashtag: String, starts: LocalDate, ends: LocalDate) {
        self.name = name
        self.hashtag = hashtag
        self.starts = starts
        self.ends = ends
    }

    public func isRunning(on day: LocalDate) -> Bool { starts <= day && day <= ends }
}

/// A piece of content that shows how it is done.
public struct ContentExample: Hashable, Sendable, Codable {
    public var channel: ContentChannel
    public var title: String
    public var text: String

    public init(channel: ContentChannel, title: String, text: String) {
        self.channel = channel
        self.title = title
        self.text = text
    }
}

/// The brand's name as it must be written, with the misspellings seen in the wild.
public struct BrandName: Hashable, Sendable, Codable {
    /// Exactly as it must appear, e.g. "Brightpath".
    public var canonical: String
    /// Known misspellings, matched case-insensitively as whole words (e.g. "Brightpth").
    public var misspellings: [String]

    public init(canonical: String, misspellings: [String] = []) {
        self.canonical = canonical
        self.misspellings = misspellings
    }
}

/// A phrase leaders must not use, with a better one when there is one.
public struct BannedPhrase: Hashable, Sendable, Codable {
    public var phrase: String
    /// Suggested instead; nil when the sentence needs rewriting rather than a swap.
    public var replacement: String?
    /// Why, shown to the writer.
    public var reason: String

    public init(phrase: String, replacement: String? = nil, reason: String) {
        self.phrase = phrase
        self.replacement = replacement
        self.reason = reason
    }
}

/// Spelling, wording and tone.
public struct StyleRules: Hashable, Sendable, Codable {
    public var brandNames: [BrandName]
    public var bannedPhrases: [BannedPhrase]
    public var toneNotes: [String]

    public init(brandNames: [BrandName], bannedPhrases: [BannedPhrase] = [], toneNotes: [String] = []) {
        self.brandNames = brandNames
        self.bannedPhrases = bannedPhrases
        self.toneNotes = toneNotes
    }
}

/// The community's guidelines for its leaders, as data: what the community is for, what each
/// role involves, how to credit the brand and use its logo, the official channels and
/// campaigns, examples of good content, and the style rules the ``ContentChecker`` applies.
public struct GuidelineDocument: Hashable, Sendable, Codable {
    public var version: GuidelineVersion
    public var title: String
    public var goals: [String]
    public var objectives: [String]
    public var roles: [RoleGuide]
    public var attribution: AttributionRule
    public var logo: LogoPolicy
    public var socialChannels: [SocialChannel]
    public var campaigns: [Campaign]
    public var examples: [ContentExample]
    public var style: StyleRules
    /// Domains links may point to; their subdomains are allowed too.
    public var allowedLinkDomains: [String]
    public var channelLimits: [ChannelLimit]

    public init(
        version: GuidelineVersion,
        title: String,
        goals: [String],
        objectives: [String],
        roles: [RoleGuide],
        attribution: AttributionRule,
        logo: LogoPolicy,
        socialChannels: [SocialChannel],
        campaigns: [Campaign],
        examples: [ContentExample],
        style: StyleRules,
        allowedLinkDomains: [String],
        channelLimits: [ChannelLimit]
    ) {
        self.version = version
        self.title = title
        self.goals = goals
        self.objectives = objectives
        self.roles = roles
        self.attribution = attribution
        self.logo = logo
        self.socialChannels = socialChannels
        self.campaigns = campaigns
        self.examples = examples
        self.style = style
        self.allowedLinkDomains = allowedLinkDomains
        self.channelLimits = channelLimits
    }

    /// Throws a typed error naming the first thing a checker could not work with: empty
    /// wording or brand names, a hashtag without `#` or with spaces, a campaign that ends
    /// before it starts, a domain that is not a host name, a limit below 1.
    public func validate() throws(CommunityError) {
        func require(_ condition: Bool, _ field: String, _ reason: String) throws(CommunityError) {
            if !condition { throw .invalidInput(field: field, reason: reason) }
        }
        _ = try Validate.name(title, field: "title")
        try require(!attribution.wording.isEmpty, "attribution.wording", "the attribution wording is empty")
        try require(!style.brandNames.isEmpty, "style.brandNames", "name the brand at least once")
        for brand in style.brandNames {
            try require(
                !ContentText.words(in: brand.canonical).isEmpty, "style.brandNames",
                "a brand name needs a letter or digit, not \"\(brand.canonical)\"")
        }
        for phrase in style.bannedPhrases {
            try require(
                !ContentText.words(in: phrase.phrase).isEmpty, "style.bannedPhrases",
                "a banned phrase needs a word, not \"\(phrase.phrase)\"")
        }
        for campaign in campaigns {
            let tag = campaign.hashtag
            try require(
                tag.hasPrefix("#") && tag.count > 1 && ContentText.words(in: tag).count == 1
                    && !tag.contains(where: \.isWhitespace),
                "campaigns.hashtag", "a hashtag is # and one word, such as #LearnTogether, not \"\(tag)\"")
            try require(
                campaign.starts.isValid && campaign.ends.isValid, "campaigns",
                "campaign \(campaign.name) has a date that does not exist")
            try require(
                campaign.starts <= campaign.ends, "campaigns",
                "campaign \(campaign.name) ends (\(campaign.ends)) before it starts (\(campaign.starts))")
        }
        for domain in allowedLinkDomains {
            try require(
                LinkScanner.isHostName(domain), "allowedLinkDomains",
                "\"\(domain)\" is not a host name such as brightpath.example")
        }
        for limit in channelLimits {
            try require(
                limit.maximumLength >= 1, "channelLimits", "the limit of \(limit.channel) must be at least 1")
        }
    }

    /// The limit of a channel: the document's, or a social network's default of 280 characters,
    /// none for forum posts and event descriptions it does not limit.
    public func limit(of channel: ContentChannel) -> ChannelLimit? {
        if let limit = channelLimits.first(where: { $0.channel == channel }) { return limit }
        if case .socialPost = channel { return ChannelLimit(channel: channel, maximumLength: 280) }
        return nil
    }
}
