import CSQLite
import Foundation
import SQLiteStorage
import Storage
import Testing

/// Deleted data leaves the file: what erasure (issue 30) relies on.
@Suite("SQLite secure delete")
struct SecureDeleteTests {
    struct Profile: Codable, Sendable {
        var name: String
        var headline: String
    }

    /// Whether `needle` occurs in the file at `path` (absent files hold nothing).
    static func file(_ path: String, contains needle: String) -> Bool {
        guard let bytes = FileManager.default.contents(atPath: path) else { return false }
        return bytes.range(of: Data(needle.utf8)) != nil
    }

    @Test("the check can fail: with secure_delete off, SQLite leaves a deleted row's text in the file")
    func withoutSecureDeleteTextStays() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let marker = "Zanele-\(UUID().uuidString)"
        var db: OpaquePointer?
        try #require(sqlite3_open(database.path, &db) == SQLITE_OK)
        let rows = (0..<200).map { "INSERT INTO t VALUES ('m\($0)', '\(String(repeating: "x", count: 40))');" }
        let script =
            [
                "PRAGMA journal_mode = WAL;", "PRAGMA secure_delete = OFF;",
                "CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT);",
            ] + rows + [
                "INSERT INTO t VALUES ('\(marker)', 'text \(marker)');", "DELETE FROM t WHERE id = '\(marker)';",
                "PRAGMA wal_checkpoint(TRUNCATE);",
            ]
        let status = sqlite3_exec(db, script.joined(separator: "\n"), nil, nil, nil)
        sqlite3_close(db)
        try #require(status == SQLITE_OK)
        #expect(Self.file(database.path, contains: marker))
    }

    @Test(
        "a deleted record's text, its id and its index value are gone from the file and the WAL once the WAL is truncated"
    )
    func deletedTextLeavesTheFile() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try await SQLiteStorage.open(path: database.path)
        #expect(try await store.pragma("secure_delete") == "1")

        let marker = "Zanele-\(UUID().uuidString)"
        let profiles = RecordCollection<Profile>("profiles") { ["name": $0.name] }
        // Enough other rows that the deleted ones share pages with data that stays.
        var batch = WriteBatch()
        for index in 0..<200 {
            try batch.put(
                Profile(name: "member \(index)", headline: String(repeating: "x", count: 40)), id: "m\(index)",
                in: profiles, expecting: .absent)
        }
        try batch.put(
            Profile(name: marker, headline: "first \(marker)"), id: "id-\(marker)", in: profiles, expecting: .absent)
        try await store.commit(batch)
        // An update frees the first version's cell; the delete frees the second's.
        let stored = try #require(try await store.fetch("id-\(marker)", from: profiles))
        var update = WriteBatch()
        try update.put(
            Profile(name: marker, headline: "second \(marker)"), id: "id-\(marker)", in: profiles,
            expecting: .version(stored.version))
        try await store.commit(update)
        var delete = WriteBatch()
        delete.delete(profiles.key("id-\(marker)"), expecting: stored.version + 1)
        try await store.commit(delete)

        #expect(try await store.truncateWriteAheadLog())
        #expect(!Self.file(database.path, contains: marker), "the database file still holds the deleted text")
        #expect(!Self.file(database.path + "-wal", contains: marker), "the WAL still holds the deleted text")
        #expect(try await store.fetch("m7", from: profiles)?.value.name == "member 7")
    }
}
