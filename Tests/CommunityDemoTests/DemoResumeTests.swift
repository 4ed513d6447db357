import Foundation
import PostgresStorage
import Testing

/// README's store-resuming commands, exactly as written: three runs on one store with the
/// default options, then one more with `--members 60`, on SQLite and on PostgreSQL. Each run
/// resumes what the one before stored and simulates more weeks on top.
@Suite("community-demo resumes a stored community")
struct DemoResumeTests {
    @Test("with --store sqlite:PATH, three runs at the default size and one with --members 60 each resume")
    func sqliteResumes() async throws {
        let folder = try CommunityDemoTests.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // README's own spelling: a relative path, in the folder the demo runs in.
        try await Self.expectResumes(["--store", "sqlite:community.sqlite"], place: "community.sqlite", in: folder)
    }

    @Test(
        "with --store postgres:URL, three runs at the default size and one with --members 60 each resume",
        .enabled(
            if: ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"] != nil,
            "COMMUNITY_POSTGRES_URL is not set; run the PostgreSQL tests with: scripts/with-postgres swift test"))
    func postgresResumes() async throws {
        let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"]!
        let schema = "demo_" + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(12)
        let folder = try CommunityDemoTests.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.expectResumes(
            ["--store", "postgres:\(url)", "--schema", String(schema)], place: "PostgreSQL (schema \(schema))",
            in: folder)
        try await PostgresStorage.removeSchema(.init(connection: url, schema: String(schema)))
    }

    static func entries(_ output: String) -> Int {
        output.split(separator: "\n").last { $0.hasPrefix("Activity log: ") }
            .flatMap { Int($0.dropFirst("Activity log: ".count).prefix { $0.isNumber }) } ?? 0
    }

    /// Runs the demo four times on one store: the first run starts a community, each later one
    /// resumes where the one before stopped.
    static func expectResumes(_ store: [String], place: String, in folder: URL) async throws {
        let first = try await CommunityDemoTests.run(store, in: folder)
        #expect(first.status == 0, "stderr: \(first.error)")
        #expect(first.output.contains("Starting a new community in \(place)"))
        var before = entries(first.output)
        #expect(before > 0)
        for arguments in [[], [], ["--members", "60"]] {
            let next = try await CommunityDemoTests.run(store + arguments, in: folder)
            #expect(next.status == 0, "stderr: \(next.error)")
            #expect(next.output.contains("Resuming the community stored in \(place): \(before) log entries so far"))
            // The engagement projection continues from the checkpoint the run before saved.
            #expect(next.output.contains("Engagement: the projection host restored the checkpoints at position "))
            #expect(entries(next.output) > before)
            before = entries(next.output)
        }
    }
}
