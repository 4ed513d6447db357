import CommunityModel
import CommunitySimulation
import CommunityTestSupport
import Foundation
import SQLiteStorage
import Storage
import Testing

@testable import Recognition

/// A process that hosts every projection of the library is killed with SIGKILL at random moments
/// while it catches up with the log on SQLite; after the restarts the stored awards and reward
/// grants, and every projection's saved state, are those of one clean replay of the same log: no
/// award or grant lost, none doubled.
@Suite("Projection host under SIGKILL")
struct ProjectionCrashTests {
    /// Runs the host in `mode` and returns what it printed; with `killAfter`, kills it then.
    static func runHost(_ mode: String, _ path: String, killAfter delay: Duration? = nil) async throws -> String {
        try await ChildProcess.run(
            try ChildProcess.executable(named: "projection-crash-host"), [mode, path], killAfter: delay
        ).output
    }

    @Test(
        "killed at 20 or more random moments of a catch-up, the host stores every award and grant once and saves the replay's states"
    )
    func killedHosts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("community.sqlite").path
        let store = try await SQLiteStorage.open(path: path)
        var generator = ActivityLogGenerator(
            scale: .init(members: 300, countries: 20, chapters: 5, programmes: 3, events: 1_000_000, days: 60), seed: 5)
        func appendEvents(_ count: Int) async throws {
            var entries: [LogEntry] = []
            for _ in 0..<count { if let event = generator.next() { entries.append(try event.logEntry()) } }
            try await store.append(entries)
        }
        try await appendEvents(4_000)

        var random = SeededGenerator(seed: 23)
        var midway = 0
        var attempts = 0
        while midway < 20 && attempts < 60 {
            attempts += 1
            let delay = Duration.milliseconds(Int.random(in: 5...250, using: &random))
            let printed = try await Self.runHost("catch-up", path, killAfter: delay)
            if printed.contains("DONE") {
                // It finished before the kill: give the next one something to do.
                try await appendEvents(1_500)
            } else {
                midway += 1
            }
        }
        #expect(midway >= 20, "only \(midway) of \(attempts) kills landed during a catch-up")
        #expect(try await Self.runHost("catch-up", path).contains("DONE"))

        // What one clean replay of the same log awards, and the state it reaches.
        let replay = try await Self.runHost("replay", path).split(separator: "\n")
        let expected = replay.filter { $0.hasPrefix("AWARD ") }.map { String($0.dropFirst("AWARD ".count)) }
        #expect(expected.count > 50, "the log should earn awards")
        let stored = try await store.fetchAll(RecognitionService.awards).map(\.value.award.id.rawValue)
        let lost = Set(expected).subtracting(stored)
        let extra = Set(stored).subtracting(expected)
        #expect(lost.isEmpty, "\(lost.count) awards lost, e.g. \(lost.sorted().prefix(3))")
        #expect(extra.isEmpty, "\(extra.count) awards the replay does not make, e.g. \(extra.sorted().prefix(3))")
        #expect(stored.count == Set(stored).count, "an award is stored twice")
        let announced = try await store.allEntries().filter { $0.entry.kind == ActivityKind.badgeAwarded.rawValue }
        #expect(announced.count == expected.count, "each award has exactly one badgeAwarded entry")

        let expectedGrants = replay.filter { $0.hasPrefix("GRANT ") }.map { String($0.dropFirst("GRANT ".count)) }
        #expect(expectedGrants.count > 20, "the log should earn rewards")
        let grants = try await store.allRecords(in: "reward-grants").map(\.key.id)
        #expect(grants.sorted() == expectedGrants, "the stored grants are not the replay's")
        let earned = try await store.allEntries().filter { $0.entry.kind == ActivityKind.rewardEarned.rawValue }
        #expect(earned.count == expectedGrants.count, "each grant has exactly one rewardEarned entry")

        let states = replay.filter { !$0.hasPrefix("AWARD ") && !$0.hasPrefix("GRANT ") }
        #expect(states.count == 8 && states.allSatisfy { $0.hasPrefix("SAME ") }, "\(states)")
    }
}
