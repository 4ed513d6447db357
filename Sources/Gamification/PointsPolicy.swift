public import CommunityModel

/// What one kind of activity pays, and to whom.
public struct PointsRule: Hashable, Sendable, Codable {
    /// Points for the member who did it (answering, attending an event).
    public var performer: Int
    /// Points for the owner of the content it was done to (a reaction or feedback received).
    public var owner: Int

    public init(performer: Int = 0, owner: Int = 0) {
        self.performer = performer
        self.owner = owner
    }
}

/// How a school pays points, and the rules that keep points from being gamed.
///
/// Rules are versioned: a school that changes them raises ``version``, and the ledger (whose
/// checkpoint is keyed by the whole policy) is rebuilt under the new rules.
///
/// - **Caps** apply in log order, per member and local day: at most ``dailyCap`` points a day
///   in all (Stack Exchange caps reputation at 200 a day), and at most ``kindDailyCaps`` points
///   a day from one kind. The day is the one stamped on the entry that pays: the performer's
///   local day. Staff adjustments are not capped.
/// - **Own content** earns nothing: reacting to or giving feedback on one's own post pays
///   neither side.
/// - **Rings**: one member can pay another at most ``pairCap`` points per ``pairPeriodDays``
///   (through reactions and feedback), so two members who only reward each other gain little.
/// - **Reversal**: an entry that `reverses` another (content removed, a reaction withdrawn)
///   takes back exactly what the reversed entry paid, as a compensating ledger line. Capped
///   points that a reversal frees are not paid again later (replay stays deterministic).
public struct PointsPolicy: Hashable, Sendable, Codable {
    /// Raised whenever the rules change.
    public var version: Int
    /// Points per activity kind; kinds not listed pay nothing.
    public var rules: [ActivityKind: PointsRule]
    /// The most points a member earns in one local day (adjustments aside).
    public var dailyCap: Int
    /// The most points a member earns from one kind in one local day.
    public var kindDailyCaps: [ActivityKind: Int]
    /// The most points one member can pay another in one period.
    public var pairCap: Int
    /// The length of the ring throttle's period, in days; periods start on Mondays (7 = ISO weeks).
    public var pairPeriodDays: Int

    public init(
        version: Int, rules: [ActivityKind: PointsRule], dailyCap: Int, kindDailyCaps: [ActivityKind: Int] = [:],
        pairCap: Int, pairPeriodDays: Int = 7
    ) {
        self.version = version
        self.rules = rules
        self.dailyCap = dailyCap
        self.kindDailyCaps = kindDailyCaps
        self.pairCap = pairCap
        self.pairPeriodDays = pairPeriodDays
    }

    private enum CodingKeys: String, CodingKey { case version, rules, dailyCap, kindDailyCaps, pairCap, pairPeriodDays }

    /// Decodes a policy and validates it (``validate()``): a policy from a file is held to the
    /// same rules as one made in code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            version: try container.decode(Int.self, forKey: .version),
            rules: try container.decode([ActivityKind: PointsRule].self, forKey: .rules),
            dailyCap: try container.decode(Int.self, forKey: .dailyCap),
            kindDailyCaps: try container.decode([ActivityKind: Int].self, forKey: .kindDailyCaps),
            pairCap: try container.decode(Int.self, forKey: .pairCap),
            pairPeriodDays: try container.decode(Int.self, forKey: .pairPeriodDays))
        do { try validate() } catch {
            throw DecodingError.dataCorruptedError(forKey: .rules, in: container, debugDescription: error.description)
        }
    }

    /// The default, version 2. Helping others pays most (an answer 10, an answer the asker
    /// accepts 15 more, feedback on a peer's answer 5 to the giver); receiving a reaction pays the author 2 and the reactor nothing,
    /// so reacting cannot be farmed by the reactor; showing up pays (attending an event 10,
    /// completing a course 50). At most 200 points a day, 40 a day from reactions received, and
    /// 20 a week from any one other member.
    public static let `default` = PointsPolicy(
        version: 2,
        rules: [
            .answered: PointsRule(performer: 10),
            .answerAccepted: PointsRule(performer: 15),
            .replied: PointsRule(performer: 2),
            .startedThread: PointsRule(performer: 2),
            .askedQuestion: PointsRule(performer: 2),
            .gaveFeedback: PointsRule(performer: 5, owner: 2),
            .reacted: PointsRule(owner: 2),
            .attendedEvent: PointsRule(performer: 10),
            .createdEvent: PointsRule(performer: 15),
            .completed: PointsRule(performer: 50),
            .shared: PointsRule(performer: 5),
            .checkedIn: PointsRule(performer: 3),
        ],
        dailyCap: 200,
        kindDailyCaps: [.reacted: 40, .replied: 20, .shared: 15],
        pairCap: 20,
        pairPeriodDays: 7)

    /// Checks the numbers.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` naming the first
    ///   value out of range.
    public func validate() throws(CommunityError) {
        guard version >= 1 else { throw .invalidInput(field: "version", reason: "must be 1 or more, not \(version)") }
        for kind in rules.keys.sorted() {
            guard !kind.isDerived else {
                throw .invalidInput(
                    field: "rules", reason: "\(kind) entries result from points; a rule on them would feed on itself")
            }
            let rule = rules[kind]!
            guard (0...10_000).contains(rule.performer), (0...10_000).contains(rule.owner) else {
                throw .invalidInput(field: "rules", reason: "the points of \(kind) must be 0…10,000")
            }
        }
        guard (1...1_000_000).contains(dailyCap) else {
            throw .invalidInput(field: "dailyCap", reason: "must be 1…1,000,000 points, not \(dailyCap)")
        }
        for kind in kindDailyCaps.keys.sorted() where !(1...1_000_000).contains(kindDailyCaps[kind]!) {
            throw .invalidInput(field: "kindDailyCaps", reason: "the daily cap of \(kind) must be 1…1,000,000 points")
        }
        guard (1...1_000_000).contains(pairCap) else {
            throw .invalidInput(field: "pairCap", reason: "must be 1…1,000,000 points, not \(pairCap)")
        }
        guard (1...366).contains(pairPeriodDays) else {
            throw .invalidInput(field: "pairPeriodDays", reason: "must be 1…366 days, not \(pairPeriodDays)")
        }
    }
}
