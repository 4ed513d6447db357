import CSQLite
import Foundation
import Storage

extension SQLiteStorage {
    /// The connection and what is cached beside it.
    ///
    /// `@unchecked Sendable`: a `State` is created on the store's serial queue and afterwards
    /// only ever used inside `SQLiteStorage.run`, which executes on that same serial queue; no
    /// two threads touch it at once, and the queue orders every access.
    final class State: @unchecked Sendable {
        let connection: Connection
        /// Interned stream and subject names → integer keys, for names known to be committed.
        private var keys: [ExactString: Int64] = [:]

        /// The head as last read or committed here, and the `data_version` it was read under.
        private var cachedHead: (head: UInt64, dataVersion: Int64)?

        init(connection: Connection) {
            self.connection = connection
        }

        /// The head: cached while `PRAGMA data_version` (which changes when another connection
        /// commits, and reads no page) stays the same.
        func knownHead() throws(SQLiteError) -> UInt64 {
            let version = Int64(try connection.pragma("data_version") ?? "") ?? -1
            if let cachedHead, cachedHead.dataVersion == version { return cachedHead.head }
            let statement = try connection.statement("SELECT COALESCE(MAX(position), 0) FROM entries")
            defer { statement.reset() }
            _ = try statement.step()
            // Only a hint for subscribers: a damaged negative head reads as 0, never traps.
            let head = UInt64(clamping: statement.int64(0))
            cachedHead = (head, version)
            return head
        }

        /// The key of a committed name, or nil when no entry ever used it.
        func existingKey(_ name: String) throws(SQLiteError) -> Int64? {
            if let key = keys[ExactString(name)] { return key }
            let statement = try connection.statement("SELECT key FROM names WHERE name = ?1")
            defer { statement.reset() }
            try statement.bind(1, name)
            guard try statement.step() else { return nil }
            let key = statement.int64(0)
            keys[ExactString(name)] = key
            return key
        }

        /// The key of `name`, interning it inside the open transaction. New keys are remembered
        /// in `pending` until the transaction commits.
        private func key(_ name: String, pending: inout [ExactString: Int64]) throws(SQLiteError) -> Int64 {
            let bytes = ExactString(name)
            if let key = keys[bytes] ?? pending[bytes] { return key }
            // Insert first: a new name costs one search of the unique index, not two. Only a
            // name another connection interned meanwhile is then looked up.
            let insert = try connection.statement("INSERT OR IGNORE INTO names (name) VALUES (?1)")
            try insert.bind(1, name)
            _ = try insert.step()
            insert.reset()
            guard connection.changes == 1 else {
                guard let key = try existingKey(name) else {
                    throw SQLiteError.sqlite(
                        path: connection.path, code: SQLITE_CORRUPT, message: "name \(name) vanished")
                }
                return key
            }
            let key = connection.lastInsertRowID
            pending[bytes] = key
            return key
        }

        /// Applies a validated batch in one immediate transaction, or nothing of it.
        func commit(_ batch: WriteBatch) throws -> CommitReceipt {
            try connection.execute("BEGIN IMMEDIATE")
            var pending: [ExactString: Int64] = [:]
            do {
                let receipt = try apply(batch, pending: &pending)
                try connection.execute("COMMIT")
                keys.merge(pending) { old, _ in old }
                // This connection's own commits leave data_version as it was: move the cache.
                if let cached = cachedHead, let last = receipt.appended.last {
                    cachedHead = (Swift.max(cached.head, last.position), cached.dataVersion)
                }
                return receipt
            } catch {
                if connection.inTransaction { try? connection.execute("ROLLBACK") }
                throw error
            }
        }

        private func apply(_ batch: WriteBatch, pending: inout [ExactString: Int64]) throws -> CommitReceipt {
            let current = try connection.statement("SELECT version FROM records WHERE collection = ?1 AND id = ?2")
            var versions: [Int: UInt64?] = [:]
            for (index, write) in batch.writes.enumerated() {
                // A create is checked by the insert itself (the primary key refuses a second
                // row): one B-tree search instead of two, which a bulk load of millions feels.
                if case .put(_, _, _, .absent) = write { continue }
                try current.bind(1, write.key.collection)
                try current.bind(2, write.key.id)
                let found = try current.step() ? try StoredNumber.version(current.int64(0), of: write.key) : nil
                current.reset()
                let expected: ExpectedVersion
                switch write {
                case .put(_, _, _, let e): expected = e
                case .delete(_, let v): expected = .version(v)
                }
                guard expected.isSatisfied(by: found) else {
                    throw StorageError.versionConflict(
                        collection: write.key.collection, id: write.key.id, expected: expected, actual: found)
                }
                versions[index] = found
            }

            var receipt = CommitReceipt()
            let upsert = try connection.statement(
                """
                INSERT INTO records (collection, id, version, data, indexes) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, data = excluded.data,
                indexes = excluded.indexes
                """)
            let insert = try connection.statement(
                "INSERT INTO records (collection, id, version, data, indexes) VALUES (?1, ?2, ?3, ?4, ?5)")
            let deleteRecord = try connection.statement("DELETE FROM records WHERE collection = ?1 AND id = ?2")
            let deleteIndexes = try connection.statement(
                "DELETE FROM record_indexes WHERE collection = ?1 AND name = ?2 AND value = ?3 AND id = ?4")
            let insertIndex = try connection.statement(
                "INSERT INTO record_indexes (collection, name, value, id) VALUES (?1, ?2, ?3, ?4)")
            let oldIndexes = try connection.statement(
                "SELECT indexes FROM records WHERE collection = ?1 AND id = ?2")
            for (index, write) in batch.writes.enumerated() {
                let key = write.key
                if versions[index].flatMap({ $0 }) != nil {
                    try oldIndexes.bind(1, key.collection)
                    try oldIndexes.bind(2, key.id)
                    let old = try oldIndexes.step() ? IndexKeysEncoding.decode(oldIndexes.data(0)) : [:]
                    oldIndexes.reset()
                    for (name, value) in old.sorted(by: { $0.key < $1.key }) {
                        try run(deleteIndexes, key.collection, name, value, key.id)
                    }
                }
                switch write {
                case .put(_, let data, let indexes, let expected):
                    let version = (versions[index].flatMap { $0 } ?? 0) + 1
                    let statement = expected == .absent ? insert : upsert
                    try statement.bind(1, key.collection)
                    try statement.bind(2, key.id)
                    try statement.bind(3, Int64(clamping: version))
                    try statement.bind(4, data)
                    try statement.bind(5, IndexKeysEncoding.encode(indexes))
                    if !(try Self.stepRefusingDuplicate(statement)) {
                        try current.bind(1, key.collection)
                        try current.bind(2, key.id)
                        let found = try current.step() ? try StoredNumber.version(current.int64(0), of: key) : nil
                        current.reset()
                        throw StorageError.versionConflict(
                            collection: key.collection, id: key.id, expected: .absent, actual: found)
                    }
                    statement.reset()
                    for (name, value) in indexes.sorted(by: { $0.key < $1.key }) {
                        try run(insertIndex, key.collection, name, value, key.id)
                    }
                    receipt.versions[key] = version
                case .delete:
                    try deleteRecord.bind(1, key.collection)
                    try deleteRecord.bind(2, key.id)
                    _ = try deleteRecord.step()
                    deleteRecord.reset()
                }
            }

            let insertEntry = try connection.statement(
                """
                INSERT OR IGNORE INTO entries (entry_id, stream, subject, kind, time, payload)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                """)
            for entry in batch.entries {
                try insertEntry.bind(1, UnsafeRawBufferPointerBytes(entry.id))
                try insertEntry.bind(2, try key(entry.stream, pending: &pending))
                try insertEntry.bind(
                    3, try entry.subject.map { (name: String) throws(SQLiteError) in try key(name, pending: &pending) })
                try insertEntry.bind(4, entry.kind)
                try insertEntry.bind(5, entry.time.millisecondsSince1970)
                try insertEntry.bind(6, entry.payload)
                _ = try insertEntry.step()
                insertEntry.reset()
                if connection.changes == 1 {
                    receipt.appended.append(StoredEntry(position: UInt64(connection.lastInsertRowID), entry: entry))
                } else {
                    receipt.skipped.append(entry.id)
                }
            }
            return receipt
        }

        /// Steps an insert; false when a constraint refused the row (the record exists).
        private static func stepRefusingDuplicate(_ statement: Statement) throws(SQLiteError) -> Bool {
            do {
                _ = try statement.step()
                return true
            } catch {
                guard case .sqlite(_, let code, _) = error, code & 0xFF == SQLITE_CONSTRAINT else { throw error }
                return false
            }
        }

        private func run(_ statement: Statement, _ values: String...) throws(SQLiteError) {
            defer { statement.reset() }
            for (index, value) in values.enumerated() { try statement.bind(Int32(index + 1), value) }
            _ = try statement.step()
        }
    }
}

/// An entry id's 16 bytes, bound without copying them into an array.
private struct UnsafeRawBufferPointerBytes: ContiguousBytes {
    let id: EntryID
    init(_ id: EntryID) { self.id = id }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: id.uuid.uuid, body)
    }
}
