import Foundation
import Storage
import StorageTestKit

/// One realistic bug a storage backend could ship with; ``FlawedStore`` has exactly one.
///
/// Each flaw is caught by one conformance check, ``caughtBy``, and by no other: the kit's own
/// tests prove both halves.
enum Flaw: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A point lookup forgets to filter out tombstones (`WHERE deleted = 0` left out).
    case deletedRecordStaysReadable
    /// A create (`.absent`) is an upsert (`INSERT OR REPLACE`) instead of a conflict.
    case createOverwritesExistingRecord
    /// Writes are checked and applied one by one, so a conflict leaves the writes before it.
    case failedBatchKeepsEarlierWrites
    /// Creates (`.absent`) are left to the insert that writes them (a primary-key violation),
    /// after the batch's entries went in, and the entries stay: a command retried with its
    /// idempotency key appends its entries a second time.
    case createCheckedAfterAppend
    /// A batch that writes one record twice is applied, the last write winning.
    case recordWrittenTwiceAccepted
    /// Re-creating a deleted record continues from the tombstone's version.
    case recreatedRecordKeepsVersion
    /// An index query matches every record that has the index, whatever its value.
    case indexQueryIgnoresValue
    /// Page sizes out of range are clamped to 1...maximumPageSize instead of refused.
    case pageSizeClampedNotRefused
    /// An entry whose id is already stored is stored again.
    case duplicateEntryStoredAgain
    /// The log is read in entry-id order (a tree keyed by id), not in position order.
    case logReadInIDOrder
    /// A range read includes its end bound (`BETWEEN` instead of `>= AND <`).
    case timeRangeEndInclusive
    /// Record data and payloads pass through a C string and end at the first NUL byte.
    case bytesTruncatedAtNUL
    /// Names pass through a C string: cut at U+0000, then validated and stored.
    case namesTruncatedAtNUL
    /// A commit checks versions, suspends (`await`), then writes: a lost update under concurrency.
    case checkThenWriteRace
    /// Only the first 65,535 entries of a batch are stored (a bind-parameter limit), silently.
    case largeBatchTruncated
    /// Waiting for new entries returns at once, whatever the head: a subscriber reads the log in a
    /// busy loop instead of waiting for a commit.
    case waitReturnsAtOnce

    /// The one check that must catch this flaw.
    var caughtBy: StorageCheck {
        switch self {
        case .deletedRecordStaysReadable: .recordRoundTrip
        case .createOverwritesExistingRecord: .versionConflicts
        case .failedBatchKeepsEarlierWrites: .atomicBatches
        case .createCheckedAfterAppend: .keyedRetries
        case .recordWrittenTwiceAccepted: .malformedBatches
        case .recreatedRecordKeepsVersion: .deleteThenRecreate
        case .indexQueryIgnoresValue: .indexReads
        case .pageSizeClampedNotRefused: .pageSizeLimits
        case .duplicateEntryStoredAgain: .idempotentAppend
        case .logReadInIDOrder: .positionsAndOrdering
        case .timeRangeEndInclusive: .rangeReads
        case .bytesTruncatedAtNUL: .hostileStrings
        case .namesTruncatedAtNUL: .invalidNames
        case .checkThenWriteRace: .concurrentWriters
        case .largeBatchTruncated: .largeBatch
        case .waitReturnsAtOnce: .subscriptions
        }
    }

    /// Checks that rest on the same law and so catch this flaw too: a create that never
    /// conflicts also lets a keyed retry through.
    var alsoCaughtBy: [StorageCheck] {
        self == .createOverwritesExistingRecord ? [.keyedRetries] : []
    }

    var description: String { rawValue }
}

/// A small, plain backend written the way a first attempt at one often is (rows with
/// tombstones, a log array), correct unless it is given a ``Flaw``.
///
/// It is an actor: commits are serialized unless a flaw suspends one between its version
/// check and its write, which is how actor reentrancy loses updates in real code.
actor FlawedStore: DataStore {
    private struct Row {
        var record: Record
        var deleted = false
    }

    private let flaw: Flaw?
    private var rows: [Key: Row] = [:]
    private var log: [StoredEntry] = []
    private var storedIDs: Set<EntryID> = []
    /// Log indices in entry-id order, for ``Flaw/logReadInIDOrder``; rebuilt after appends.
    private var idOrder: [Int]?

    init(flaw: Flaw?) {
        self.flaw = flaw
    }

    // MARK: RecordStore

    func record(_ key: RecordKey) async throws -> Record? {
        let key = try validated(key)
        guard let row = rows[Key(key)] else { return nil }
        return row.deleted && flaw != .deletedRecordStaysReadable ? nil : row.record
    }

    func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        let collection = try name(collection, role: "collection name")
        let limit = try pageSize(limit)
        let query = try query.map { query throws(StorageError) in
            IndexQuery(
                try name(query.name, role: "index name"),
                equals: try name(query.value, role: "index value", allowEmpty: true))
        }
        let matching = rows.values.filter { row in
            guard !row.deleted, Array(row.record.collection.utf8) == Array(collection.utf8) else {
                return false
            }
            guard let query else { return true }
            return row.record.indexes.contains { name, value in
                Array(name.utf8) == Array(query.name.utf8)
                    && (flaw == .indexQueryIgnoresValue || Array(value.utf8) == Array(query.value.utf8))
            }
        }
        let after = cursor.map { Array($0.utf8) }
        let sorted = matching.map(\.record)
            .filter { after == nil || (after ?? []).lexicographicallyPrecedes(Array($0.id.utf8)) }
            .sorted { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }
        let page = Array(sorted.prefix(limit))
        return RecordPage(records: page, nextCursor: sorted.count > limit ? page.last?.id : nil)
    }

    func collectionNames() async throws -> [String] {
        let names = Dictionary(
            rows.values.filter { !$0.deleted }.map {
                (Array($0.record.collection.utf8), $0.record.collection)
            },
            uniquingKeysWith: { first, _ in first })
        return names.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    // MARK: EventLog

    func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        let limit = try pageSize(limit)
        if flaw == .logReadInIDOrder {
            return Array(
                sortedByID().lazy.map { self.log[$0] }.filter { $0.position > position }.prefix(limit))
        }
        guard position < UInt64(log.count) else { return [] }
        let start = Int(position)
        return Array(log[start..<min(start + limit, log.count)])
    }

    func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    )
        async throws -> [StoredEntry]
    {
        let limit = try pageSize(limit)
        let wanted: (LogEntry) -> Bool
        switch selector {
        case .stream(let stream):
            let bytes = Array(try name(stream, role: "stream").utf8)
            wanted = { Array($0.stream.utf8) == bytes }
        case .subject(let subject):
            let bytes = Array(try name(subject, role: "subject").utf8)
            wanted = { $0.subject.map { Array($0.utf8) } == bytes }
        }
        let inRange: (Timestamp) -> Bool =
            flaw == .timeRangeEndInclusive
            ? { range.lowerBound <= $0 && $0 <= range.upperBound } : { range.contains($0) }
        var selected = log.filter { $0.position > position && wanted($0.entry) && inRange($0.entry.time) }
        if flaw == .logReadInIDOrder { selected.sort { $0.id < $1.id } }
        return Array(selected.prefix(limit))
    }

    func head() async throws -> UInt64 {
        UInt64(log.count)
    }

    /// Looks at the head every 50 milliseconds, as a store without commit signals would.
    func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while flaw != .waitReturnsAtOnce, UInt64(log.count) <= position, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return UInt64(log.count)
    }

    // MARK: DataStore

    func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        let batch = try validated(batch)
        var receipt = CommitReceipt()
        if flaw == .failedBatchKeepsEarlierWrites {
            for write in batch.writes {
                try check(write)
                apply(write, to: &receipt)
            }
        } else if flaw == .createCheckedAfterAppend {
            for write in batch.writes where !write.creates { try check(write) }
            append(batch.entries, to: &receipt)
            for write in batch.writes where write.creates { try check(write) }
            for write in batch.writes { apply(write, to: &receipt) }
            return receipt
        } else {
            for write in batch.writes { try check(write) }
            if flaw == .checkThenWriteRace { await Task.yield() }
            for write in batch.writes { apply(write, to: &receipt) }
        }
        append(batch.entries, to: &receipt)
        return receipt
    }

    private func append(_ entries: [LogEntry], to receipt: inout CommitReceipt) {
        let entries = flaw == .largeBatchTruncated ? Array(entries.prefix(65_535)) : entries
        for entry in entries {
            guard storedIDs.insert(entry.id).inserted || flaw == .duplicateEntryStoredAgain else {
                receipt.skipped.append(entry.id)
                continue
            }
            var entry = entry
            entry.payload = stored(entry.payload)
            let stored = StoredEntry(position: UInt64(log.count + 1), entry: entry)
            log.append(stored)
            receipt.appended.append(stored)
            idOrder = nil
        }
    }

    // MARK: Writing

    private func check(_ write: RecordWrite) throws(StorageError) {
        let current = live(write.key)?.version
        let expected: ExpectedVersion
        switch write {
        case .put(_, _, _, let version): expected = version
        case .delete(_, let version): expected = .version(version)
        }
        if expected == .absent && flaw == .createOverwritesExistingRecord { return }
        guard expected.isSatisfied(by: current) else {
            throw .versionConflict(
                collection: write.key.collection, id: write.key.id, expected: expected, actual: current)
        }
    }

    private func apply(_ write: RecordWrite, to receipt: inout CommitReceipt) {
        let key = Key(write.key)
        switch write {
        case .put(let recordKey, let data, let indexes, _):
            let previous =
                flaw == .recreatedRecordKeepsVersion ? rows[key]?.record.version : live(recordKey)?.version
            let version = (previous ?? 0) + 1
            rows[key] = Row(
                record: Record(key: recordKey, version: version, data: stored(data), indexes: indexes))
            receipt.versions[recordKey] = version
        case .delete:
            rows[key]?.deleted = true
        }
    }

    private func live(_ key: RecordKey) -> Record? {
        guard let row = rows[Key(key)], !row.deleted else { return nil }
        return row.record
    }

    private func stored(_ bytes: Data) -> Data {
        flaw == .bytesTruncatedAtNUL ? Data(bytes.prefix { $0 != 0 }) : bytes
    }

    private func sortedByID() -> [Int] {
        if let idOrder { return idOrder }
        let order = log.indices.sorted { log[$0].id < log[$1].id }
        idOrder = order
        return order
    }

    // MARK: Validation

    /// The batch with every name validated (and, with ``Flaw/namesTruncatedAtNUL``, cut first).
    private func validated(_ batch: WriteBatch) throws(StorageError) -> WriteBatch {
        var result = WriteBatch()
        var seen = Set<Key>()
        for write in batch.writes {
            let key = try validated(write.key)
            switch write {
            case .put(_, let data, let indexes, let expected):
                if expected == .version(0) { throw .invalidBatch("put of \(key) expects version 0") }
                var names: [String: String] = [:]
                for (name, value) in indexes {
                    names[try self.name(name, role: "index name")] =
                        try self.name(value, role: "index value", allowEmpty: true)
                }
                result.put(data, at: key, indexes: names, expecting: expected)
            case .delete(_, let version):
                if version == 0 { throw .invalidBatch("delete of \(key) expects version 0") }
                result.delete(key, expecting: version)
            }
            guard seen.insert(Key(key)).inserted || flaw == .recordWrittenTwiceAccepted else {
                throw .invalidBatch("record \(key) is written twice")
            }
        }
        for entry in batch.entries {
            var entry = entry
            entry.stream = try name(entry.stream, role: "stream")
            entry.subject = try entry.subject.map { subject throws(StorageError) in
                try name(subject, role: "subject")
            }
            entry.kind = try name(entry.kind, role: "kind")
            result.append(entry)
        }
        return result
    }

    private func validated(_ key: RecordKey) throws(StorageError) -> RecordKey {
        RecordKey(
            collection: try name(key.collection, role: "collection name"),
            id: try name(key.id, role: "record id"))
    }

    private func name(_ name: String, role: String, allowEmpty: Bool = false) throws(StorageError) -> String {
        let name =
            flaw == .namesTruncatedAtNUL
            ? String(decoding: name.utf8.prefix { $0 != 0 }, as: UTF8.self) : name
        try StorageLimits.validate(name: name, role: role, allowEmpty: allowEmpty)
        return name
    }

    private func pageSize(_ limit: Int) throws(StorageError) -> Int {
        if flaw == .pageSizeClampedNotRefused { return min(max(limit, 1), StorageLimits.maximumPageSize) }
        try StorageLimits.validate(limit: limit)
        return limit
    }
}

/// A record key by its UTF-8 bytes, as a database with binary collation compares it.
private struct Key: Hashable {
    let collection: [UInt8]
    let id: [UInt8]

    init(_ key: RecordKey) {
        collection = Array(key.collection.utf8)
        id = Array(key.id.utf8)
    }
}

extension RecordWrite {
    /// A put expecting no record: a create.
    fileprivate var creates: Bool {
        if case .put(_, _, _, .absent) = self { true } else { false }
    }
}
