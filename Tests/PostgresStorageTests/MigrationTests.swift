import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// The schema is created on first use, migrated forward once even when several instances start
/// together, and refused untouched when a newer library wrote it.
@Suite("PostgreSQL schema", .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct PostgresMigrationTests {
    @Test("four instances opening a new schema at once create it once")
    func concurrentFirstOpen() async throws {
        let configuration = PostgresServer.configuration()
        let versions = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<4 { group.addTask { try? await PostgresStorage.open(configuration).schemaVersion() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        try await PostgresServer.dropSchema(configuration.schema)
        #expect(versions == Array(repeating: PostgresSchema.currentVersion, count: 4))
    }

    @Test("a schema written by a newer library is refused, and left as it was")
    func newerSchemaRefused() async throws {
        let configuration = PostgresServer.configuration()
        try await PostgresServer.withStore(configuration) { store in
            let admin = try await PostgresServer.adminConnection()
            let table = "\(PostgresSchema.quoted(store.schema)).schema_version"
            try await admin.run { connection in try connection.execute("UPDATE \(table) SET version = 99") }
            let error = await #expect(throws: PostgresError.self) { try await PostgresStorage.open(configuration) }
            #expect(
                error == .newerSchema(schema: configuration.schema, found: 99, supported: PostgresSchema.currentVersion)
            )
            let version = try await admin.run { connection in
                try connection.query("SELECT version FROM \(table)").int64(0, 0)
            }
            #expect(version == 99)
        }
    }

    @Test("ids sort by their UTF-8 bytes whatever the database's collation")
    func byteOrder() async throws {
        try await PostgresServer.withStore { store in
            let ids = ["a", "B", "é", "Z", "ä", "_", "😀", "ｚ"]
            try await store.commit(
                WriteBatch(
                    writes: ids.map {
                        .put(RecordKey(collection: "c", id: $0), data: Data(), indexes: [:], expected: .absent)
                    }))
            let read = try await store.allRecords(in: "c").map(\.id)
            #expect(read == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        }
    }
}
