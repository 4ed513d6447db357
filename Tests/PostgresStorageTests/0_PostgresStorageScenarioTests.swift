import Foundation
import PostgresStorage
import Storage
import StorageTestKit
import Testing

/// The story first: a school runs its community on PostgreSQL, and a second service instance
/// (a second store on the same database) sees what the first one committed.
@Suite("PostgreSQL storage", .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct PostgresStorageScenarioTests {
    @Test("what one instance commits, another instance on the same schema reads")
    func secondInstanceReads() async throws {
        let ids = EntryIDGenerator(seed: 1)
        let now = Timestamp(millisecondsSince1970: 1_767_225_600_000)
        let configuration = PostgresServer.configuration()
        try await PostgresServer.withStore(configuration) { first in
            var batch = WriteBatch()
            batch.put(
                Data("Amina".utf8), at: RecordKey(collection: "members", id: "m1"), indexes: ["country": "KE"],
                expecting: .absent)
            batch.append(
                LogEntry(id: ids.next(at: now), stream: "member:m1", subject: "member:m1", kind: "joined", time: now))
            try await first.commit(batch)

            let second = try await PostgresStorage.open(configuration)
            #expect(try await second.record(RecordKey(collection: "members", id: "m1"))?.data == Data("Amina".utf8))
            #expect(try await second.head() == 1)
            #expect(try await second.allEntries(matching: .stream("member:m1")).map(\.entry.kind) == ["joined"])
            #expect(try await second.schemaVersion() == PostgresSchema.currentVersion)
        }
    }

    @Test("two communities in two schemas of one database do not see each other")
    func schemasAreSeparate() async throws {
        try await PostgresServer.withStore { north in
            try await PostgresServer.withStore { south in
                try await north.commit(
                    WriteBatch(writes: [
                        .put(RecordKey(collection: "members", id: "m1"), data: Data(), indexes: [:], expected: .absent)
                    ]))
                #expect(try await north.collectionNames() == ["members"])
                #expect(try await south.collectionNames() == [])
                #expect(try await south.record(RecordKey(collection: "members", id: "m1")) == nil)
            }
        }
    }

    @Test("every conformance check passes", arguments: StorageConformance.checks)
    func conforms(check: StorageCheck) async throws {
        try await PostgresServer.withStore { store in try await StorageConformance.run(check, on: store) }
    }
}
