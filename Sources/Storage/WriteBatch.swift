import Foundation

/// One write to the record store inside a ``WriteBatch``.
public enum RecordWrite: Hashable, Sendable {
    /// Creates or replaces a record; `expected` says which version must be there now.
    case put(RecordKey, data: Data, indexes: [String: String], expected: ExpectedVersion)
    /// Removes a record that must currently have version `expected`.
    case delete(RecordKey, expected: UInt64)

    public var key: RecordKey {
        switch self {
        case .put(let key, _, _, _), .delete(let key, _): key
        }
    }
}

/// An atomic unit of work: record writes and log entries that are stored together or not at all.
///
/// Build it up, then hand it to ``DataStore/commit(_:)``.
public struct WriteBatch: Hashable, Sendable {
    public var writes: [RecordWrite]
    public var entries: [LogEntry]

    public init(writes: [RecordWrite] = [], entries: [LogEntry] = []) {
        self.writes = writes
        self.entries = entries
    }

    public var isEmpty: Bool { writes.isEmpty && entries.isEmpty }

    /// Adds a put of raw bytes.
    public mutating func put(
        _ data: Data,
        at key: RecordKey,
        indexes: [String: String] = [:],
        expecting expected: ExpectedVersion
    ) {
        writes.append(.put(key, data: data, indexes: indexes, expected: expected))
    }

    /// Adds a delete.
    public mutating func delete(_ key: RecordKey, expecting version: UInt64) {
        writes.append(.delete(key, expected: version))
    }

    /// Adds a log entry.
    public mutating func append(_ entry: LogEntry) {
        entries.append(entry)
    }

    /// Checks every name in the batch and that no record is written twice.
    ///
    /// Backends call this before applying anything.
    /// - Throws: ``StorageError/invalidName(_:reason:)`` or ``StorageError/invalidBatch(_:)``.
    public func validate() throws(StorageError) {
        var seen = Set<RecordKey>()
        for write in writes {
            let key = write.key
            try StorageLimits.validate(name: key.collection, role: "collection name")
            try StorageLimits.validate(name: key.id, role: "record id")
            if case .put(_, _, let indexes, _) = write {
                for (name, value) in indexes {
                    try StorageLimits.validate(name: name, role: "index name")
                    try StorageLimits.validate(name: value, role: "index value", allowEmpty: true)
                }
            }
            if case .delete(_, let version) = write, version == 0 {
                throw .invalidBatch("delete of \(key) expects version 0; versions start at 1")
            }
            if case .put(_, _, _, .version(0)) = write {
                throw .invalidBatch("put of \(key) expects version 0; versions start at 1, use .absent to create")
            }
            guard seen.insert(key).inserted else {
                throw .invalidBatch("record \(key) is written twice in one batch; merge the writes")
            }
        }
        for entry in entries { try entry.validate() }
    }
}

/// What a successful commit did.
public struct CommitReceipt: Hashable, Sendable {
    /// The new version of every record the batch put (deleted records are absent).
    public var versions: [RecordKey: UInt64]
    /// The entries that were new, with their positions, in append order.
    public var appended: [StoredEntry]
    /// The ids of entries that were already stored (or repeated in the batch) and were skipped.
    public var skipped: [EntryID]

    public init(versions: [RecordKey: UInt64] = [:], appended: [StoredEntry] = [], skipped: [EntryID] = []) {
        self.versions = versions
        self.appended = appended
        self.skipped = skipped
    }
}
