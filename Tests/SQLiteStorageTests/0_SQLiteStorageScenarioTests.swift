import Foundation
import SQLiteStorage
import Storage
import StorageTestKit
import Testing

/// A fresh database file in its own temporary directory, removed afterwards.
struct TemporaryDatabase: Sendable {
    let directory: URL
    var path: String { directory.appendingPathComponent("community.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// The story first: an integrator keeps their community in one SQLite file.
@Suite("SQLite storage")
struct SQLiteStorageScenarioTests {
    @Test("what is committed to the file is there after the store is opened again")
    func survivesReopening() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let ids = EntryIDGenerator(seed: 1)
        let now = Timestamp(millisecondsSince1970: 1_767_225_600_000)
        do {
            let store = try await SQLiteStorage.open(path: database.path)
            var batch = WriteBatch()
            batch.put(
                Data("Amina".utf8), at: RecordKey(collection: "members", id: "m1"), indexes: ["country": "KE"],
                expecting: .absent)
            batch.append(
                LogEntry(id: ids.next(at: now), stream: "member:m1", subject: "member:m1", kind: "joined", time: now))
            try await store.commit(batch)
        }
        let reopened = try await SQLiteStorage.open(path: database.path)
        #expect(try await reopened.record(RecordKey(collection: "members", id: "m1"))?.data == Data("Amina".utf8))
        #expect(try await reopened.head() == 1)
        #expect(try await reopened.allEntries(matching: .stream("member:m1")).map(\.entry.kind) == ["joined"])
    }

    @Test("every conformance check passes on a database file", arguments: StorageConformance.checks)
    func conformsOnFile(check: StorageCheck) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try await StorageConformance.run(check, on: SQLiteStorage.open(path: database.path))
    }

    @Test("every conformance check passes on an in-memory database", arguments: StorageConformance.checks)
    func conformsInMemory(check: StorageCheck) async throws {
        try await StorageConformance.run(check, on: SQLiteStorage.open(path: ":memory:"))
    }

    @Test("commits are durable by default: write-ahead log with synchronous FULL; NORMAL is an option")
    func pragmas() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try await SQLiteStorage.open(path: database.path)
        #expect(try await store.pragma("journal_mode") == "wal")
        #expect(try await store.pragma("synchronous") == "2")  // FULL
        let fast = try await SQLiteStorage.open(
            path: database.path, configuration: .init(synchronous: .normal))
        #expect(try await fast.pragma("synchronous") == "1")  // NORMAL
        #expect(try await store.pragma("user_version") == String(SQLiteSchema.currentVersion))
    }
}
