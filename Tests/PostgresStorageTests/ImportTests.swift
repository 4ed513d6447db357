import CommunityImport
import CommunityModel
import CommunitySimulation
import Foundation
import Storage
import StorageTestKit
import Testing

@testable import PostgresStorage

/// The generated school imported into PostgreSQL stores what the same import stores in memory,
/// record for record and entry for entry; the log's secondary indexes are set aside while it
/// loads and back afterwards; and an import stopped half-way (its store failing a commit)
/// resumes to the same store.
@Suite(
    "Importing into PostgreSQL",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct ImportTests {
    static let scale = ActivityLogGenerator.Scale(members: 200, events: 3_000, days: 30)
    static let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600 + 40 * 86_400))

    static func importSchool(into store: any DataStore, rows: [ImportRow]) async throws -> ImportReport {
        let community = CommunityService(store: store, clock: clock)
        let importer = try await CommunityImporter.begin(
            "generated", into: community, options: CommunityImporter.Options(chunkSize: 700))
        try await importer.add(rows)
        return try await importer.finish()
    }

    @Test("an import into PostgreSQL stores what it stores in memory, with the log's indexes built at the end")
    func sameAsInMemory() async throws {
        let memory = InMemoryStore()
        _ = try await Self.importSchool(into: memory, rows: Array(SchoolHistoryGenerator(scale: Self.scale)))
        let expected = try await StoreSnapshot(of: memory)
        try await PostgresServer.withStore { store in
            let community = CommunityService(store: store, clock: Self.clock)
            let importer = try await CommunityImporter.begin(
                "generated", into: community, options: CommunityImporter.Options(chunkSize: 700))
            #expect(try await store.isBulkLoading())
            try await importer.add(SchoolHistoryGenerator(scale: Self.scale))
            let report = try await importer.finish()
            #expect(report.rejections.isEmpty)
            #expect(try await store.isBulkLoading() == false)
            let stored = try await StoreSnapshot(of: store)
            #expect(stored.changes(to: expected).isEmpty, "\(stored.changes(to: expected).prefix(5))")
            #expect(stored == expected)
            // The indexes are back: a member's stream reads through them.
            let first = try #require(stored.entries.first)
            #expect(try await store.allEntries(matching: .stream(first.entry.stream)).first == first)
        }
    }

    @Test("an import whose store fails half-way resumes to the store an uninterrupted import leaves")
    func resumesAfterAFailedCommit() async throws {
        let memory = InMemoryStore()
        _ = try await Self.importSchool(into: memory, rows: Array(SchoolHistoryGenerator(scale: Self.scale)))
        let expected = try await StoreSnapshot(of: memory)
        try await PostgresServer.withStore { store in
            let community = CommunityService(store: store, clock: Self.clock)
            let first = try await CommunityImporter.begin(
                "generated", into: community, options: CommunityImporter.Options(chunkSize: 700))
            // Two chunks are stored, a third is checked but never committed: the importer goes
            // away as if its process died.
            let rows = Array(SchoolHistoryGenerator(scale: Self.scale))
            try await first.add(Array(rows.prefix(1_400)))
            try await first.commit()
            try await first.add(Array(rows[1_400..<1_900]))
            _ = try await Self.importSchool(into: store, rows: rows)
            let stored = try await StoreSnapshot(of: store)
            #expect(stored.changes(to: expected).isEmpty, "\(stored.changes(to: expected).prefix(5))")
        }
    }
}
