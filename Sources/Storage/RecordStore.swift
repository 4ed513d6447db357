/// The read side of a store of versioned records in named collections.
///
/// Records are opaque bytes addressed by ``RecordKey`` (collection + id), with a version and a
/// set of declared index keys. Records change only through ``DataStore/commit(_:)``.
///
/// ## Implementation requirements
///
/// A conforming backend must guarantee all of the following (`StorageTestKit` checks each):
///
/// - **Round trip.** ``record(_:)`` returns exactly the bytes and index keys last committed for
///   the key, with its current version; nil once deleted or never written.
/// - **Versions.** A created record has version 1; each put adds 1. A delete followed by a create
///   starts again at 1.
/// - **Index reads.** ``records(in:where:after:limit:)`` returns the records of the collection
///   whose index `name` equals `value` exactly (all records when the query is nil), ordered by
///   id (byte order of UTF-8), only ids greater than `after`, at most `limit`, and a
///   `nextCursor` whenever more follow (nil means the end; a cursor after a full last page is
///   allowed and reads as an empty page).
/// - **Read committed.** A read never sees part of a batch: either all of it or none of it.
/// - **Validation.** Names with U+0000, empty names and limits outside
///   `1...StorageLimits.maximumPageSize` are refused with ``StorageError``.
/// - **Concurrency.** Every method is safe to call from many tasks at once.
public protocol RecordStore: Sendable {
    /// The record at `key`, or nil.
    func record(_ key: RecordKey) async throws -> Record?

    /// One page of a collection's records, optionally filtered by one index, ordered by id.
    func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage

    /// The names of all collections that hold at least one record, sorted.
    func collectionNames() async throws -> [String]
}

/// The read side of an append-only log of entries with positions.
///
/// ## Implementation requirements
///
/// - **Positions.** The first stored entry has position 1; each new entry gets the next
///   position. Positions never go backwards and never leave a gap that is filled later: a
///   reader that has read up to position P will never later find a new entry at or below P.
/// - **Idempotency.** An entry whose id is already stored is skipped (not stored again, no
///   position used), also when the same id appears twice in one batch; the commit receipt
///   lists it under `skipped`.
/// - **Round trip.** Every field of ``LogEntry`` is returned exactly, payload bytes included
///   (NUL bytes, 1 MB and more).
/// - **Reads.** ``entries(after:limit:)`` returns entries with position greater than the given
///   one, ascending. ``entries(matching:in:after:limit:)`` returns the selected stream's or
///   subject's entries whose time lies in the half-open range, in position order.
/// - **Head.** ``head()`` is the highest stored position (0 for an empty log).
/// - **Concurrency.** Every method is safe to call from many tasks at once.
public protocol EventLog: Sendable {
    /// Entries with position greater than `position`, ascending, at most `limit`.
    func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry]

    /// Entries of one stream or subject whose time is in `range`, after `position`, in log order.
    func entries(matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int)
        async throws -> [StoredEntry]

    /// The highest stored position, 0 when the log is empty.
    func head() async throws -> UInt64

    /// Waits until the log holds an entry after `position`, or `timeout` passes, and returns the
    /// head it saw (not above `position` when the time ran out); throws `CancellationError` when
    /// the task is cancelled. The default asks ``head()`` every 200 milliseconds; a store that
    /// knows when entries are committed wakes its waiters instead.
    func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64

    /// The head when the store can tell it without reading the log; nil when it cannot. The
    /// default is nil.
    func knownHead() async throws -> UInt64?
}

/// A store of records and a log that change together, atomically: the one interface an
/// integrator implements to give every module of the library its persistence.
///
/// ## Implementation requirements
///
/// Everything ``RecordStore`` and ``EventLog`` require, and for ``commit(_:)``:
///
/// - **Validation first.** Call ``WriteBatch/validate()``; an invalid batch changes nothing.
/// - **Optimistic concurrency.** Every write states the version it expects. If any write's
///   expectation does not hold, throw ``StorageError/versionConflict(collection:id:expected:actual:)``
///   and apply nothing, neither records nor entries.
/// - **Atomicity.** Record writes and new entries are applied together or not at all, whatever
///   the failure (conflict, disk full, crash). Once `commit` returns, the batch is durable.
/// - **Every expectation before any entry.** Check every record expectation before the first
///   entry goes in: a retried command's batch (its key record created expecting absent, with
///   fresh entry ids) must conflict and append nothing (the `keyedRetries` check).
/// - **Truthful failures.** Any error but ``StorageError/outcomeUnknown(_:)`` means nothing of
///   the batch was applied. When the answer to a commit may have been lost after the database
///   received it (a network backend whose connection drops during its commit), throw
///   `outcomeUnknown`, never another error: callers retry it with the command's idempotency key.
/// - **Serializable writes.** Concurrent commits behave as if applied one after another: two
///   writers expecting the same version of a record cannot both succeed (no lost update).
/// - **Large batches.** A batch of 100,000 entries succeeds.
public protocol DataStore: RecordStore, EventLog {
    /// Applies the batch atomically and returns what it did.
    @discardableResult
    func commit(_ batch: WriteBatch) async throws -> CommitReceipt

    /// Makes what deleted records held unrecoverable from the store's own files, as far as the
    /// backend can: called after a member's erasure. The default does nothing (a store in memory
    /// keeps no deleted bytes; a server database's dead rows, log and backups are its
    /// administrator's). `SQLiteStorage` truncates its write-ahead log.
    func discardDeletedData() async throws
}

extension DataStore {
    public func discardDeletedData() async throws {}
}

extension DataStore {
    /// Appends entries alone (no record writes): a convenience over ``commit(_:)``.
    @discardableResult
    public func append(_ entries: [LogEntry]) async throws -> CommitReceipt {
        try await commit(WriteBatch(entries: entries))
    }
}

extension EventLog {
    /// Reads every entry after `position`, page by page.
    public func allEntries(after position: UInt64 = 0, pageSize: Int = 1_000) async throws -> [StoredEntry] {
        var result: [StoredEntry] = []
        var cursor = position
        while true {
            let page = try await entries(after: cursor, limit: pageSize)
            result += page
            guard let last = page.last, page.count == pageSize else { return result }
            cursor = last.position
        }
    }

    /// Reads every entry of a stream or subject in `range`, page by page.
    public func allEntries(
        matching selector: EntrySelector,
        in range: Range<Timestamp> = Timestamp.distantPast..<Timestamp.distantFuture,
        pageSize: Int = 1_000
    ) async throws -> [StoredEntry] {
        var result: [StoredEntry] = []
        var cursor: UInt64 = 0
        while true {
            let page = try await entries(matching: selector, in: range, after: cursor, limit: pageSize)
            result += page
            guard let last = page.last, page.count == pageSize else { return result }
            cursor = last.position
        }
    }
}

extension RecordStore {
    /// Reads every record of a collection (optionally filtered by an index), page by page.
    public func allRecords(in collection: String, where query: IndexQuery? = nil, pageSize: Int = 1_000)
        async throws -> [Record]
    {
        var result: [Record] = []
        var cursor: String? = nil
        repeat {
            let page = try await records(in: collection, where: query, after: cursor, limit: pageSize)
            result += page.records
            cursor = page.nextCursor
        } while cursor != nil
        return result
    }
}
