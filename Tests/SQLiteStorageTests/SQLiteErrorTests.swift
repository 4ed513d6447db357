import CSQLite
import Foundation
import SQLiteStorage
import Storage
import StorageTestKit
import Testing

/// Failures of the file and the disk come back as typed errors that name the path.
@Suite("SQLite errors")
struct SQLiteErrorTests {
    func entry(_ n: Int, payload: Data = Data()) -> LogEntry {
        LogEntry(
            id: EntryIDGenerator(seed: UInt64(n)).next(at: Timestamp(millisecondsSince1970: Int64(n))),
            stream: "s", kind: "k", time: Timestamp(millisecondsSince1970: Int64(n)), payload: payload)
    }

    @Test("a missing directory is a cannotOpen error naming the path")
    func missingDirectory() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir-\(UUID())/db.sqlite").path
        await #expect {
            _ = try await SQLiteStorage.open(path: path)
        } throws: { error in
            guard case .cannotOpen(let failed, _) = error as? SQLiteError else { return false }
            return failed == path && (error as? SQLiteError)?.description.contains(path) == true
        }
    }

    @Test("a file that is not a database is refused and left as it was")
    func notADatabase() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let text = Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8)
        try text.write(to: URL(fileURLWithPath: database.path))
        await #expect(throws: SQLiteError.notADatabase(path: database.path)) {
            _ = try await SQLiteStorage.open(path: database.path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database.path)) == text)
    }

    @Test("a database written by a newer schema is refused without damage")
    func newerSchema() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try await SQLiteStorage.open(path: database.path)
        try await store.append([entry(1)])
        let future = SQLiteSchema.currentVersion + 1
        try raw(database.path, "PRAGMA user_version = \(future)")
        await #expect(
            throws: SQLiteError.newerSchema(path: database.path, found: future, supported: SQLiteSchema.currentVersion)
        ) {
            _ = try await SQLiteStorage.open(path: database.path)
        }
        try raw(database.path, "PRAGMA user_version = \(SQLiteSchema.currentVersion)")
        #expect(try await SQLiteStorage.open(path: database.path).head() == 1)
    }

    @Test("writing through a read-only store is a readOnly error, and nothing changes")
    func readOnly() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try await SQLiteStorage.open(path: database.path).append([entry(1)])
        let reader = try await SQLiteStorage.open(path: database.path, configuration: .init(readOnly: true))
        await #expect(throws: SQLiteError.readOnly(path: database.path)) {
            try await reader.append([entry(2)])
        }
        #expect(try await reader.head() == 1)
    }

    @Test("a lock held beyond the busy timeout is a locked error")
    func locked() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try await SQLiteStorage.open(
            path: database.path, configuration: .init(busyTimeoutMilliseconds: 100))
        var holder: OpaquePointer?
        sqlite3_open(database.path, &holder)
        defer { sqlite3_close(holder) }
        #expect(sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        await #expect(throws: SQLiteError.locked(path: database.path, timeoutMilliseconds: 100)) {
            try await store.append([entry(1)])
        }
        sqlite3_exec(holder, "ROLLBACK", nil, nil, nil)
        try await store.append([entry(1)])
        #expect(try await store.head() == 1)
    }

    @Test("a full disk is a diskFull error and the batch is stored whole or not at all")
    func diskFull() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try await SQLiteStorage.open(path: database.path, configuration: .init(maximumPageCount: 64))
        let big = Data(repeating: 7, count: 100_000)
        let before = try await StoreSnapshot(of: store)
        await #expect(throws: SQLiteError.diskFull(path: database.path)) {
            try await store.append((1...20).map { entry($0, payload: big) })
        }
        #expect(try await StoreSnapshot(of: store).changes(to: before).isEmpty)
    }

    /// Runs SQL on its own connection, as another program would.
    func raw(_ path: String, _ sql: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw SQLiteError.cannotOpen(path: path, reason: "test") }
        defer { sqlite3_close(db) }
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw SQLiteError.sqlite(
                path: path, code: sqlite3_errcode(db), message: String(cString: sqlite3_errmsg(db)))
        }
    }
}
