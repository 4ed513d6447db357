import CSQLite
import Dispatch
import Foundation
import Storage
import Synchronization

/// A `DataStore` in one SQLite file: the embedded default that keeps a community
/// across restarts without a database server.
///
/// ```swift
/// let store = try await SQLiteStorage.open(path: "community.sqlite")
/// let community = CommunityService(store: store, clock: SystemClock())
/// ```
///
/// - Every batch is one `BEGIN IMMEDIATE … COMMIT` transaction in write-ahead-log mode, with
///   `synchronous = FULL` by default: once `commit` returns, the batch survives a crash or a
///   power cut. ``Synchronous/normal`` trades that last guarantee for speed.
/// - Log entries live in typed columns; streams and subjects are interned as integers, so the
///   per-stream index stays small.
/// - All SQLite calls run on the store's own serial queue, never on Swift's cooperative
///   threads, so a busy wait or a slow disk does not stall other tasks.
public final class SQLiteStorage: DataStore {
    /// How hard SQLite works to make a commit durable.
    public enum Synchronous: String, Sendable {
        /// Durable: a commit that returned survives a power cut (the default).
        case full = "FULL"
        /// Faster: a commit survives a crash of the process but may be lost in a power cut.
        case normal = "NORMAL"
    }

    /// How the store opens its database.
    public struct Configuration: Sendable {
        public var synchronous: Synchronous
        /// How long a write waits for another connection's lock before failing with
        /// ``SQLiteError/locked(path:timeoutMilliseconds:)``.
        public var busyTimeoutMilliseconds: Int
        /// Open without writing (no schema creation, no migration).
        public var readOnly: Bool
        /// Caps the database's size in pages (`PRAGMA max_page_count`); nil for no cap.
        public var maximumPageCount: Int?
        /// While a subscriber waits for new entries, how often the store looks whether another
        /// process committed (SQLite has no notification: it asks `PRAGMA data_version`, which
        /// reads no page of the log). The store's own commits wake waiters at once.
        public var changeCheckInterval: Duration
        /// The connection's page cache in KiB (`PRAGMA cache_size`); nil keeps SQLite's default
        /// (about 2 MB). A large load wants much more: see ``bulkLoad``.
        public var pageCacheKibibytes: Int?
        /// How much of the file SQLite reads through a memory map (`PRAGMA mmap_size`) instead of
        /// copying pages; nil keeps SQLite's default (none on most builds).
        public var memoryMapBytes: Int?
        /// How many pages the write-ahead log grows to before SQLite copies it into the database
        /// (`PRAGMA wal_autocheckpoint`); nil keeps SQLite's 1,000. A load that rewrites the same
        /// index pages in every transaction copies each of them once per checkpoint: fewer,
        /// larger checkpoints copy less.
        public var walCheckpointPages: Int?

        public init(
            synchronous: Synchronous = .full, busyTimeoutMilliseconds: Int = 5_000, readOnly: Bool = false,
            maximumPageCount: Int? = nil, changeCheckInterval: Duration = .milliseconds(100),
            pageCacheKibibytes: Int? = nil, memoryMapBytes: Int? = nil, walCheckpointPages: Int? = nil
        ) {
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.readOnly = readOnly
            self.maximumPageCount = maximumPageCount
            self.changeCheckInterval = changeCheckInterval
            self.pageCacheKibibytes = pageCacheKibibytes
            self.memoryMapBytes = memoryMapBytes
            self.walCheckpointPages = walCheckpointPages
        }

        /// The settings a bulk import runs with, chosen by measurement (Benchmarks/RESULTS.md,
        /// "Importing the generated school"): a 256 MiB page cache and a 1 GiB memory map (a
        /// larger cache measured no faster: the system's file cache holds the rest), checkpoints
        /// every 20,000 pages (80 MB) instead of 1,000 (the index pages each transaction
        /// rewrites are copied into the database once per checkpoint: a quarter less time
        /// committing), and `synchronous = NORMAL`: a commit survives a crash of the process, and
        /// a power cut may lose the last chunks, which an import resumed from its progress
        /// record imports again.
        public static var bulkLoad: Configuration {
            Configuration(
                synchronous: .normal, pageCacheKibibytes: 256 * 1_024, memoryMapBytes: 1 << 30,
                walCheckpointPages: 20_000)
        }
    }

    /// The database's path (`:memory:` for an in-memory database).
    public let path: String
    private let queue: DispatchQueue
    private let state: State
    private let waiters = LogWaiters()
    private let changeCheckInterval: Duration
    /// Whether a task watches for other processes' commits (only while someone waits).
    private let watching = Mutex(false)

    private init(path: String, queue: DispatchQueue, state: State, changeCheckInterval: Duration) {
        self.path = path
        self.queue = queue
        self.state = state
        self.changeCheckInterval = Swift.max(changeCheckInterval, .milliseconds(1))
    }

    /// Opens (creating if needed) the database at `path`, creates or migrates its schema, and
    /// refuses a file written by a newer schema without touching it.
    ///
    /// - Throws: ``SQLiteError`` with the path: a missing directory, a file that is not a
    ///   database, a newer schema, a lock held beyond the busy timeout.
    public static func open(path: String, configuration: Configuration = Configuration()) async throws
        -> SQLiteStorage
    {
        let queue = DispatchQueue(label: "LearningCommunity.SQLiteStorage")
        let state = try await onQueue(queue) { () throws(SQLiteError) -> State in
            let connection = try Connection(
                path: path, readOnly: configuration.readOnly,
                busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
            try prepare(connection, configuration: configuration)
            return State(connection: connection)
        }
        return SQLiteStorage(
            path: path, queue: queue, state: state, changeCheckInterval: configuration.changeCheckInterval)
    }

    private static func prepare(_ connection: Connection, configuration: Configuration) throws(SQLiteError) {
        let found = Int(try connection.pragma("user_version") ?? "0") ?? 0
        guard found <= SQLiteSchema.currentVersion else {
            throw .newerSchema(path: connection.path, found: found, supported: SQLiteSchema.currentVersion)
        }
        if let pages = configuration.maximumPageCount { _ = try connection.pragma("max_page_count = \(pages)") }
        for pragma in SQLiteSchema.memoryPragmas(configuration) { _ = try connection.pragma(pragma) }
        guard !configuration.readOnly else { return }
        for pragma in SQLiteSchema.pragmas(synchronous: configuration.synchronous) {
            _ = try connection.pragma(String(pragma.dropFirst("PRAGMA ".count)))
        }
        guard found < SQLiteSchema.currentVersion else { return }
        try connection.execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            // Read again under the write lock: another process may have migrated meanwhile.
            let version = Int(try connection.pragma("user_version") ?? "0") ?? 0
            guard version <= SQLiteSchema.currentVersion else {
                throw .newerSchema(path: connection.path, found: version, supported: SQLiteSchema.currentVersion)
            }
            for migration in SQLiteSchema.migrations.dropFirst(version) { try connection.execute(migration) }
            try connection.execute("PRAGMA user_version = \(SQLiteSchema.currentVersion)")
            try connection.execute("COMMIT")
        } catch {
            if connection.inTransaction { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// The value of a pragma on the store's connection (e.g. `journal_mode`, `synchronous`).
    public func pragma(_ name: String) async throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else {
            throw StorageError.invalidArgument("\(name.debugDescription) is not a pragma name")
        }
        return try await run { state throws(SQLiteError) in try state.connection.pragma(name) }
    }

    /// Copies every page of the write-ahead log into the database file and truncates the log to
    /// zero bytes (`PRAGMA wal_checkpoint(TRUNCATE)`): after deleting personal data, the log no
    /// longer holds the pages that had it, and `secure_delete` has zeroed it in the file.
    ///
    /// - Returns: false when a reader in another connection kept the checkpoint from finishing
    ///   (the log then still holds pages); call it again once readers are done.
    public func truncateWriteAheadLog() async throws -> Bool {
        try await run { state throws(SQLiteError) in
            let statement = try state.connection.statement("PRAGMA wal_checkpoint(TRUNCATE)")
            defer { statement.reset() }
            guard try statement.step() else { return false }
            return statement.int64(0) == 0
        }
    }

    /// Truncates the write-ahead log (``truncateWriteAheadLog()``) after an erasure: with
    /// `secure_delete` on, nothing of the deleted records stays in the file or the log.
    ///
    /// - Throws: ``SQLiteError`` when a reader in another connection kept the log from being
    ///   truncated; run it again once readers are done.
    public func discardDeletedData() async throws {
        guard try await truncateWriteAheadLog() else {
            throw SQLiteError.sqlite(
                path: path, code: 5,  // SQLITE_BUSY
                message: "another connection was reading, so the write-ahead log was not truncated; run it again")
        }
    }

    /// Runs `body` with the connection on the store's queue.
    private func run<Value: Sendable>(_ body: @escaping @Sendable (State) throws -> Value) async throws -> Value {
        let state = self.state
        return try await Self.onQueue(queue) { () throws -> Value in try body(state) }
    }

    private static func onQueue<Value: Sendable>(
        _ queue: DispatchQueue, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try body() }) }
        }
    }

    // MARK: RecordStore

    public func record(_ key: RecordKey) async throws -> Record? {
        try StorageLimits.validate(name: key.collection, role: "collection name")
        try StorageLimits.validate(name: key.id, role: "record id")
        return try await run { state in
            let statement = try state.connection.statement(
                "SELECT version, data, indexes FROM records WHERE collection = ?1 AND id = ?2")
            defer { statement.reset() }
            try statement.bind(1, key.collection)
            try statement.bind(2, key.id)
            guard try statement.step() else { return nil }
            return Record(
                key: key, version: try StoredNumber.version(statement.int64(0), of: key), data: statement.data(1),
                indexes: IndexKeysEncoding.decode(statement.data(2)))
        }
    }

    public func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        try StorageLimits.validateRecordsQuery(collection: collection, query: query, cursor: cursor, limit: limit)
        return try await run { state in
            let statement: Statement
            if let query {
                statement = try state.connection.statement(
                    """
                    SELECT r.id, r.version, r.data, r.indexes FROM record_indexes i
                    JOIN records r ON r.collection = i.collection AND r.id = i.id
                    WHERE i.collection = ?1 AND i.name = ?2 AND i.value = ?3 AND i.id > ?4
                    ORDER BY i.id LIMIT ?5
                    """)
                try statement.bind(2, query.name)
                try statement.bind(3, query.value)
            } else {
                statement = try state.connection.statement(
                    """
                    SELECT id, version, data, indexes FROM records
                    WHERE collection = ?1 AND id > ?4 ORDER BY id LIMIT ?5
                    """)
            }
            defer { statement.reset() }
            try statement.bind(1, collection)
            try statement.bind(4, cursor ?? "")
            try statement.bind(5, Int64(limit + 1))
            var records: [Record] = []
            while try statement.step() {
                let key = RecordKey(collection: collection, id: statement.text(0))
                records.append(
                    Record(
                        key: key, version: try StoredNumber.version(statement.int64(1), of: key),
                        data: statement.data(2), indexes: IndexKeysEncoding.decode(statement.data(3))))
            }
            let more = records.count > limit
            if more { records.removeLast() }
            return RecordPage(records: records, nextCursor: more ? records.last?.id : nil)
        }
    }

    public func collectionNames() async throws -> [String] {
        try await run { state in
            let statement = try state.connection.statement(
                "SELECT DISTINCT collection FROM records ORDER BY collection")
            defer { statement.reset() }
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
    }

    // MARK: EventLog

    private static let entryColumns = """
        SELECT e.position, e.entry_id, s.name, sub.name, e.kind, e.time, e.payload FROM entries e
        JOIN names s ON s.key = e.stream LEFT JOIN names sub ON sub.key = e.subject
        """

    public func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        try StorageLimits.validate(limit: limit)
        return try await run { state in
            let statement = try state.connection.statement(
                Self.entryColumns + " WHERE e.position > ?1 ORDER BY e.position LIMIT ?2")
            defer { statement.reset() }
            try statement.bind(1, Int64(clamping: position))
            try statement.bind(2, Int64(limit))
            return try Self.readEntries(statement, connection: state.connection)
        }
    }

    public func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    ) async throws -> [StoredEntry] {
        try StorageLimits.validateEntriesQuery(selector, limit: limit)
        let (name, column) =
            switch selector {
            case .stream(let stream): (stream, "stream")
            case .subject(let subject): (subject, "subject")
            }
        return try await run { state in
            guard let key = try state.existingKey(name) else { return [] }
            let statement = try state.connection.statement(
                Self.entryColumns
                    + """
                     WHERE e.\(column) = ?1 AND e.position > ?2 AND e.time >= ?3 AND e.time < ?4
                    ORDER BY e.position LIMIT ?5
                    """)
            defer { statement.reset() }
            try statement.bind(1, key)
            try statement.bind(2, Int64(clamping: position))
            try statement.bind(3, range.lowerBound.millisecondsSince1970)
            try statement.bind(4, range.upperBound.millisecondsSince1970)
            try statement.bind(5, Int64(limit))
            return try Self.readEntries(statement, connection: state.connection)
        }
    }

    private static func readEntries(_ statement: Statement, connection: Connection) throws -> [StoredEntry] {
        var result: [StoredEntry] = []
        while try statement.step() {
            guard let id = EntryID(bytes: statement.data(1)) else {
                throw SQLiteError.sqlite(
                    path: connection.path, code: SQLITE_CORRUPT,
                    message: "entry at position \(statement.int64(0)) has an id that is not 16 bytes")
            }
            result.append(
                StoredEntry(
                    position: try StoredNumber.position(statement.int64(0)),
                    entry: LogEntry(
                        id: id, stream: statement.text(2), subject: statement.isNull(3) ? nil : statement.text(3),
                        kind: statement.text(4), time: Timestamp(millisecondsSince1970: statement.int64(5)),
                        payload: statement.data(6))))
        }
        return result
    }

    public func head() async throws -> UInt64 {
        try await run { state in
            let statement = try state.connection.statement("SELECT COALESCE(MAX(position), 0) FROM entries")
            defer { statement.reset() }
            _ = try statement.step()
            return try StoredNumber.position(statement.int64(0))
        }
    }

    // MARK: DataStore

    @discardableResult
    public func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        try batch.validate()
        let receipt = try await run { state in try state.commit(batch) }
        if let last = receipt.appended.last { waiters.signal(head: last.position) }
        return receipt
    }

    // MARK: Changes

    /// The head, from a cache that `PRAGMA data_version` says is current (it changes when
    /// another connection commits); the log is read only when it did.
    public func knownHead() async throws -> UInt64? {
        try await run { state in try state.knownHead() }
    }

    /// Wakes at once for this store's own commits; for other processes' commits, a task asks
    /// `PRAGMA data_version` every ``Configuration/changeCheckInterval`` while anyone waits.
    public func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        let known = try await knownHead()
        let current: UInt64
        if let known { current = known } else { current = try await head() }
        guard current <= position else { return current }
        startWatching()
        return try await waiters.wait(after: position, current: current, timeout: timeout)
    }

    private func startWatching() {
        let start = watching.withLock { running in
            if running { return false }
            running = true
            return true
        }
        guard start else { return }
        Task.detached { [self] in
            while true {
                try? await Task.sleep(for: changeCheckInterval)
                if !waiters.hasWaiters {
                    watching.withLock { $0 = false }
                    // A wait that began just now would find no watcher: look once more.
                    guard waiters.hasWaiters,
                        watching.withLock({ running in
                            if running { return false }
                            running = true
                            return true
                        })
                    else { return }
                }
                if let head = try? await knownHead() { waiters.signal(head: head) }
            }
        }
    }
}

extension SQLiteStorage: BulkLoading {
    /// Drops the log's per-stream and per-subject indexes in a transaction of its own; the
    /// UNIQUE entry-id index stays, so an entry stored before is still skipped.
    public func prepareForBulkLoad() async throws {
        try await changeLogIndexes(SQLiteSchema.logIndexes.map { "DROP INDEX IF EXISTS \($0.name)" })
    }

    /// Builds the log's per-stream and per-subject indexes in a transaction of its own (about
    /// 10 seconds for 10,000,000 entries; see Benchmarks/RESULTS.md).
    public func finishBulkLoad() async throws {
        try await changeLogIndexes(SQLiteSchema.logIndexes.map(\.definition))
    }

    public func isBulkLoading() async throws -> Bool {
        try await run { state in
            let statement = try state.connection.statement(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND name = ?1")
            defer { statement.reset() }
            for index in SQLiteSchema.logIndexes {
                try statement.bind(1, index.name)
                _ = try statement.step()
                let found = statement.int64(0)
                statement.reset()
                if found == 0 { return true }
            }
            return false
        }
    }

    private func changeLogIndexes(_ statements: [String]) async throws {
        try await run { state in
            let connection = state.connection
            try connection.execute("BEGIN IMMEDIATE")
            do {
                for statement in statements { try connection.execute(statement) }
                try connection.execute("COMMIT")
            } catch {
                if connection.inTransaction { try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }
}
