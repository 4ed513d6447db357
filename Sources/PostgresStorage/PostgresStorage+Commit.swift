import Foundation
import Storage

/// The statements of one schema, and the commit that uses them. Every statement takes its
/// values as bound parameters; many-row writes pass arrays and `unnest` them (new log entries go
/// through binary `COPY`, the fastest way in), so a batch costs a
/// fixed number of round trips whatever its size (and stays far below the 65,535-parameter limit).
struct SQL: Sendable {
    let record: String
    let recordsPage: String
    let recordsByIndex: String
    let collectionNames: String
    let entriesAfter: String
    let entriesOfStream: String
    let entriesOfSubject: String
    let head: String
    private let lockRecords: String
    private let recordVersion: String
    private let deleteIndexes: String
    private let deleteRecords: String
    private let updateRecords: String
    private let createRecords: String
    private let insertIndexes: String
    private let lockHead: String
    private let storedIDs: String
    private let copyEntries: String
    private let moveHead: String
    private let notify: String
    /// The channel a commit that appends notifies, with the new head as its payload: one per
    /// schema, named by a digest (a channel name has at most 63 bytes, as a schema name may).
    let channel: String

    init(schema: String) {
        let s = PostgresSchema.quoted(schema)
        let keys = "SELECT * FROM unnest($1::text[], $2::text[])"
        let entryColumns = "SELECT position, entry_id, stream, subject, kind, time, payload FROM \(s).entries"
        record = "SELECT version, data, indexes FROM \(s).records WHERE collection = $1 AND id = $2"
        recordsPage = """
            SELECT id, version, data, indexes FROM \(s).records
            WHERE collection = $1 AND id > $2 ORDER BY id LIMIT $3
            """
        recordsByIndex = """
            SELECT r.id, r.version, r.data, r.indexes FROM \(s).record_indexes i
            JOIN \(s).records r ON r.collection = i.collection AND r.id = i.id
            WHERE i.collection = $1 AND i.name = $2 AND i.value = $3 AND i.id > $4
            ORDER BY i.id LIMIT $5
            """
        // A loose index scan: one index probe per collection, not a scan of every record.
        collectionNames = """
            WITH RECURSIVE c (name) AS (
                SELECT min(collection) FROM \(s).records
                UNION ALL
                SELECT (SELECT min(collection) FROM \(s).records WHERE collection > c.name) FROM c
                WHERE c.name IS NOT NULL
            ) SELECT name FROM c WHERE name IS NOT NULL
            """
        entriesAfter = "\(entryColumns) WHERE position > $1 ORDER BY position LIMIT $2"
        entriesOfStream = """
            \(entryColumns) WHERE stream = $1 AND position > $2 AND time >= $3 AND time < $4
            ORDER BY position LIMIT $5
            """
        entriesOfSubject = """
            \(entryColumns) WHERE subject = $1 AND position > $2 AND time >= $3 AND time < $4
            ORDER BY position LIMIT $5
            """
        head = "SELECT position FROM \(s).log_head"
        lockRecords = """
            SELECT collection, id, version FROM \(s).records WHERE (collection, id) IN (\(keys))
            ORDER BY collection, id FOR UPDATE
            """
        recordVersion = "SELECT version FROM \(s).records WHERE collection = $1 AND id = $2"
        deleteIndexes = "DELETE FROM \(s).record_indexes WHERE (collection, id) IN (\(keys))"
        deleteRecords = "DELETE FROM \(s).records WHERE (collection, id) IN (\(keys))"
        updateRecords = """
            UPDATE \(s).records r SET version = u.version, data = u.data, indexes = u.indexes
            FROM unnest($1::text[], $2::text[], $3::int8[], $4::bytea[], $5::bytea[])
                AS u (collection, id, version, data, indexes)
            WHERE r.collection = u.collection AND r.id = u.id
            """
        createRecords = """
            INSERT INTO \(s).records (collection, id, version, data, indexes)
            SELECT collection, id, 1, data, indexes
            FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[]) AS u (collection, id, data, indexes)
            ON CONFLICT (collection, id) DO NOTHING RETURNING collection, id
            """
        insertIndexes = """
            INSERT INTO \(s).record_indexes (collection, name, value, id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
            """
        lockHead = "SELECT position FROM \(s).log_head FOR UPDATE"
        storedIDs = "SELECT entry_id FROM \(s).entries WHERE entry_id = ANY($1::bytea[])"
        copyEntries = """
            COPY \(s).entries (position, entry_id, stream, subject, kind, time, payload) FROM STDIN (FORMAT binary)
            """
        moveHead = "UPDATE \(s).log_head SET position = $1"
        notify = "SELECT pg_notify($1, $2)"
        channel = "community_log_" + String(FNV1a.hash(schema), radix: 16)
    }

    /// Applies a validated batch inside the connection's open transaction. Throws (and the
    /// caller rolls back) on the first unmet expectation.
    ///
    /// Lock order, the same in every transaction so that writers cannot deadlock: the batch's
    /// existing records in key order, then (for entries) the log's head row.
    func apply(_ batch: WriteBatch, on connection: PostgresConnection) throws -> CommitReceipt {
        var receipt = CommitReceipt()
        if !batch.writes.isEmpty {
            receipt.versions = try applyWrites(batch.writes.sorted { $0.key < $1.key }, on: connection)
        }
        if !batch.entries.isEmpty {
            (receipt.appended, receipt.skipped) = try append(batch.entries, on: connection)
        }
        return receipt
    }

    private func applyWrites(_ writes: [RecordWrite], on connection: PostgresConnection) throws -> [RecordKey: UInt64] {
        let keys = writes.map(\.key)
        let locked = try connection.query(lockRecords, Self.keyArrays(keys))
        var found: [RecordKey: UInt64] = [:]
        for row in 0..<locked.count {
            let key = RecordKey(collection: locked.text(row, 0), id: locked.text(row, 1))
            found[key] = try StoredNumber.version(locked.int64(row, 2), of: key)
        }
        var creates: [(RecordKey, Data, [String: String])] = []
        var updates: [(RecordKey, UInt64, Data, [String: String])] = []
        var deletes: [RecordKey] = []
        for write in writes {
            let expected: ExpectedVersion
            switch write {
            case .put(_, _, _, let version): expected = version
            case .delete(_, let version): expected = .version(version)
            }
            let actual = found[write.key]
            guard expected.isSatisfied(by: actual) else {
                throw StorageError.versionConflict(
                    collection: write.key.collection, id: write.key.id, expected: expected, actual: actual)
            }
            switch write {
            case .put(let key, let data, let indexes, _):
                if let actual {
                    updates.append((key, actual + 1, data, indexes))
                } else {
                    creates.append((key, data, indexes))
                }
            case .delete(let key, _): deletes.append(key)
            }
        }
        let existing = keys.filter { found[$0] != nil }
        if !existing.isEmpty { try connection.query(deleteIndexes, Self.keyArrays(existing)) }
        if !deletes.isEmpty { try connection.query(deleteRecords, Self.keyArrays(deletes)) }
        if !updates.isEmpty {
            try connection.query(
                updateRecords,
                Self.keyArrays(updates.map(\.0)) + [
                    .int64Array(updates.map { Int64(clamping: $0.1) }), .bytesArray(updates.map(\.2)),
                    .bytesArray(updates.map { IndexKeysEncoding.encode($0.3) }),
                ])
        }
        if !creates.isEmpty {
            let created = try connection.query(
                createRecords,
                Self.keyArrays(creates.map(\.0)) + [
                    .bytesArray(creates.map(\.1)), .bytesArray(creates.map { IndexKeysEncoding.encode($0.2) }),
                ])
            if created.count < creates.count {
                // Another writer created one of these records after our lock query: a conflict.
                let made = Set(
                    (0..<created.count).map { RecordKey(collection: created.text($0, 0), id: created.text($0, 1)) })
                let lost = creates.first { !made.contains($0.0) }!.0
                let now = try connection.query(recordVersion, [.text(lost.collection), .text(lost.id)])
                throw StorageError.versionConflict(
                    collection: lost.collection, id: lost.id, expected: .absent,
                    actual: now.count == 1 ? UInt64(clamping: now.int64(0, 0)) : nil)
            }
        }
        var rows: [(String, String, String, String)] = []
        for case .put(let key, _, let indexes, _) in writes {
            for (name, value) in indexes.sorted(by: { $0.key < $1.key }) {
                rows.append((key.collection, name, value, key.id))
            }
        }
        if !rows.isEmpty {
            try connection.query(
                insertIndexes,
                [
                    .textArray(rows.map(\.0)), .textArray(rows.map(\.1)), .textArray(rows.map(\.2)),
                    .textArray(rows.map(\.3)),
                ])
        }
        var versions: [RecordKey: UInt64] = [:]
        for (key, _, _) in creates { versions[key] = 1 }
        for (key, version, _, _) in updates { versions[key] = version }
        return versions
    }

    private func append(_ entries: [LogEntry], on connection: PostgresConnection) throws -> ([StoredEntry], [EntryID]) {
        // Held until commit: appends commit one at a time, in position order.
        let head = try StoredNumber.position(try connection.query(lockHead).int64(0, 0))
        // Under the lock no other appender runs, so ids not stored now are new.
        let stored = try connection.query(storedIDs, [.bytesArray(entries.map { Data($0.id.bytes) })])
        var taken = Set((0..<stored.count).compactMap { EntryID(bytes: stored.data($0, 0)) })
        var appended: [StoredEntry] = []
        var skipped: [EntryID] = []
        appended.reserveCapacity(entries.count)
        for entry in entries {
            if taken.insert(entry.id).inserted {
                appended.append(StoredEntry(position: head + UInt64(appended.count) + 1, entry: entry))
            } else {
                skipped.append(entry.id)
            }
        }
        guard !appended.isEmpty else { return ([], skipped) }
        var rows = CopyRows(reservingCapacity: appended.reduce(0) { $0 + 96 + $1.entry.payload.count })
        for stored in appended {
            rows.row(fields: 7)
            rows.int64(Int64(stored.position))
            rows.bytes(stored.entry.id.bytes)
            rows.text(stored.entry.stream)
            rows.text(stored.entry.subject)
            rows.text(stored.entry.kind)
            rows.int64(stored.entry.time.millisecondsSince1970)
            rows.bytes(stored.entry.payload)
        }
        try connection.copy(copyEntries, data: rows.finish())
        try connection.query(moveHead, [.int64(Int64(head) + Int64(appended.count))])
        // Sent in the commit's transaction: listeners hear of it when, and only if, it commits.
        try connection.query(notify, [.text(channel), .text(String(head + UInt64(appended.count)))])
        return (appended, skipped)
    }

    private static func keyArrays(_ keys: [RecordKey]) -> [PostgresValue] {
        [.textArray(keys.map(\.collection)), .textArray(keys.map(\.id))]
    }
}
