// Community Challenge team formation benchmark. See Benchmarks/README.md.
//
// Generates registrants (CommunitySimulation's ChallengeRegistrants: the school's countries
// and time zones, skills, mutual teammate requests), forms teams with TeamFormation.form and
// with the greedy baseline in the same run, and prints the time of each, the share of
// registrants placed and the share of teams meeting every constraint (and each one apart).
import BenchmarkSupport
import CommunityChallenge
import CommunityModel
import CommunitySimulation
import Foundation

var registrants = 5_000
var seeds = [1, 2, 3]
var sharedHours = 4
forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--registrants": registrants = try positiveNumber(value)
    case "--seeds": seeds = try value.split(separator: ",").map { try positiveNumber(String($0)) }
    case "--hours": sharedHours = try positiveNumber(value)
    default: throw BenchmarkError("unknown option \(name)")
    }
}

// Building runs over the northern autumn clock change (late October), so shared hours must
// hold on both sides of it.
let buildingStart = Date(timeIntervalSince1970: 1_792_713_600)  // 2026-10-22T00:00:00Z
let building = DateInterval(start: buildingStart, duration: 21 * 86_400)
let policy = TeamFormationPolicy(minimumSharedHours: sharedHours)
let clock = ContinuousClock()

func describe(_ report: TeamFormationReport) -> String {
    let broken = TeamConstraint.allCases.map { constraint in
        "\(constraint): \(report.teams.count { $0.unmet.contains(constraint) })"
    }
    return "\(report.teams.count) teams, placed \(String(format: "%.1f", report.placementRate * 100))%, "
        + "every constraint met by \(String(format: "%.1f", report.satisfactionRate * 100))% "
        + "(teams breaking \(broken.joined(separator: ", ")))"
}

print(
    "challenge benchmark: \(format(Double(registrants))) registrants, teams of \(policy.minimumSize)–"
        + "\(policy.maximumSize) (preferred \(policy.preferredSize)), \(policy.minimumSharedHours) shared hours over "
        + "a 21-day building phase, \(policy.minimumCountries) countries, \(policy.minimumDistinctSkills) skills")
for seed in seeds {
    let registrations = try ChallengeRegistrants.generate(
        count: registrants, challenge: "bench", seed: UInt64(seed), at: buildingStart)
    var start = clock.now
    let formed = try TeamFormation.form(registrations, policy: policy, building: building, seed: UInt64(seed))
    let formTime = clock.now - start
    start = clock.now
    let baseline = try TeamFormation.greedyBaseline(registrations, policy: policy, building: building)
    let baselineTime = clock.now - start
    print("  seed \(seed): formed in \(milliseconds(formTime)) ms: \(describe(formed))")
    print("          baseline in \(milliseconds(baselineTime)) ms: \(describe(baseline))")
    print("          teammate requests not binding or split: \(formed.requestNotes.count)")
}

func milliseconds(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(format: "%.0f", seconds * 1_000)
}
