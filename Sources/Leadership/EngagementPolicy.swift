public import CommunityModel
import Foundation

/// How a school measures engagement: what each kind of activity is worth, how fast old activity
/// fades, how much of one kind counts in a day, and which members count as superusers.
///
/// Scores are integers in **milli-points** (1 point = 1,000), so that the incremental projection
/// and a full replay of the log give bit-identical results.
public struct EngagementPolicy: Hashable, Sendable, Codable {
    /// Points per activity kind; kinds not listed earn nothing.
    public var weights: [ActivityKind: Int]
    /// After this many days an activity's contribution is worth half (decay in whole days, in the
    /// member's own calendar). Must be 1…3,650.
    public var halfLifeDays: Int
    /// At most this many activities of a kind earn points per member per local day; more are
    /// counted as signals but earn nothing, so one kind cannot dominate (a reaction spree).
    public var dailyCaps: [ActivityKind: Int]
    /// Extra points for a reply or answer that was the first response to someone else's thread.
    public var firstResponseBonus: Int
    /// Extra points, once, when a member enrols in their second programme.
    public var secondProgrammeBonus: Int
    /// A cohort (members who joined in the same calendar month) smaller than this is merged
    /// with the next month's (or the previous, for the newest), so percentiles mean something.
    public var minimumCohortSize: Int
    /// The share of a cohort, in percent (1…50), whose scores make the top band.
    public var topBandPercent: Int
    /// A superuser needs at least this many points, so a quiet cohort does not flag anyone.
    public var minimumScore: Int

    public init(
        weights: [ActivityKind: Int], halfLifeDays: Int, dailyCaps: [ActivityKind: Int] = [:],
        firstResponseBonus: Int = 0, secondProgrammeBonus: Int = 0, minimumCohortSize: Int = 20,
        topBandPercent: Int = 5, minimumScore: Int = 10
    ) {
        self.weights = weights
        self.halfLifeDays = halfLifeDays
        self.dailyCaps = dailyCaps
        self.firstResponseBonus = firstResponseBonus
        self.secondProgrammeBonus = secondProgrammeBonus
        self.minimumCohortSize = minimumCohortSize
        self.topBandPercent = topBandPercent
        self.minimumScore = minimumScore
    }

    private enum CodingKeys: String, CodingKey {
        case weights, halfLifeDays, dailyCaps, firstResponseBonus, secondProgrammeBonus, minimumCohortSize
        case topBandPercent, minimumScore
    }

    /// Decodes a policy and validates it (``validate()``): a policy from a file is held to the
    /// same rules as one made in code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            weights: try container.decode([ActivityKind: Int].self, forKey: .weights),
            halfLifeDays: try container.decode(Int.self, forKey: .halfLifeDays),
            dailyCaps: try container.decode([ActivityKind: Int].self, forKey: .dailyCaps),
            firstResponseBonus: try container.decode(Int.self, forKey: .firstResponseBonus),
            secondProgrammeBonus: try container.decode(Int.self, forKey: .secondProgrammeBonus),
            minimumCohortSize: try container.decode(Int.self, forKey: .minimumCohortSize),
            topBandPercent: try container.decode(Int.self, forKey: .topBandPercent),
            minimumScore: try container.decode(Int.self, forKey: .minimumScore))
        do { try validate() } catch {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container, debugDescription: error.description)
        }
    }

    /// The default, after the brief's signals of a superuser: helping others (answers, first
    /// responses, feedback on a peer's answer) weighs most, then showing up (events) and
    /// advocacy (sharing a certificate), then conversation; reactions are cheap and capped.
    /// A 30-day half-life keeps the score about recent behaviour.
    public static let `default` = EngagementPolicy(
        weights: [
            .answered: 5, .gaveFeedback: 4, .attendedEvent: 4, .shared: 3, .startedThread: 2, .askedQuestion: 2,
            .replied: 2, .completed: 3, .enrolled: 1, .registeredForEvent: 1, .reacted: 1,
        ],
        halfLifeDays: 30,
        dailyCaps: [.reacted: 10, .replied: 20, .answered: 20, .startedThread: 5, .askedQuestion: 5, .shared: 3],
        firstResponseBonus: 3,
        secondProgrammeBonus: 5,
        minimumCohortSize: 20,
        topBandPercent: 5,
        minimumScore: 10)

    /// Checks the numbers.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` naming the first value out of range.
    public func validate() throws(CommunityError) {
        if let kind = weights.keys.sorted().first(where: \.isDerived) {
            throw .invalidInput(
                field: "weights", reason: "\(kind) entries result from other activity; they carry no weight")
        }
        for (kind, weight) in weights where !(0...1_000).contains(weight) {
            throw .invalidInput(field: "weights", reason: "the weight of \(kind) must be 0…1,000 points, not \(weight)")
        }
        for (kind, cap) in dailyCaps where !(1...10_000).contains(cap) {
            throw .invalidInput(field: "dailyCaps", reason: "the daily cap of \(kind) must be 1…10,000, not \(cap)")
        }
        guard (1...3_650).contains(halfLifeDays) else {
            throw .invalidInput(field: "halfLifeDays", reason: "must be 1…3,650 days, not \(halfLifeDays)")
        }
        guard (0...1_000).contains(firstResponseBonus), (0...1_000).contains(secondProgrammeBonus) else {
            throw .invalidInput(field: "bonuses", reason: "bonuses must be 0…1,000 points")
        }
        guard (1...100_000).contains(minimumCohortSize) else {
            throw .invalidInput(field: "minimumCohortSize", reason: "must be 1…100,000, not \(minimumCohortSize)")
        }
        guard (1...50).contains(topBandPercent) else {
            throw .invalidInput(
                field: "topBandPercent", reason: "must be 1…50 percent of a cohort, not \(topBandPercent)")
        }
        guard (0...1_000_000).contains(minimumScore) else {
            throw .invalidInput(field: "minimumScore", reason: "must be 0…1,000,000 points, not \(minimumScore)")
        }
    }
}
