// Feeds engagement, points and the leaderboards (the ledger and the members' facts, then the
// boards built from them), badges (whose points badge reads the points ledger) and the value
// projection from one pass over the generated log read from an SQLite file, as a restarted
// process would, and in the same run from one pass each; then restores every checkpoint in a
// new host, as a cold start would. Rounds alternate which side goes first. See
// Benchmarks/README.md.
//
//   host-benchmark [--events N] [--file PATH] [--rounds N]
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Leadership
import Recognition
import SQLiteStorage
import Storage

var events = 10_000_000
var file = "host-benchmark.sqlite"
var rounds = 2
forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--events": events = try positiveNumber(value)
    case "--file": file = value
    case "--rounds": rounds = try positiveNumber(value)
    default: throw BenchmarkError("unknown option \(name)")
    }
}

let clock = ContinuousClock()
let store = try await SQLiteStorage.open(path: file, configuration: .init(synchronous: .normal))

// The log: generated once into the file (a later run on the same file reuses it).
let scale = ActivityLogGenerator.Scale(events: events)
let present = try await store.head()
if present == 0 {
    var generator = ActivityLogGenerator(scale: scale)
    let start = clock.now
    var batch: [LogEntry] = []
    batch.reserveCapacity(10_000)
    while let event = generator.next() {
        batch.append(try event.logEntry())
        if batch.count == 10_000 {
            try await store.append(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }
    if !batch.isEmpty { try await store.append(batch) }
    print("loaded \(events) events into \(file) in \(seconds(clock.now - start)) s")
} else {
    print("reusing \(file): \(present) entries")
}

let image = URL(string: "https://school.example/badge.png")!
let badges = [
    BadgeDefinition(
        id: "answers", name: "Answers", description: "Ten answers.", criterion: .count(.answered, atLeast: 10),
        image: image),
    BadgeDefinition(
        id: "regular", name: "Regular", description: "Five events.", criterion: .count(.attendedEvent, atLeast: 5),
        image: image),
    BadgeDefinition(
        id: "earner", name: "Earner", description: "500 points.", criterion: .points(atLeast: 500), image: image),
]

/// The projections, named for one round and one side, so that no checkpoint is restored.
func projections(_ tag: String) throws -> [any ActivityProjection] {
    let ledger = try PointsLedger(policy: .default, checkpointName: "points-\(tag)")
    return [
        MemberFactsProjection(checkpointName: "facts-\(tag)"),
        ledger,
        try BadgeProjection(badges: badges, checkpointName: "badges-\(tag)", sharedLedger: ledger.checkpointName),
        try EngagementProjection(checkpointName: "engagement-\(tag)"),
        ValueProjection(checkpointName: "value-\(tag)"),
    ]
}

/// The same projections fed one part at a time: the leaderboards need the ledger and the
/// facts together; the badges, alone, keep a ledger of their own under the same policy.
func parts(_ tag: String) throws -> [(name: String, projections: [any ActivityProjection])] {
    [
        (
            "points and leaderboards",
            [
                MemberFactsProjection(checkpointName: "facts-\(tag)"),
                try PointsLedger(policy: .default, checkpointName: "points-\(tag)"),
            ]
        ),
        ("badges", [try BadgeProjection(badges: badges, checkpointName: "badges-\(tag)")]),
        ("engagement", [try EngagementProjection(checkpointName: "engagement-\(tag)")]),
        ("value", [ValueProjection(checkpointName: "value-\(tag)")]),
    ]
}

/// Registers `list` on a new host, catches up and, when the ledger and the facts are among
/// them, builds the leaderboards from them; returns the time taken.
func fold(_ list: [any ActivityProjection]) async throws -> Duration {
    let host = try ProjectionHost(store: store, pageSize: 1_000, checkpointInterval: Int.max)
    for projection in list { try await register(projection, on: host) }
    let start = clock.now
    try await host.catchUp()
    if let ledgerName = list.first(where: { $0 is PointsLedger })?.checkpointName,
        let factsName = list.first(where: { $0 is MemberFactsProjection })?.checkpointName,
        let ledger = await host.state(of: PointsLedger.self, named: ledgerName),
        let facts = await host.state(of: MemberFactsProjection.self, named: factsName)
    {
        let boards = leaderboards(ledger, facts)
        precondition(boards.memberCount > 0, "the leaderboards are empty")
    }
    return clock.now - start
}

/// What `GamificationService` does when a week begins: every member with points on the boards
/// of their country and chapters, if they consented.
func leaderboards(_ ledger: PointsLedger, _ facts: MemberFactsProjection) -> Leaderboards {
    var boards = Leaderboards()
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    for standing in ledger.standings(at: now) {
        let known = facts.facts(of: standing.member)
        boards.update(
            standing.member,
            facts: LeaderboardFacts(
                country: known?.country, chapters: known?.chapters ?? [],
                isPublic: known?.consents.contains(.publicLeaderboards) ?? false))
        boards.update(standing.member, points: (standing.week, standing.month, standing.allTime))
    }
    return boards
}

func register<P: ActivityProjection>(_ projection: P, on host: ProjectionHost) async throws {
    try await host.register(projection)
}

// The first fold of a log stores the badge awards it earns (effects, with their entries); every
// later fold finds them stored. One untimed fold stores them, so both sides are timed alike.
let warmUp = try await fold(try projections("warm-up-\(UUID().uuidString.prefix(8))"))
print("warm-up fold (stores the awards the log earns): \(seconds(warmUp)) s")

print("host benchmark: \(try await store.head()) log entries in \(file), \(rounds) rounds")
var onePassTimes: [Duration] = []
var separateTimes: [Duration] = []
for round in 1...rounds {
    let tag = "r\(round)-\(UUID().uuidString.prefix(8))"
    func onePassSide() async throws -> Duration { try await fold(try projections("one-\(tag)")) }
    func separateSide() async throws -> (Duration, [String]) {
        var total = Duration.zero
        var times: [String] = []
        for part in try parts("alone-\(tag)") {
            let time = try await fold(part.projections)
            total += time
            times.append("\(part.name) \(seconds(time)) s")
        }
        return (total, times)
    }
    // Alternate which side goes first, so that neither always finds the file's pages warm.
    let onePass: Duration
    let separate: Duration
    let partTimes: [String]
    if round % 2 == 1 {
        onePass = try await onePassSide()
        (separate, partTimes) = try await separateSide()
    } else {
        (separate, partTimes) = try await separateSide()
        onePass = try await onePassSide()
    }
    onePassTimes.append(onePass)
    separateTimes.append(separate)
    print(
        "round \(round): one pass \(seconds(onePass)) s; separate passes \(seconds(separate)) s "
            + "(\(partTimes.joined(separator: ", "))); one pass / separate: "
            + String(format: "%.2f", seconds(onePass) / seconds(separate)) + "×")

    // A cold start: a new host restores the checkpoints the one pass saved, reading nothing new.
    let restoring = try ProjectionHost(store: store)
    for projection in try projections("one-\(tag)") { try await register(projection, on: restoring) }
    let start = clock.now
    let report = try await restoring.catchUp()
    let restore = clock.now - start
    print(
        "  cold start: restored all checkpoints in \(seconds(restore)) s (read \(report.read) entries); "
            + "restore / one pass: " + String(format: "%.2f", seconds(restore) / seconds(onePass)) + "×")
}
let ratios = zip(onePassTimes, separateTimes).map { seconds($0) / seconds($1) }
print("one pass / separate, every round: " + ratios.map { String(format: "%.2f", $0) + "×" }.joined(separator: ", "))
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
