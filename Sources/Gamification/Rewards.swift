public import CommunityModel
public import Foundation

/// What a reward is.
public enum RewardKind: String, Hashable, Sendable, Codable, CaseIterable {
    case swag
    case betaInvitation
    case exclusiveAccess
}

/// A reward a member earns once, on reaching a number of points (all time).
public struct RewardTier: Hashable, Sendable, Codable {
    public var id: RewardTierID
    public var name: String
    public var kind: RewardKind
    public var threshold: Int

    public init(id: RewardTierID, name: String, kind: RewardKind, threshold: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.threshold = threshold
    }

    /// A sticker pack at 500 points, an invitation to test new courses at 1,500, and early
    /// access to the community's events at 5,000.
    public static let defaults: [RewardTier] = [
        RewardTier(id: "stickers", name: "Sticker pack", kind: .swag, threshold: 500),
        RewardTier(id: "beta", name: "Beta-testing invitation", kind: .betaInvitation, threshold: 1_500),
        RewardTier(id: "early-access", name: "Early access to events", kind: .exclusiveAccess, threshold: 5_000),
    ]
}

/// Where a reward is in its fulfilment.
public enum RewardStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case earned, offered, claimed, shipped, declined

    /// The statuses a reward may move to from this one.
    public var next: [RewardStatus] {
        switch self {
        case .earned: [.offered, .declined]
        case .offered: [.claimed, .declined]
        case .claimed: [.shipped]
        case .shipped, .declined: []
        }
    }
}

/// One move of a reward, with who made it.
public struct RewardMove: Hashable, Sendable, Codable {
    public var from: RewardStatus
    public var to: RewardStatus
    public var by: MemberID
    public var at: Date
}

/// A reward a member earned, and its fulfilment.
public struct RewardGrant: Hashable, Sendable, Codable {
    public var member: MemberID
    public var tier: RewardTier
    public var status: RewardStatus
    public var earnedAt: Date
    /// The points the member had when it was granted.
    public var pointsAtGrant: Int
    public var history: [RewardMove]

    /// The record id: one grant per member and tier.
    static func id(_ member: MemberID, _ tier: RewardTierID) -> String { CompositeKey.make(member, tier) }
}
