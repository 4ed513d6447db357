import CommunityImport
import CommunityModel
import CommunitySimulation
import Foundation
import FuzzHarnesses
import Gamification
import Leadership
import Storage

/// `community-fuzz seed DIRECTORY`: starting inputs for the corpus, made from a small simulated
/// community, so that the fuzzer starts from real records, payloads and checkpoints instead of
/// discovering their formats byte by byte. What `scripts/fuzz` then finds is merged on top.
enum Seeds {
    static func write(to directory: URL) async throws -> Int {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_788_739_200))
        let service = CommunityService(store: store, clock: clock, secrets: SeededSecrets(seed: 27))
        let simulator = try CommunitySimulator(
            service: service, clock: clock,
            configuration: SimulationConfiguration(seed: 27, members: 40, chapters: 3, weeks: 2))
        _ = try await simulator.run()
        var written = 0
        func save(_ bytes: [UInt8], _ target: String, _ name: String) throws {
            let folder = directory.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: folder.appendingPathComponent("seed-\(name)"))
            written += 1
        }

        // Records: a few of every collection the simulation wrote, and the default policies.
        for collection in try await store.collectionNames() {
            let page = try await store.records(in: collection, where: nil, after: nil, limit: 3)
            for (index, record) in page.records.enumerated() {
                try save(Array(record.data), "records", "\(collection)-\(index)")
            }
        }
        // The default policies, as JSON (records before the compact format) and compact.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let policies: [(String, any Encodable)] = [
            ("points-policy", PointsPolicy.default), ("level-policy", LevelPolicy.default),
            ("streak-policy", StreakPolicy.daily), ("engagement-policy", EngagementPolicy.default),
            ("local-date", LocalDate.last), ("quarter", Quarter(year: 2026, number: 4)),
        ]
        for (name, policy) in policies {
            try save(Array(try encoder.encode(policy)), "records", name)
            try save(Array(try RecordEncoder().encode(policy)), "records", "\(name)-compact")
        }

        // Payloads, behind the harness's header: kind, "the usual time", a day, no subject.
        let entries = try await store.entries(after: 0, limit: 400)
        var kinds: Set<String> = []
        for stored in entries where kinds.insert(stored.entry.kind).inserted {
            try save([0, 0, 3, 0] + Array(stored.entry.payload), "activity-payload", stored.entry.kind)
        }

        // Checkpoints: every projection's state after folding the whole log.
        let log = try entries.map { try LoggedActivity($0) }
        for (index, bytes) in CheckpointHarness.seeds(folding: log).enumerated() {
            try save(bytes, "checkpoints", "projection-\(index)")
        }

        // CSV files as schools export them, behind the harness's header (no field limit).
        let files = [
            ("members", "school_id,email,name,joined\r\ns-1,ada@school.example,Ada,2024-02-01\r\n"),
            ("quoted", "note,n\r\n\"Hello, \"\"world\"\"\r\nsecond line\",1\r\n\"\",2\r\nlast,3"),
            ("bom-lf", "\u{FEFF}name,city\nṢadé,Lagos\n\"山田, 花子\",東京\n"),
            ("unterminated", "a,b\r\n\"open,c\r\n"),
        ]
        for (name, text) in files { try save([0] + Array(text.utf8), "csv-reader", name) }

        // The import guide's sample export, each file as it is (no header added).
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Documentation/ImportSample")
        for (index, kind) in SchoolFiles.Kind.allCases.enumerated() {
            let file = sample.appendingPathComponent(kind.fileName)
            try save([UInt8(index), 0] + Array(try Data(contentsOf: file)), "school-files", "sample-\(kind.rawValue)")
        }

        // The harnesses that read any bytes as their input: random inputs of several sizes.
        var random = SeededGenerator(seed: 27)
        for target in [
            "renderers", "dates", "content-checker", "team-formation", "survey-results", "csv-reader", "school-files",
        ] {
            for size in [8, 64, 256, 1_024] {
                try save((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }, target, "random-\(size)")
            }
        }
        return written
    }
}
