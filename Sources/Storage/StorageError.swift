import Foundation

/// The errors every storage backend reports, with messages a person can act on.
///
/// Each case says whether the batch that failed may have been applied:
///
/// - Bad input (``invalidName(_:reason:)``, ``invalidArgument(_:)``, ``invalidBatch(_:)``),
///   a stale write (``versionConflict(collection:id:expected:actual:)``) and a failure of the
///   system underneath before the commit was sent (``backendFailure(_:)``): **nothing** of the
///   batch was applied.
/// - ``outcomeUnknown(_:)``: the commit was sent and the answer was lost (a connection dropped
///   while the database committed). The batch is either wholly stored or absent, and the store
///   cannot tell which; read before retrying, or retry with an expectation that the first
///   attempt would have met (a record created expecting absent, as idempotency keys are).
/// - ``corruptRecord(collection:id:reason:)`` comes from reads, which apply nothing.
public enum StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A write stated a version that is not the record's current one; the whole batch was refused.
    case versionConflict(collection: String, id: String, expected: ExpectedVersion, actual: UInt64?)
    /// A name or key (collection, id, index, stream, subject, kind) cannot be stored.
    case invalidName(String, reason: String)
    /// An argument is out of range (a page size, a time range).
    case invalidArgument(String)
    /// The batch itself is malformed (the same record written twice, say).
    case invalidBatch(String)
    /// A stored record could not be decoded as the type asked for.
    case corruptRecord(collection: String, id: String, reason: String)
    /// The system underneath failed (disk, database server) before the batch could be
    /// committed; nothing of the batch was applied.
    case backendFailure(String)
    /// The commit was sent but its answer never came back (the connection to the database was
    /// lost during `COMMIT`): the batch is either wholly stored or absent, and which one is
    /// unknown. Retry only in a way the first attempt would make fail (a record created
    /// expecting it absent), or read first.
    case outcomeUnknown(String)

    public var description: String {
        switch self {
        case .versionConflict(let collection, let id, let expected, let actual):
            let found = actual.map { "version \($0)" } ?? "no record"
            return
                "Version conflict on \(collection)/\(id): the write expected \(expected) but the store has \(found). "
                + "Read the record again and retry the change; nothing of the batch was applied."
        case .invalidName(let name, let reason):
            return "Invalid name \(name.debugDescription): \(reason)"
        case .invalidArgument(let message):
            return "Invalid argument: \(message)"
        case .invalidBatch(let message):
            return "Invalid batch: \(message)"
        case .corruptRecord(let collection, let id, let reason):
            return "Record \(collection)/\(id) could not be decoded: \(reason)"
        case .backendFailure(let message):
            return "Storage backend failed: \(message)"
        case .outcomeUnknown(let message):
            return "The outcome of the commit is unknown: \(message). The batch is either wholly stored or "
                + "absent; read before retrying, or retry with the same idempotency key."
        }
    }
}

/// Limits that every backend enforces the same way, so that code written against one backend
/// behaves the same on another.
public enum StorageLimits {
    /// The largest number of items one read returns. Larger reads are paged.
    public static let maximumPageSize = 10_000
    /// The longest name or key, in UTF-8 bytes (collection, id, index name and value, stream, subject, kind).
    public static let maximumNameLength = 1_024

    /// Checks a name or key: not empty (unless `allowEmpty`), no U+0000, at most ``maximumNameLength`` bytes.
    ///
    /// - Throws: ``StorageError/invalidName(_:reason:)``.
    public static func validate(name: String, role: String, allowEmpty: Bool = false) throws(StorageError) {
        if name.isEmpty && !allowEmpty {
            throw .invalidName(name, reason: "a \(role) must not be empty")
        }
        var bytes = name
        if bytes.withUTF8({ $0.isEmpty ? false : memchr($0.baseAddress!, 0, $0.count) != nil }) {
            throw .invalidName(name, reason: "a \(role) must not contain the NUL character (U+0000)")
        }
        if name.utf8.count > maximumNameLength {
            throw .invalidName(
                String(name.prefix(40)) + "…",
                reason: "a \(role) may be at most \(maximumNameLength) UTF-8 bytes, this one has \(name.utf8.count)"
            )
        }
    }

    /// Checks the arguments of ``RecordStore/records(in:where:after:limit:)``; backends call it
    /// first, so that every backend refuses the same input the same way.
    public static func validateRecordsQuery(
        collection: String, query: IndexQuery?, cursor: String?, limit: Int
    ) throws(StorageError) {
        try validate(name: collection, role: "collection name")
        try validate(limit: limit)
        if let query {
            try validate(name: query.name, role: "index name")
            try validate(name: query.value, role: "index value", allowEmpty: true)
        }
        if let cursor { try validate(name: cursor, role: "cursor", allowEmpty: true) }
    }

    /// Checks the arguments of ``EventLog/entries(matching:in:after:limit:)``.
    public static func validateEntriesQuery(_ selector: EntrySelector, limit: Int) throws(StorageError) {
        try validate(limit: limit)
        switch selector {
        case .stream(let name): try validate(name: name, role: "stream")
        case .subject(let name): try validate(name: name, role: "subject")
        }
    }

    /// Checks a page size.
    ///
    /// - Throws: ``StorageError/invalidArgument(_:)`` unless `1 ... maximumPageSize`.
    public static func validate(limit: Int) throws(StorageError) {
        guard limit >= 1 && limit <= maximumPageSize else {
            throw .invalidArgument("a page size must be between 1 and \(maximumPageSize), not \(limit)")
        }
    }
}

/// Numbers a backend reads back from its database, checked before they become unsigned: a
/// negative version, position or head means the database was damaged or changed outside the
/// library, and is a typed error, never a trap.
package enum StoredNumber {
    /// `value` as an unsigned number, or `error`.
    package static func unsigned(_ value: Int64, or error: @autoclosure () -> StorageError) throws(StorageError)
        -> UInt64
    {
        guard value >= 0 else { throw error() }
        return UInt64(value)
    }

    /// A record's version: never negative.
    package static func version(_ value: Int64, of key: RecordKey) throws(StorageError) -> UInt64 {
        try unsigned(
            value,
            or: .corruptRecord(
                collection: key.collection, id: key.id, reason: "its stored version \(value) is negative"))
    }

    /// A log position or head: never negative.
    package static func position(_ value: Int64) throws(StorageError) -> UInt64 {
        try unsigned(
            value,
            or: .backendFailure(
                "the log holds the position \(value), below zero: the database was damaged or changed outside the library"
            ))
    }
}
