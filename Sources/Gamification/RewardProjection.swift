public import CommunityModel
import Foundation
public import Storage

/// Grants reward tiers as the points arrive: a projection on a `ProjectionHost`, registered
/// after the ``PointsLedger`` whose balances it reads, whose grants are effects committed with
/// its checkpoint (see `ProjectionHost`). A member is granted a tier once, by the entry that
/// first brings their all-time balance to its threshold; the grant's `rewardEarned` entry takes
/// its time and local day from that entry, and an id derived from the grant's, so two
/// processes that fold the same log store one grant and one entry.
///
/// A grant stays when points are later taken back (a removal, a negative adjustment): staff may
/// decline it.
public struct RewardProjection: ActivityProjection, Equatable {
    public let checkpointName: String
    /// The tiers, by threshold.
    public let tiers: [RewardTier]
    /// The checkpoint name of the ledger registered before it on the host.
    public let ledgerName: String
    public let configuration: String
    public private(set) var position: UInt64 = 0

    /// The most tiers a school may define.
    public static let maximumTiers = 64

    /// Per member, a bit per tier (in ``tiers`` order) granted.
    private(set) var granted: [String: UInt64] = [:]
    private var pending: [(grant: RewardGrant, entry: ActivityEvent)] = []

    /// - Throws: `CommunityError.invalidInput(field:reason:)` for more than ``maximumTiers``
    ///   tiers, a repeated id, or a threshold below zero.
    public init(tiers: [RewardTier], ledgerName: String, checkpointName: String = "rewards") throws(CommunityError) {
        guard tiers.count <= Self.maximumTiers else {
            throw .invalidInput(
                field: "rewardTiers", reason: "at most \(Self.maximumTiers) tiers, not \(tiers.count)")
        }
        guard Set(tiers.map(\.id)).count == tiers.count else {
            throw .invalidInput(field: "rewardTiers", reason: "every tier needs its own id")
        }
        if let bad = tiers.first(where: { $0.threshold < 0 || $0.id.rawValue.isEmpty }) {
            throw .invalidInput(
                field: "rewardTiers", reason: "tier \(bad.id.rawValue.debugDescription) needs an id and a threshold ≥ 0"
            )
        }
        self.tiers = tiers.sorted { ($0.threshold, $0.id) < ($1.threshold, $1.id) }
        self.ledgerName = ledgerName
        self.checkpointName = checkpointName
        configuration =
            "rewards (state 1) " + Self.configurationText(of: self.tiers) + " points from " + ledgerName
    }

    /// Equal when they are at the same position with the same grants (effects not yet taken aside).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.configuration == rhs.configuration && lhs.checkpointName == rhs.checkpointName
            && lhs.position == rhs.position && lhs.granted == rhs.granted
    }

    /// Whether `member` was granted `tier`.
    public func isGranted(_ tier: RewardTierID, to member: MemberID) -> Bool {
        guard let index = tiers.firstIndex(where: { $0.id == tier }) else { return false }
        return (granted[member.rawValue] ?? 0) & (1 << UInt64(index)) != 0
    }

    /// Without a ledger to read, there is nothing to grant: the entry only moves the position.
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
    }

    /// Grants what the entry's member, and the owner of its subject (the two whose balance an
    /// entry can raise), now reach.
    public mutating func apply(_ logged: LoggedActivity, reading earlier: ProjectionReader) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        guard event.kind != .memberErased else {
            granted.removeValue(forKey: event.member.rawValue)
            pending.removeAll { $0.grant.member == event.member }
            return
        }
        guard !tiers.isEmpty, let ledger = earlier.state(of: PointsLedger.self, named: ledgerName) else { return }
        var members = [event.member]
        if let owner = event.subjectOwner, owner != event.member { members.append(owner) }
        for member in members {
            let balance = ledger.balance(of: member)
            guard balance >= tiers[0].threshold else { continue }
            var bits = granted[member.rawValue] ?? 0
            for (index, tier) in tiers.enumerated() where tier.threshold <= balance && bits & (1 << UInt64(index)) == 0
            {
                bits |= 1 << UInt64(index)
                let grant = RewardGrant(
                    member: member, tier: tier, status: .earned, earnedAt: event.time.date, pointsAtGrant: balance,
                    history: [])
                pending.append((grant, event))
            }
            granted[member.rawValue] = bits
        }
    }

    /// The grants made since the last call, each with its `rewardEarned` entry.
    public mutating func takeEffects() -> [ProjectionEffect] {
        defer { pending = [] }
        return pending.compactMap { grant, trigger in
            let id = RewardGrant.id(grant.member, grant.tier.id)
            let digest = SHA256.hash(Array(("rewardEarned\0" + id).utf8))
            guard let entryID = EntryID(bytes: digest.prefix(16)),
                let entry = try? ActivityEvent(
                    id: entryID, kind: .rewardEarned, member: grant.member, time: trigger.time,
                    localDate: trigger.localDate, context: ActivityContext(subject: .reward(grant.tier.id))
                ).logEntry()
            else { return nil }
            return try? ProjectionEffect.create(grant, id: id, in: GamificationService.grants, logging: entry)
        }
    }

    public func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(granted.count))
        for (member, bits) in granted.sorted(by: { $0.key < $1.key }) {
            writer.string(member)
            writer.unsigned(bits)
        }
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        let count = try reader.count()
        var granted: [String: UInt64] = [:]
        for _ in 0..<count {
            let member = try reader.string()
            granted[member] = try reader.unsigned()
        }
        try reader.expectEnd()
        self.granted = granted
        pending = []
        self.position = position
    }
}
