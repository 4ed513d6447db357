public import CommunityModel
public import Foundation

/// A badge's tier, for badges that come in three.
public enum BadgeTier: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case bronze, silver, gold

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What earns a badge, over the activity log and the projections built on it.
public indirect enum BadgeCriterion: Hashable, Sendable, Codable {
    /// At least `atLeast` activities of `kind`; with `withinDays`, all of them in the last
    /// that many days (counted back from the latest).
    case count(ActivityKind, atLeast: Int, withinDays: Int? = nil)
    /// A homework check-in streak of `days` consecutive days in one programme (a make-up
    /// counts for the day it fills).
    case streak(days: Int)
    /// A points balance of at least `atLeast` (the points ledger's, with its caps and reversals).
    case points(atLeast: Int)
    /// A role held for `days` days without a break (checked as events arrive and by the clock).
    case roleHeld(Role, days: Int)
    /// At least `atLeast` chapter events created and not cancelled.
    case eventsHosted(atLeast: Int)
    /// For organizers: a chapter they organize reached `atLeast` members.
    case chapterMembers(atLeast: Int)
    /// A Community Challenge place of `atBest` or better (1 for the winners).
    case challengePlacement(atBest: Int)
    /// Every one of the criteria.
    case all([BadgeCriterion])
    /// At least one of the criteria (the first met, in order, gives the evidence).
    case any([BadgeCriterion])

    /// The criteria inside, this one included.
    var flattened: [BadgeCriterion] {
        switch self {
        case .all(let parts), .any(let parts): [self] + parts.flatMap(\.flattened)
        default: [self]
        }
    }

    /// Whether the clock alone can make it met (a role held long enough).
    var dependsOnTime: Bool {
        flattened.contains { if case .roleHeld = $0 { true } else { false } }
    }
}

/// A badge, defined as data.
public struct BadgeDefinition: Hashable, Sendable, Codable, Identifiable {
    /// 1 to 128 ASCII letters, digits, `.`, `_` or `-`.
    public var id: BadgeID
    public var name: String
    public var description: String
    public var tier: BadgeTier?
    public var criterion: BadgeCriterion
    /// A repeatable badge is awarded again each time its criterion is met with new evidence
    /// (every further `atLeast` activities, every further placement). Only a single count or
    /// placement criterion can repeat.
    public var isRepeatable: Bool
    /// The badge's image, from the integrator (Open Badges needs one).
    public var image: URL

    public init(
        id: BadgeID, name: String, description: String, tier: BadgeTier? = nil, criterion: BadgeCriterion,
        isRepeatable: Bool = false, image: URL
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.tier = tier
        self.criterion = criterion
        self.isRepeatable = isRepeatable
        self.image = image
    }

    func validate() throws(RecognitionError) {
        try RecognitionError.checking { () throws(CommunityError) in
            try Validate.id(id.rawValue, field: "badge id")
            _ = try Validate.name(name, field: "badge name (\(id))")
            _ = try Validate.message(description, field: "badge description (\(id))", limit: Limits.freeText)
            try Validate.url(image, field: "badge image (\(id))")
        }
        for part in criterion.flattened {
            switch part {
            case .count(let kind, let n, let days):
                guard !kind.isDerived else {
                    throw .invalidInput(
                        field: "criterion",
                        reason: "a badge cannot count \(kind) entries, which badges make (badge \(id))")
                }
                try Self.positive(n, "count", id)
                if let days { try Self.positive(days, "window in days", id) }
            case .streak(let days): try Self.positive(days, "streak days", id)
            case .points(let n): try Self.positive(n, "points", id)
            case .roleHeld(_, let days): try Self.positive(days, "days in role", id)
            case .eventsHosted(let n): try Self.positive(n, "events hosted", id)
            case .chapterMembers(let n): try Self.positive(n, "chapter members", id)
            case .challengePlacement(let place): try Self.positive(place, "challenge place", id)
            case .all(let parts), .any(let parts):
                guard !parts.isEmpty else {
                    throw .invalidInput(
                        field: "criterion", reason: "all/any needs at least one criterion (badge \(id))")
                }
            }
        }
        if isRepeatable {
            switch criterion {
            case .count, .challengePlacement: break
            default:
                throw .invalidInput(
                    field: "repeatable",
                    reason: "only a single count or challenge placement criterion can repeat (badge \(id))")
            }
        }
    }

    private static func positive(_ value: Int, _ what: String, _ id: BadgeID) throws(RecognitionError) {
        guard value >= 1, value <= 1_000_000 else {
            throw .invalidInput(field: what, reason: "must be 1 to 1,000,000, not \(value) (badge \(id))")
        }
    }
}

/// A badge awarded to a member: which, the how-manieth time, when, and the log entries that
/// earned it.
public struct BadgeAward: Hashable, Sendable, Codable {
    public var badge: BadgeID
    public var member: MemberID
    /// 1 for the first award; repeatable badges count up.
    public var number: Int
    /// The log position and time of the event (or the clock's time) that completed the criterion.
    public var position: UInt64
    public var awardedAt: Date
    /// The log positions of the entries that earned it, in order.
    public var evidence: [UInt64]

    /// The award's id: `badge|member|number`.
    public var id: AwardID { AwardID(CompositeKey.make(badge, member, number)) }
}
