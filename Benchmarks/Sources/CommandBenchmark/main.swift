// Runs commands through `CommunityService` and `GamificationService` (a points adjustment, a
// reply, a new thread, a profile change, in turn, by many members) in memory and on an SQLite
// file, against a baseline in the same run: the same store committing, for each command, a
// batch of the shape a command commits (two record reads, two records created, one entry),
// made before the clock starts. The ratio is what a command costs beyond its storage. Rounds
// alternate which side goes first. See Benchmarks/README.md.
//
//   command-benchmark [--commands N] [--members N] [--rounds N] [--store memory|sqlite|both] [--directory PATH]
import BenchmarkSupport
import CommunityModel
import Foundation
import Gamification
import SQLiteStorage
import Storage

var commands = 10_000
var members = 1_000
var rounds = 2
var stores = ["memory", "sqlite"]
var directory = FileManager.default.temporaryDirectory.path
forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--commands": commands = try positiveNumber(value)
    case "--members": members = try positiveNumber(value)
    case "--rounds": rounds = try positiveNumber(value)
    case "--store":
        guard ["memory", "sqlite", "both"].contains(value) else { throw BenchmarkError("--store memory|sqlite|both") }
        stores = value == "both" ? ["memory", "sqlite"] : [value]
    case "--directory": directory = value
    default: throw BenchmarkError("unknown option \(name)")
    }
}

/// The options, fixed once read.
struct Settings: Sendable {
    let commands: Int
    let members: Int
    let directory: String
}
let settings = Settings(commands: commands, members: members, directory: directory)

let clock = ContinuousClock()
let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30

/// A fresh store of the kind, and what removes it.
func freshStore(_ kind: String, tag: String) async throws -> (any DataStore, () -> Void) {
    guard kind == "sqlite" else { return (InMemoryStore(), {}) }
    let folder = URL(fileURLWithPath: settings.directory).appendingPathComponent("command-benchmark-\(tag)-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try await SQLiteStorage.open(path: folder.appendingPathComponent("community.sqlite").path)
    return (store, { try? FileManager.default.removeItem(at: folder) })
}

/// A community with staff, a chapter all the members joined, and a thread on its public board.
func community(on store: any DataStore) async throws -> (
    CommunityService, GamificationService, staff: MemberID, learners: [MemberID], board: BoardID, thread: ThreadID
) {
    let service = CommunityService(
        store: store, clock: ManualClock(start), ids: EntryIDGenerator(seed: 1), secrets: SeededSecrets(seed: 1))
    let staff = try await service.registerMember(
        NewMember(
            displayName: "Sam Staff", email: "sam@school.example", country: "NL", timeZone: "Europe/Amsterdam",
            roles: [.staff]))
    let chapter = try await service.createChapter(
        id: "nbo", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
        timeZone: "Africa/Nairobi", by: staff.id)
    var learners: [MemberID] = []
    for index in 0..<settings.members {
        let learner = try await service.registerMember(
            NewMember(
                displayName: "Learner \(index)", email: "learner\(index)@school.example", country: "KE",
                timeZone: "Africa/Nairobi"))
        try await service.join(chapter.id, member: learner.id, by: learner.id)
        learners.append(learner.id)
    }
    let thread = try await service.startThread(
        on: chapter.publicBoard, by: learners[0], title: "Welcome", body: "Say hello.")
    return (
        service, try GamificationService(community: service), staff.id, learners, chapter.publicBoard, thread.id
    )
}

/// Runs `settings.commands` commands and returns the time they took.
func library(on kind: String, round: Int) async throws -> Duration {
    let (store, remove) = try await freshStore(kind, tag: "library-\(round)")
    defer { remove() }
    let (service, gamification, staff, learners, board, thread) = try await community(on: store)
    let began = clock.now
    for index in 0..<settings.commands {
        let member = learners[index % learners.count]
        switch index % 4 {
        case 0: try await gamification.adjustPoints(of: member, points: 5, reason: "Helped a classmate", by: staff)
        case 1: try await service.reply(to: thread, by: member, body: "Thanks, that helped with question \(index).")
        case 2:
            try await service.startThread(
                on: board, by: member, title: "Question \(index)", body: "How do I read a histogram?")
        default: try await service.updateProfile(of: member, by: member) { $0.headline = "Learning, step \(index)" }
        }
    }
    return clock.now - began
}

/// The baseline: per command, two record reads, then a batch creating two records (about the
/// size of a post and its key record) with one entry of a command's payload size.
func baseline(on kind: String, round: Int) async throws -> Duration {
    let (store, remove) = try await freshStore(kind, tag: "raw-\(round)")
    defer { remove() }
    let ids = EntryIDGenerator(seed: 2)
    let record = Data(repeating: 0x61, count: 360)
    let payload = Data(repeating: 0x62, count: 120)
    let time = Timestamp(start)
    let batches = (0..<settings.commands).map { index in
        var batch = WriteBatch()
        batch.put(
            record, at: RecordKey(collection: "posts", id: "p\(index)"), indexes: ["thread": "t1"], expecting: .absent)
        batch.put(
            record, at: RecordKey(collection: "idempotency", id: "m\(index % settings.members)|k\(index)"),
            expecting: .absent)
        batch.append(
            LogEntry(
                id: ids.next(at: time), stream: "member:m\(index % settings.members)", kind: "replied", time: time,
                payload: payload))
        return batch
    }
    let began = clock.now
    for (index, batch) in batches.enumerated() {
        _ = try await store.record(RecordKey(collection: "members", id: "m\(index % settings.members)"))
        _ = try await store.record(RecordKey(collection: "threads", id: "t1"))
        try await store.commit(batch)
    }
    return clock.now - began
}

print("command-benchmark: \(commands) commands by \(members) members, \(rounds) rounds")
for kind in stores {
    var libraryRates: [Double] = []
    var baselineRates: [Double] = []
    for round in 1...rounds {
        if round % 2 == 1 {
            baselineRates.append(rate(commands, try await baseline(on: kind, round: round)))
            libraryRates.append(rate(commands, try await library(on: kind, round: round)))
        } else {
            libraryRates.append(rate(commands, try await library(on: kind, round: round)))
            baselineRates.append(rate(commands, try await baseline(on: kind, round: round)))
        }
        print(
            "  \(kind) round \(round): library \(format(libraryRates.last!)) commands/s, "
                + "baseline \(format(baselineRates.last!)) batches/s, ratio \(String(format: "%.3f", libraryRates.last! / baselineRates.last!))"
        )
    }
    let best = libraryRates.max()!
    let bestBaseline = baselineRates.max()!
    print(
        "\(kind): library \(format(best)) commands/s, baseline \(format(bestBaseline)) batches/s, "
            + "ratio \(String(format: "%.3f", best / bestBaseline)) (best of \(rounds) rounds each)")
}
