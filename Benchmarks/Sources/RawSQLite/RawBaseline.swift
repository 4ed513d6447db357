import BenchmarkSupport
import CSQLiteBaseline
import Foundation
import SQLiteStorage
import Storage

/// The baseline: the same schema (created from the backend's own migrations), the same pragmas,
/// one prepared INSERT reused and one transaction per batch, written straight against the C API.
/// Stream and subject names are interned into the same `names` table through an in-memory
/// dictionary, as cheaply as C can. Payload bytes are prepared before the clock starts, so
/// encoding counts only against the library.
public final class RawBaseline {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private var insertName: OpaquePointer?
    private var names: [String: Int64] = [:]
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// - Parameters:
    ///   - path: the database file to create.
    ///   - withoutLogIndexes: drop the per-stream and per-subject indexes after creating the
    ///     schema (a bulk load builds them at the end with ``buildLogIndexes()``).
    ///   - pageCacheKibibytes: the page cache, as the library's configuration sets it.
    ///   - synchronous: how durable each commit is, as the library's configuration sets it.
    public init(
        path: String, withoutLogIndexes: Bool = false, pageCacheKibibytes: Int? = nil,
        synchronous: SQLiteStorage.Synchronous = .full
    ) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchmarkError("cannot open \(path)") }
        for pragma in SQLiteSchema.pragmas(synchronous: synchronous) { try exec(pragma) }
        try exec("BEGIN")
        for migration in SQLiteSchema.migrations { try exec(migration) }
        try exec("PRAGMA user_version = \(SQLiteSchema.currentVersion)")
        if withoutLogIndexes {
            for index in SQLiteSchema.logIndexes { try exec("DROP INDEX \(index.name)") }
        }
        try exec("COMMIT")
        if let pageCacheKibibytes { try exec("PRAGMA cache_size = -\(pageCacheKibibytes)") }
        sqlite3_prepare_v2(
            db,
            "INSERT OR IGNORE INTO entries (entry_id, stream, subject, kind, time, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            -1, &insert, nil)
        sqlite3_prepare_v2(db, "INSERT INTO names (name) VALUES (?1)", -1, &insertName, nil)
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_finalize(insertName)
        sqlite3_close(db)
    }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchmarkError("SQL failed: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    private func key(_ name: String) -> Int64 {
        if let key = names[name] { return key }
        sqlite3_bind_text(insertName, 1, name, -1, transient)
        sqlite3_step(insertName)
        sqlite3_reset(insertName)
        let key = sqlite3_last_insert_rowid(db)
        names[name] = key
        return key
    }

    /// Inserts one batch in one transaction.
    public func append(_ rows: ArraySlice<PreparedRow>) throws {
        try exec("BEGIN IMMEDIATE")
        for row in rows {
            row.id.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 1, $0.baseAddress, 16, transient) }
            sqlite3_bind_int64(insert, 2, key(row.stream))
            if let subject = row.subject {
                sqlite3_bind_int64(insert, 3, key(subject))
            } else {
                sqlite3_bind_null(insert, 3)
            }
            sqlite3_bind_text(insert, 4, row.kind, -1, transient)
            sqlite3_bind_int64(insert, 5, row.time)
            row.payload.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 6, $0.baseAddress, Int32($0.count), transient) }
            guard sqlite3_step(insert) == SQLITE_DONE else {
                throw BenchmarkError("insert failed: \(String(cString: sqlite3_errmsg(db)))")
            }
            sqlite3_reset(insert)
        }
        try exec("COMMIT")
    }

    /// Builds the per-stream and per-subject indexes, in one transaction.
    public func buildLogIndexes() throws {
        try exec("BEGIN IMMEDIATE")
        for index in SQLiteSchema.logIndexes { try exec(index.definition) }
        try exec("COMMIT")
    }
}
