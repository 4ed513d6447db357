import CPostgres
import Foundation
import Storage
import Synchronization

/// A `DataStore` in a PostgreSQL database: the path past one machine, for schools
/// that run several service instances or want managed backups and replicas.
///
/// ```swift
/// let store = try await PostgresStorage.open(
///     PostgresStorage.Configuration(connection: "postgresql://community@db.internal/community"))
/// let community = CommunityService(store: store, clock: SystemClock())
/// ```
///
/// - **Schema.** Tables live in one PostgreSQL schema (``Configuration/schema``), created and
///   migrated on first use under an advisory lock; a schema written by a newer library is
///   refused with ``PostgresError/newerSchema(schema:found:supported:)``. Two communities can
///   share a database by choosing two schema names.
/// - **Connections.** A small pool (``Configuration/poolSize``) serves many tasks at once.
///   Statements are prepared once per connection, every value is a bound parameter in binary
///   format, and every libpq call runs on the connection's own serial queue, never on Swift's
///   cooperative threads. A broken connection is replaced, with backoff while the server is down.
/// - **Commits.** A batch is one transaction. Records are locked in key order
///   (`SELECT … FOR UPDATE`) and their versions compared, so two writers expecting the same
///   version cannot both succeed; creations race through `INSERT … ON CONFLICT DO NOTHING`.
/// - **Positions never go backwards for a reader.** A batch with entries locks the log's head
///   row last and holds it until it commits, so appends commit one at a time, in position order:
///   any reader's snapshot holds a gap-free prefix of the log. Entries already stored (looked up
///   by id under that lock) are skipped, so a retried append is safe.
public final class PostgresStorage: DataStore {
    /// TLS settings handed to libpq as they are (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`).
    /// Settings left nil keep whatever the connection string says, or libpq's defaults.
    public struct TLS: Sendable, Hashable {
        public enum Mode: String, Sendable, Hashable {
            case disable, allow, prefer, require
            case verifyCA = "verify-ca"
            case verifyFull = "verify-full"
        }

        public var mode: Mode?
        /// The certificate authorities to trust (`sslrootcert`).
        public var rootCertificatePath: String?
        /// A client certificate and its key, for servers that ask for one (`sslcert`, `sslkey`).
        public var certificatePath: String?
        public var keyPath: String?

        public init(
            mode: Mode? = nil, rootCertificatePath: String? = nil, certificatePath: String? = nil,
            keyPath: String? = nil
        ) {
            self.mode = mode
            self.rootCertificatePath = rootCertificatePath
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    /// Where the store connects and how.
    public struct Configuration: Sendable, Hashable {
        /// A libpq connection string (`host=… dbname=…`) or URL (`postgresql://user:pass@host:5432/db`).
        public var connection: String
        /// The PostgreSQL schema that holds the tables (see ``PostgresSchema/validate(name:)``).
        public var schema: String
        /// How many connections the store opens at most (1...100).
        public var poolSize: Int
        public var tls: TLS
        /// Cancels any statement that runs longer (``PostgresError/statementTimeout(server:message:)``);
        /// nil for the server's setting.
        public var statementTimeoutMilliseconds: Int?
        /// How long connecting may take before it fails (at least 1 second).
        public var connectTimeoutSeconds: Int
        /// How often opening a connection is retried, with doubling delays from 50 ms, while the
        /// server cannot be reached.
        public var reconnectAttempts: Int
        /// Shown in `pg_stat_activity`.
        public var applicationName: String

        public init(
            connection: String, schema: String = PostgresSchema.defaultName, poolSize: Int = 4, tls: TLS = TLS(),
            statementTimeoutMilliseconds: Int? = nil, connectTimeoutSeconds: Int = 10, reconnectAttempts: Int = 3,
            applicationName: String = "learning-community"
        ) {
            self.connection = connection
            self.schema = schema
            self.poolSize = poolSize
            self.tls = tls
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.reconnectAttempts = reconnectAttempts
            self.applicationName = applicationName
        }
    }

    /// The largest record or payload a batch may hold, and the most record bytes in one batch:
    /// PostgreSQL takes values and messages up to 1 GB, and a batch's records travel as one
    /// message.
    public static let maximumBatchBytes = 1_000_000_000

    /// The schema that holds this store's tables.
    public let schema: String
    let pool: ConnectionPool
    let sql: SQL
    private let waiters = LogWaiters()
    /// Opens the connection that listens for other processes' commits.
    private let connect: @Sendable () async throws -> PostgresConnection
    /// Whether a task listens for commits, whether the head it keeps is current, and when the
    /// known head was last asked for: it listens while anyone waits, or asked within
    /// ``listenAfterAsking``.
    private let listening = Mutex(
        (running: false, current: false, lastAsked: ContinuousClock.Instant?.none))
    /// How long the store keeps listening after the known head was last asked for.
    static let listenAfterAsking = Duration.seconds(10)

    private init(
        schema: String, pool: ConnectionPool, connect: @escaping @Sendable () async throws -> PostgresConnection
    ) {
        self.schema = schema
        self.pool = pool
        self.sql = SQL(schema: schema)
        self.connect = connect
    }

    /// Connects, creates or migrates the schema, and returns the store.
    ///
    /// - Throws: ``PostgresError``: an unusable configuration, a server that cannot be reached
    ///   or refuses the login, a schema written by a newer library.
    public static func open(_ configuration: Configuration) async throws -> PostgresStorage {
        let parameters = try connectionParameters(configuration)
        let pool = ConnectionPool(
            size: configuration.poolSize, reconnectAttempts: configuration.reconnectAttempts,
            connect: { try await PostgresConnection.open(parameters: parameters) })
        let store = PostgresStorage(
            schema: configuration.schema, pool: pool,
            connect: { try await PostgresConnection.open(parameters: parameters) })
        let schema = configuration.schema
        try await pool.withConnection { connection in try migrate(connection, schema: schema) }
        return store
    }

    /// Removes the configuration's schema with every table in it: the whole community stored
    /// there, irrecoverably. Meant for throwaway communities (tests, demos); a schema that does
    /// not exist is not an error.
    public static func removeSchema(_ configuration: Configuration) async throws {
        let parameters = try connectionParameters(configuration)
        let connection = try await PostgresConnection.open(parameters: parameters)
        let schema = PostgresSchema.quoted(configuration.schema)
        try await connection.run { connection in try connection.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
    }

    /// The libpq keywords for a configuration, after checking it.
    static func connectionParameters(_ configuration: Configuration) throws(PostgresError) -> [(String, String)] {
        try PostgresSchema.validate(name: configuration.schema)
        guard (1...100).contains(configuration.poolSize) else {
            throw .invalidConfiguration("the pool size must be between 1 and 100, not \(configuration.poolSize)")
        }
        guard configuration.connectTimeoutSeconds >= 1 else {
            throw .invalidConfiguration(
                "the connect timeout must be at least 1 second, not \(configuration.connectTimeoutSeconds)")
        }
        guard configuration.reconnectAttempts >= 0 else {
            throw .invalidConfiguration("reconnect attempts cannot be negative (\(configuration.reconnectAttempts))")
        }
        if let timeout = configuration.statementTimeoutMilliseconds, timeout < 1 {
            throw .invalidConfiguration("a statement timeout must be at least 1 ms, not \(timeout)")
        }
        guard !configuration.connection.utf8.contains(0), !configuration.applicationName.utf8.contains(0) else {
            throw .invalidConfiguration("the connection string and application name must not contain NUL")
        }
        // Parse first, so that a malformed string is a configuration error, not a failed connect.
        // libpq's message quotes the string, so the reason shown is that of the string with its
        // password masked; a string that fails only because of its password says so.
        func parse(_ connection: String) -> (UnsafeMutablePointer<PQconninfoOption>?, String) {
            var errorMessage: UnsafeMutablePointer<CChar>?
            let parsed = PQconninfoParse(connection, &errorMessage)
            let reason = errorMessage.map { String(cString: $0) } ?? "libpq could not parse it"
            PQfreemem(errorMessage)
            return (parsed, reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let parsed = parse(configuration.connection).0 else {
            let (maskedParse, maskedReason) = parse(Configuration.maskingPassword(configuration.connection))
            PQconninfoFree(maskedParse)
            throw .invalidConfiguration(
                "the connection string is neither a libpq key=value string nor a postgresql:// URL: "
                    + (maskedParse == nil ? maskedReason : "its password could not be read; check its quoting"))
        }
        var givenOptions = ""
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "options", let value = option.pointee.val {
                givenOptions = String(cString: value)
            }
            option += 1
        }
        PQconninfoFree(parsed)

        var options = [givenOptions, "-c client_min_messages=warning"]
        if let timeout = configuration.statementTimeoutMilliseconds {
            options.append("-c statement_timeout=\(timeout)")
        }
        var parameters: [(String, String)] = [
            ("dbname", configuration.connection),
            ("application_name", configuration.applicationName),
            ("connect_timeout", String(configuration.connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("options", options.filter { !$0.isEmpty }.joined(separator: " ")),
        ]
        let tls = configuration.tls
        if let mode = tls.mode { parameters.append(("sslmode", mode.rawValue)) }
        if let path = tls.rootCertificatePath { parameters.append(("sslrootcert", path)) }
        if let path = tls.certificatePath { parameters.append(("sslcert", path)) }
        if let path = tls.keyPath { parameters.append(("sslkey", path)) }
        return parameters
    }

    /// Brings the schema to ``PostgresSchema/currentVersion``, under an advisory lock so that
    /// several instances starting at once migrate it once.
    private static func migrate(_ connection: PostgresConnection, schema: String) throws {
        let s = PostgresSchema.quoted(schema)
        let versionTable = "\(s).schema_version"
        let current = PostgresSchema.currentVersion
        func version() throws(PostgresError) -> Int {
            let exists = try connection.query("SELECT to_regclass($1) IS NOT NULL", [.text(versionTable)])
            guard exists.count == 1, exists.data(0, 0) == Data([1]) else { return 0 }
            let row = try connection.query("SELECT version FROM \(versionTable)")
            return row.count == 0 ? 0 : Int(row.int64(0, 0))
        }
        let found = try version()
        guard found <= current else {
            throw PostgresError.newerSchema(schema: schema, found: found, supported: current)
        }
        guard found < current else { return }
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("learning-community " + schema)])
            try connection.execute(
                """
                CREATE SCHEMA IF NOT EXISTS \(s);
                CREATE TABLE IF NOT EXISTS \(versionTable) (
                    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                    version integer NOT NULL
                );
                """)
            // Read again under the lock: another instance may have migrated meanwhile.
            let locked = try version()
            guard locked <= current else {
                throw PostgresError.newerSchema(schema: schema, found: locked, supported: current)
            }
            for migration in PostgresSchema.migrations(schema: schema).dropFirst(locked) {
                try connection.execute(migration)
            }
            try connection.query(
                """
                INSERT INTO \(versionTable) (version) VALUES ($1::int8)
                ON CONFLICT (only_row) DO UPDATE SET version = excluded.version
                """, [.int64(Int64(current))])
        }
    }

    /// The version of the schema as stored (``PostgresSchema/currentVersion`` after opening).
    public func schemaVersion() async throws -> Int {
        let table = "\(PostgresSchema.quoted(schema)).schema_version"
        return try await pool.withConnection(retryIfStale: true) { connection in
            Int(try connection.query("SELECT version FROM \(table)").int64(0, 0))
        }
    }

    // MARK: RecordStore

    public func record(_ key: RecordKey) async throws -> Record? {
        try StorageLimits.validate(name: key.collection, role: "collection name")
        try StorageLimits.validate(name: key.id, role: "record id")
        let sql = self.sql
        return try await pool.withConnection(retryIfStale: true) { connection in
            let rows = try connection.query(sql.record, [.text(key.collection), .text(key.id)])
            guard rows.count == 1 else { return nil }
            return Record(
                key: key, version: try StoredNumber.version(rows.int64(0, 0), of: key), data: rows.data(0, 1),
                indexes: IndexKeysEncoding.decode(rows.data(0, 2)))
        }
    }

    public func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        try StorageLimits.validateRecordsQuery(collection: collection, query: query, cursor: cursor, limit: limit)
        let sql = self.sql
        return try await pool.withConnection(retryIfStale: true) { connection in
            let rows =
                if let query {
                    try connection.query(
                        sql.recordsByIndex,
                        [
                            .text(collection), .text(query.name), .text(query.value), .text(cursor ?? ""),
                            .int64(Int64(limit + 1)),
                        ])
                } else {
                    try connection.query(
                        sql.recordsPage, [.text(collection), .text(cursor ?? ""), .int64(Int64(limit + 1))])
                }
            let records = try (0..<min(rows.count, limit)).map { row throws(StorageError) in
                let key = RecordKey(collection: collection, id: rows.text(row, 0))
                return Record(
                    key: key, version: try StoredNumber.version(rows.int64(row, 1), of: key), data: rows.data(row, 2),
                    indexes: IndexKeysEncoding.decode(rows.data(row, 3)))
            }
            let more = rows.count > limit
            return RecordPage(records: records, nextCursor: more ? records.last?.id : nil)
        }
    }

    public func collectionNames() async throws -> [String] {
        let sql = self.sql
        return try await pool.withConnection(retryIfStale: true) { connection in
            let rows = try connection.query(sql.collectionNames)
            return (0..<rows.count).map { rows.text($0, 0) }
        }
    }

    // MARK: EventLog

    public func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        try StorageLimits.validate(limit: limit)
        let sql = self.sql
        return try await pool.withConnection(retryIfStale: true) { connection in
            try Self.entries(
                connection.query(sql.entriesAfter, [.int64(Int64(clamping: position)), .int64(Int64(limit))]),
                server: connection.server)
        }
    }

    public func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    ) async throws -> [StoredEntry] {
        try StorageLimits.validateEntriesQuery(selector, limit: limit)
        let (statement, name) =
            switch selector {
            case .stream(let stream): (sql.entriesOfStream, stream)
            case .subject(let subject): (sql.entriesOfSubject, subject)
            }
        return try await pool.withConnection(retryIfStale: true) { connection in
            try Self.entries(
                connection.query(
                    statement,
                    [
                        .text(name), .int64(Int64(clamping: position)), .int64(range.lowerBound.millisecondsSince1970),
                        .int64(range.upperBound.millisecondsSince1970), .int64(Int64(limit)),
                    ]),
                server: connection.server)
        }
    }

    private static func entries(_ rows: QueryResult, server: String) throws -> [StoredEntry] {
        try (0..<rows.count).map { row in
            guard let id = EntryID(bytes: rows.data(row, 1)) else {
                throw PostgresError.server(
                    server: server, sqlState: "XX001",
                    message: "the entry at position \(rows.int64(row, 0)) has an id that is not 16 bytes")
            }
            return StoredEntry(
                position: try StoredNumber.position(rows.int64(row, 0)),
                entry: LogEntry(
                    id: id, stream: rows.text(row, 2), subject: rows.isNull(row, 3) ? nil : rows.text(row, 3),
                    kind: rows.text(row, 4), time: Timestamp(millisecondsSince1970: rows.int64(row, 5)),
                    payload: rows.data(row, 6)))
        }
    }

    public func head() async throws -> UInt64 {
        let sql = self.sql
        return try await pool.withConnection(retryIfStale: true) { connection in
            try StoredNumber.position(try connection.query(sql.head).int64(0, 0))
        }
    }

    // MARK: DataStore

    @discardableResult
    public func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        try batch.validate()
        try Self.checkSize(of: batch, limit: Self.maximumBatchBytes)
        guard !batch.isEmpty else { return CommitReceipt() }
        let sql = self.sql
        let receipt = try await pool.withConnection { connection in
            try Self.retryingDeadlocks { try connection.transaction { try sql.apply(batch, on: connection) } }
        }
        if let last = receipt.appended.last { waiters.signal(head: last.position) }
        return receipt
    }

    // MARK: Changes

    /// The head as the listening connection keeps it (each commit that appends sends a
    /// notification with the new head, in its transaction); nil until it listens. Asking starts
    /// the listening, which goes on while the head is asked for (within 10 seconds) or anyone
    /// waits.
    public func knownHead() async throws -> UInt64? {
        let known = listening.withLock { state in
            state.lastAsked = ContinuousClock.now
            return state.running && state.current
        }
        if known { return waiters.head }
        startListening()
        return nil
    }

    /// Whether the listening should go on: someone waits, or asked for the head lately.
    private var listeningWanted: Bool {
        if waiters.hasWaiters { return true }
        guard let asked = listening.withLock({ $0.lastAsked }) else { return false }
        return ContinuousClock.now - asked < Self.listenAfterAsking
    }

    /// Wakes at once for this store's own commits, and for other processes' commits through
    /// `LISTEN`/`NOTIFY` on a connection of its own, held while anyone waits.
    public func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        let current = try await head()
        guard current <= position else { return current }
        startListening()
        return try await waiters.wait(after: position, current: current, timeout: timeout)
    }

    private func startListening() {
        let start = listening.withLock { state in
            // Wanted from now on: the wait that starts it registers only after this returns.
            state.lastAsked = ContinuousClock.now
            if state.running { return false }
            state.running = true
            state.current = false
            return true
        }
        guard start else { return }
        // Held weakly: a store no one uses any more stops listening within one wait.
        Task.detached { [weak self] in
            var session = ListeningSession()
            while let store = self, await store.listenOnce(&session) {}
        }
    }

    /// The listening connection, how many times in a row it could not be opened, and when it
    /// last read the head.
    private struct ListeningSession {
        var connection: PostgresConnection?
        var failures = 0
        var headRead = ContinuousClock.now
    }

    /// How often the listening connection reads the head itself: a heartbeat that finds a
    /// connection lost without a word, and bounds how stale the known head can be.
    static let listeningHeartbeat = Duration.seconds(5)

    /// Takes the notifications that arrived, or sleeps 50 milliseconds when none did (the
    /// socket is polled without blocking: a blocked thread per listening store would starve
    /// the threads every store's queries run on); returns false when listening is no longer
    /// wanted. After a lost connection it connects again and reads the head once (a
    /// notification may have been missed).
    private func listenOnce(_ session: inout ListeningSession) async -> Bool {
        if !listeningWanted {
            listening.withLock { state in
                state.running = false
                state.current = false
            }
            // A wait that began just now would find no listener: look once more.
            guard listeningWanted,
                listening.withLock({ state in
                    if state.running { return false }
                    state.running = true
                    return true
                })
            else { return false }
        }
        do {
            if session.connection == nil {
                let opened = try await connect()
                let channel = sql.channel
                let headSQL = sql.head
                let head = try await opened.run { connection in
                    try connection.execute("LISTEN \(channel)")
                    return try StoredNumber.position(try connection.query(headSQL).int64(0, 0))
                }
                session.connection = opened
                session.headRead = ContinuousClock.now
                waiters.signal(head: head)
                listening.withLock { $0.current = true }
                session.failures = 0
            }
            guard let connection = session.connection else { return true }
            if ContinuousClock.now - session.headRead >= Self.listeningHeartbeat {
                let headSQL = sql.head
                let head = try await connection.run { try StoredNumber.position(try $0.query(headSQL).int64(0, 0)) }
                session.headRead = ContinuousClock.now
                waiters.signal(head: head)
            }
            let payloads = try await connection.run { try $0.notifications(waitingAtMost: 0) }
            if let head = payloads.compactMap(UInt64.init).max() {
                waiters.signal(head: head)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            session.connection = nil
            listening.withLock { $0.current = false }
            session.failures += 1
            try? await Task.sleep(for: .milliseconds(Swift.min(5_000, 100 * session.failures)))
        }
        return true
    }

    /// Refuses a batch PostgreSQL could not take, before anything is sent.
    static func checkSize(of batch: WriteBatch, limit: Int) throws(StorageError) {
        var recordBytes = 0
        for case .put(let key, let data, let indexes, _) in batch.writes {
            recordBytes += data.count + key.collection.utf8.count + key.id.utf8.count
            for (name, value) in indexes { recordBytes += 2 * (name.utf8.count + value.utf8.count) }
        }
        guard recordBytes <= limit else {
            throw .invalidBatch(
                "the batch's records hold \(recordBytes) bytes, more than PostgreSQL takes in one message "
                    + "(\(limit)); split the batch")
        }
        if let large = batch.entries.first(where: { $0.payload.count > limit }) {
            throw .invalidBatch(
                "the payload of entry \(large.id) holds \(large.payload.count) bytes, more than PostgreSQL "
                    + "stores in one value (\(limit)); store large content elsewhere and log a reference")
        }
    }

    /// Runs `body` again when the server broke a deadlock by aborting it (nothing was applied),
    /// after a short random pause. Locks are taken in key order, so deadlocks should not happen;
    /// this is the safety net.
    private static func retryingDeadlocks<Value>(_ body: () throws -> Value) throws -> Value {
        var attempts = 0
        while true {
            do {
                return try body()
            } catch let error as PostgresError {
                attempts += 1
                guard case .server(_, let state, _) = error, state == "40P01" || state == "40001", attempts < 8 else {
                    throw error
                }
                // On the connection's own queue, never on Swift's cooperative threads.
                usleep(UInt32.random(in: 1_000...(5_000 << min(attempts, 5))))
            }
        }
    }
}

extension PostgresStorage.Configuration: CustomStringConvertible, CustomReflectable {
    /// The configuration with the connection string's password masked, safe for logs.
    public var description: String {
        "PostgresStorage.Configuration(connection: \(Self.maskingPassword(connection).debugDescription), "
            + "schema: \(schema), poolSize: \(poolSize))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "connection": Self.maskingPassword(connection), "schema": schema, "poolSize": poolSize, "tls": tls,
                "statementTimeoutMilliseconds": statementTimeoutMilliseconds as Any,
                "connectTimeoutSeconds": connectTimeoutSeconds, "reconnectAttempts": reconnectAttempts,
                "applicationName": applicationName,
            ])
    }

    /// `connection` with any password replaced by `***`: the user-info of a URL
    /// (`postgresql://user:***@host`), and everything from a `password=` keyword or URL query
    /// parameter to the end (a badly quoted password may run on past its first space).
    static func maskingPassword(_ connection: String) -> String {
        var result = connection
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex { "/?#".contains($0) } ?? result.endIndex
            let authority = result[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        guard let keyword = try? Regex(#"(?is)(password\s*=\s*).*$"#) else { return result }
        return result.replacing(keyword) { match in (match.output[1].substring.map(String.init) ?? "") + "***" }
    }
}

extension PostgresStorage: BulkLoading {
    /// Drops the log's per-stream and per-subject indexes in a transaction of its own; the
    /// UNIQUE entry-id index stays, so an entry stored before is still skipped.
    public func prepareForBulkLoad() async throws {
        let s = PostgresSchema.quoted(schema)
        let statements = PostgresSchema.logIndexes(schema: schema).map { "DROP INDEX IF EXISTS \(s).\($0.name)" }
        try await changeLogIndexes(statements)
    }

    /// Builds the log's per-stream and per-subject indexes in a transaction of its own, then
    /// refreshes the planner's statistics of the entries table.
    public func finishBulkLoad() async throws {
        try await changeLogIndexes(PostgresSchema.logIndexes(schema: schema).map(\.definition))
        let s = PostgresSchema.quoted(schema)
        try await pool.withConnection { connection in try connection.execute("ANALYZE \(s).entries") }
    }

    public func isBulkLoading() async throws -> Bool {
        let names = PostgresSchema.logIndexes(schema: schema).map(\.name)
        let schema = self.schema
        return try await pool.withConnection(retryIfStale: true) { connection in
            let found = try connection.query(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND tablename = 'entries' AND indexname::text = ANY($2)",
                [.text(schema), .textArray(names)])
            return found.int64(0, 0) < Int64(names.count)
        }
    }

    private func changeLogIndexes(_ statements: [String]) async throws {
        try await pool.withConnection { connection in
            try connection.transaction { for statement in statements { try connection.execute(statement) } }
        }
    }
}
