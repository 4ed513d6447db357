import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// Rows changed outside the library are typed errors, never traps (issue 27): a negative version
/// or log position read back used to end the process in `UInt64(_:)`. (The SQLite twins run in
/// the `trap-probe` child; here the server is the tests' own.)
@Suite(
    "Damaged rows on PostgreSQL",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct DamagedRowsTests {
    @Test("a negative version or position read back is a typed error")
    func negativeNumbers() async throws {
        let configuration = PostgresServer.configuration()
        try await PostgresServer.withStore(configuration) { store in
            var batch = WriteBatch()
            batch.put(Data("hi".utf8), at: RecordKey(collection: "notes", id: "n1"), expecting: .absent)
            let time = Timestamp(millisecondsSince1970: 1)
            batch.append(
                LogEntry(id: EntryIDGenerator(seed: 1).next(at: time), stream: "s", kind: "k", time: time))
            try await store.commit(batch)
            let admin = try await PostgresServer.adminConnection()
            let schema = configuration.schema
            try await admin.run { connection in
                try connection.execute("UPDATE \(schema).records SET version = -5")
                try connection.execute("UPDATE \(schema).log_head SET position = -3")
            }
            await #expect(throws: StorageError.self) {
                try await store.record(RecordKey(collection: "notes", id: "n1"))
            }
            await #expect(throws: StorageError.self) { try await store.head() }
        }
    }
}
