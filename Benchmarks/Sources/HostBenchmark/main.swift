// Feeds engagement, points, badges (whose points badge reads the points ledger) and the value
// projection from one pass over the generated log read from an SQLite file, as a restarted
// process would, and in the same run from one pass each; then restores every checkpoint in a
// new host, as a cold start would. Rounds alternate the two sides. See Benchmarks/README.md.
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

/// The four projections, named for one round and one side, so that no checkpoint is restored.
func projections(_ tag: String) throws -> [any ActivityProjection] {
    let ledger = try PointsLedger(policy: .default, checkpointName: "points-\(tag)")
    return [
        try EngagementProjection(checkpointName: "engagement-\(tag)"),
        ledger,
        try BadgeProjection(badges: badges, checkpointName: "badges-\(tag)", sharedLedger: ledger.checkpointName),
        ValueProjection(checkpointName: "value-\(tag)"),
    ]
}

/// Registers `list` on a new host and catches up; returns the time taken.
func fold(_ list: [any ActivityProjection]) async throws -> Duration {
    let host = try ProjectionHost(store: store, pageSize: 1_000, checkpointInterval: Int.max)
    for projection in list { try await register(projection, on: host) }
    let start = clock.now
    try await host.catchUp()
    return clock.now - start
}

func register<P: ActivityProjection>(_ projection: P, on host: ProjectionHost) async throws {
    try await host.register(projection)
}

print("host benchmark: \(try await store.head()) log entries in \(file), \(rounds) rounds")
var onePassTimes: [Duration] = []
var separateTimes: [Duration] = []
for round in 1...rounds {
    let tag = "r\(round)-\(UUID().uuidString.prefix(8))"
    let onePass = try await fold(try projections("one-\(tag)"))
    var separate = Duration.zero
    var parts: [String] = []
    for projection in try projections("alone-\(tag)") {
        // The badges read the ledger: alone, they keep a ledger of their own under the same policy.
        let alone: any ActivityProjection =
            projection is BadgeProjection
            ? try BadgeProjection(badges: badges, checkpointName: projection.checkpointName) : projection
        let time = try await fold([alone])
        separate += time
        parts.append("\(alone.checkpointName.split(separator: "-").first ?? "") \(seconds(time)) s")
    }
    onePassTimes.append(onePass)
    separateTimes.append(separate)
    print(
        "round \(round): one pass \(seconds(onePass)) s; separate passes \(seconds(separate)) s "
            + "(\(parts.joined(separator: ", "))); one pass / separate: "
            + String(format: "%.2f", seconds(onePass) / seconds(separate)) + "×")

    // A cold start: a new host restores the four checkpoints the one pass saved, reading nothing new.
    let restoring = try ProjectionHost(store: store)
    for projection in try projections("one-\(tag)") { try await register(projection, on: restoring) }
    let start = clock.now
    let report = try await restoring.catchUp()
    let restore = clock.now - start
    print(
        "  cold start: restored all checkpoints in \(seconds(restore)) s (read \(report.read) entries); "
            + "restore / one pass: " + String(format: "%.2f", seconds(restore) / seconds(onePass)) + "×")
}
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
