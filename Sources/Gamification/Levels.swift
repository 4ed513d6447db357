public import CommunityModel
import Foundation

/// A named level and the points it starts at.
public struct Level: Hashable, Sendable, Codable {
    public var name: String
    public var threshold: Int

    public init(name: String, threshold: Int) {
        self.name = name
        self.threshold = threshold
    }
}

/// The levels a school's members climb, from points.
public struct LevelPolicy: Hashable, Sendable, Codable {
    /// Ascending thresholds; the first starts at 0. Set by the validating initializer only.
    public private(set) var levels: [Level]

    /// - Throws: `CommunityError.invalidInput(field:reason:)` unless the
    ///   thresholds start at 0 and strictly increase, and every name is non-empty.
    public init(levels: [Level]) throws(CommunityError) {
        guard levels.first?.threshold == 0 else {
            throw .invalidInput(field: "levels", reason: "the first level must start at 0 points")
        }
        for (lower, upper) in zip(levels, levels.dropFirst()) where upper.threshold <= lower.threshold {
            throw .invalidInput(
                field: "levels",
                reason: "thresholds must increase: \(upper.name) (\(upper.threshold)) follows \(lower.name) "
                    + "(\(lower.threshold))")
        }
        for (number, level) in zip(1..., levels) {
            _ = try Validate.name(level.name, field: "levels (level \(number))", limit: Limits.name)
        }
        self.levels = levels
    }

    /// For constant ladders this file has checked by hand (the tests check them again).
    private init(checked levels: [Level]) { self.levels = levels }

    private enum CodingKeys: String, CodingKey { case levels }

    /// Decodes the levels and checks them as ``init(levels:)`` does: a policy from a file with no
    /// levels, or two at one threshold, is a decoding error, never a division by zero later.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let levels = try container.decode([Level].self, forKey: .levels)
        do {
            try self.init(levels: levels)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .levels, in: container, debugDescription: error.description)
        }
    }

    /// Newcomer 0, Contributor 100, Helper 300, Mentor 1,000, Champion 3,000, Luminary 10,000.
    public static let `default` = LevelPolicy(checked: [
        Level(name: "Newcomer", threshold: 0), Level(name: "Contributor", threshold: 100),
        Level(name: "Helper", threshold: 300), Level(name: "Mentor", threshold: 1_000),
        Level(name: "Champion", threshold: 3_000), Level(name: "Luminary", threshold: 10_000),
    ])

    /// The level of a balance and the way to the next.
    public func progress(for points: Int) -> LevelProgress {
        let index = max(0, (levels.lastIndex { $0.threshold <= points }) ?? 0)
        let next = index + 1 < levels.count ? levels[index + 1] : nil
        let span = next.map { $0.threshold - levels[index].threshold } ?? 0
        let percent = next == nil ? 100 : max(0, min(100, (points - levels[index].threshold) * 100 / span))
        return LevelProgress(
            number: index + 1, level: levels[index], points: points, next: next,
            pointsToNext: next.map { $0.threshold - points }, percentToNext: percent)
    }
}

/// Where a member stands on the level ladder.
public struct LevelProgress: Hashable, Sendable {
    /// 1 for the first level.
    public var number: Int
    public var level: Level
    public var points: Int
    /// The next level, nil at the top.
    public var next: Level?
    public var pointsToNext: Int?
    /// 0…100: how far from this level's threshold to the next (100 at the top).
    public var percentToNext: Int
}
