import CommunityTestSupport
import Foundation
import Testing

/// Stored data that is damaged is a typed error, never a trap (issue 27). Each scenario runs in
/// a child process (`trap-probe`), where a trap would kill the child and not the tests: before
/// the fixes, every one of them but the last ended with an illegal instruction.
@Suite("Damaged data is a typed error")
struct DamagedDataTests {
    static let scenarios: [(scenario: String, says: String)] = [
        ("sqlite-negative-version", "its stored version -5 is negative"),
        ("sqlite-negative-position", "the log holds the position -3"),
        ("checkpoint-huge-byte-count", "restored nothing"),
        ("level-policy-without-levels", "the first level must start at 0 points"),
        ("level-policy-repeated-threshold", "thresholds must increase"),
        ("local-date-far-arithmetic", "saturated: 2200-12-31 and 1900-01-01"),
        ("local-date-decoded-out-of-range", "is not a calendar day of the years 1900 to 2200"),
        ("training-at-nan-date", "startsAt: must be a date in the years 1900 to 2200"),
        ("survey-tallies-wrong-shape", "do not have the survey's questions and options"),
        ("survey-tallies-huge-counts", "or hold counts out of range"),
    ]

    @Test(
        "a damaged value read back or decoded is refused with a typed error, not a trap",
        arguments: Self.scenarios.map(\.scenario))
    func noTrap(scenario: String) async throws {
        let says = try #require(Self.scenarios.first { $0.scenario == scenario }?.says)
        let result = try await ChildProcess.run(try ChildProcess.executable(named: "trap-probe"), [scenario])
        #expect(result.status == 0, "the child ended with \(result.status): \(result.error.suffix(500))")
        #expect(result.output.contains(says), "\(result.output)")
    }
}

/// Input through the public API that trapped before issue 27, each in a child process
/// (`trap-probe`): a points adjustment of `Int.min` by any member, a quarter or month far out of
/// range (found by the `dates` fuzz harness), a team formation policy out of its ranges (found
/// by the `team-formation` harness), a value report or challenge schedule far in the future, an
/// entry at the last millisecond of `Int64` folded by the ledger, value and badge projections.
/// Each is now refused, clamped or quarantined.
@Suite("Input that trapped is refused")
struct InputTrapTests {
    static let scenarios: [(scenario: String, says: String)] = [
        ("adjust-points-int-min", "Limits.pointsPerAdjustment"),
        ("quarter-far-number", "clamped: 2200-12-01 to 2200-12-31"),
        ("first-of-month-lowest-month", "clamped: 1900-01-01"),
        ("team-formation-preferred-size-zero", "teams need 2 to 12 members"),
        ("value-report-far-period", "period: must be a date in the years 1900 to 2200"),
        ("challenge-schedule-far", "must be a date in the years 1900 to 2200"),
        ("projections-entry-at-the-end-of-time", "quarantined 1"),
    ]

    @Test("input that trapped is refused with a typed error or clamped", arguments: Self.scenarios.map(\.scenario))
    func noTrap(scenario: String) async throws {
        let says = try #require(Self.scenarios.first { $0.scenario == scenario }?.says)
        let result = try await ChildProcess.run(try ChildProcess.executable(named: "trap-probe"), [scenario])
        #expect(result.status == 0, "the child ended with \(result.status): \(result.error.suffix(500))")
        #expect(result.output.contains(says), "\(result.output)")
    }
}
