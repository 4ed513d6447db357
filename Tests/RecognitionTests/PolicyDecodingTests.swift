import CommunityModel
import Foundation
import Gamification
import Leadership
import Testing

@testable import Recognition

/// Every policy a school may keep in a file is held to the same rules when decoded as when made
/// in code (issue 27: a `LevelPolicy` decoded with no levels divided by zero later).
@Suite("Policies decoded from files")
struct PolicyDecodingTests {
    /// `policy` encoded, with `field` set to `value`, decoded again.
    static func decode<Policy: Codable>(_ policy: Policy, setting field: String, to value: Any) throws -> Policy {
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(policy)) as? [String: Any])
        object[field] = value
        return try JSONDecoder().decode(Policy.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func roundTrips<Policy: Codable & Equatable>(_ policy: Policy) throws -> Bool {
        try JSONDecoder().decode(Policy.self, from: JSONEncoder().encode(policy)) == policy
    }

    @Test("the defaults decode to themselves")
    func defaultsRoundTrip() throws {
        #expect(try Self.roundTrips(LevelPolicy.default))
        #expect(try Self.roundTrips(PointsPolicy.default))
        #expect(try Self.roundTrips(StreakPolicy.daily))
        #expect(try Self.roundTrips(EngagementPolicy.default))
        #expect(try Self.roundTrips(SpotlightPolicy()))
        #expect(try Self.roundTrips(BenchmarkPolicy()))
    }

    @Test("an out-of-range policy in a file is a decoding error, naming what is wrong")
    func outOfRangeRefused() throws {
        #expect(throws: DecodingError.self) { try Self.decode(LevelPolicy.default, setting: "levels", to: []) }
        #expect(throws: DecodingError.self) { try Self.decode(PointsPolicy.default, setting: "dailyCap", to: -1) }
        #expect(throws: DecodingError.self) { try Self.decode(StreakPolicy.daily, setting: "makeUpWindowDays", to: 0) }
        #expect(throws: DecodingError.self) {
            try Self.decode(EngagementPolicy.default, setting: "halfLifeDays", to: 0)
        }
        #expect(throws: DecodingError.self) { try Self.decode(SpotlightPolicy(), setting: "picks", to: 0) }
        #expect(throws: DecodingError.self) { try Self.decode(BenchmarkPolicy(), setting: "minimumScore", to: -1) }
    }
}
