import CPostgres
import Dispatch
import Foundation
import Storage

/// One libpq connection with its prepared statements and its own serial queue.
///
/// `@unchecked Sendable`: a connection is used by one task at a time. The pool hands it out to
/// one lease holder, and every libpq call on it runs inside ``run(_:)`` on the connection's
/// serial queue, so no two threads touch the `PGconn` or the statement cache at once.
final class PostgresConnection: @unchecked Sendable {
    /// `host:port/database`, for messages; never the password.
    let server: String
    private let handle: OpaquePointer
    private let queue: DispatchQueue
    /// SQL text → name of its prepared statement on this connection.
    private var prepared: [String: String] = [:]
    /// Set when libpq was left in a state the connection cannot recover from (a COPY that could
    /// not be ended): the pool closes it instead of reusing it.
    private var isPoisoned = false

    private init(handle: OpaquePointer, server: String, queue: DispatchQueue) {
        self.handle = handle
        self.server = server
        self.queue = queue
    }

    deinit { PQfinish(handle) }

    /// Connects on a new serial queue (off Swift's cooperative threads: connecting blocks).
    ///
    /// `parameters` are libpq keywords and values; the first, `dbname`, may hold a whole
    /// connection string or URL, which later keywords override.
    static func open(parameters: [(String, String)]) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "LearningCommunity.PostgresStorage.connection")
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { () throws(PostgresError) in try connect(parameters, queue: queue) })
            }
        }
    }

    private static func connect(_ parameters: [(String, String)], queue: DispatchQueue) throws(PostgresError)
        -> PostgresConnection
    {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer { for pointer in keywords + values { free(pointer) } }
        let handle = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 1)
            }
        }
        guard let handle else { throw .cannotConnect(server: "?", message: "libpq is out of memory") }
        let server = Self.describe(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.message(handle)
            let lowered = message.lowercased()
            let refusedLogin =
                PQconnectionNeedsPassword(handle) == 1 || lowered.contains("authentication")
                || lowered.contains("password") || lowered.contains("pg_hba.conf")
            PQfinish(handle)
            if refusedLogin { throw .authenticationFailed(server: server, message: message) }
            // The server answered but has no such database (or role): retrying will not help.
            if lowered.contains("does not exist") {
                throw .invalidConfiguration("PostgreSQL at \(server) says: \(message)")
            }
            throw .cannotConnect(server: server, message: message)
        }
        return PostgresConnection(handle: handle, server: server, queue: queue)
    }

    private static func describe(_ handle: OpaquePointer) -> String {
        let host = PQhost(handle).map { String(cString: $0) } ?? "?"
        let port = PQport(handle).map { String(cString: $0) } ?? "?"
        let database = PQdb(handle).map { String(cString: $0) } ?? "?"
        return "\(host.hasPrefix("/") ? "socket " + host : host):\(port)/\(database)"
    }

    private static func message(_ handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with this connection on its serial queue.
    func run<Value: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self) }) }
        }
    }

    /// Whether the connection is still open and outside any transaction, fit to go back to the pool.
    var isReusable: Bool {
        !isPoisoned && PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// The server process serving this connection.
    var backendPID: Int32 { PQbackendPID(handle) }

    /// Waits up to `milliseconds` for notifications on the channels this connection listens to,
    /// and returns their payloads (none when the time ran out).
    ///
    /// - Throws: ``PostgresError`` when the connection is lost.
    func notifications(waitingAtMost milliseconds: Int32) throws(PostgresError) -> [String] {
        var payloads = drainNotifications()
        guard payloads.isEmpty else { return payloads }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw .cannotConnect(server: server, message: Self.message(handle)) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready >= 0 || errno == EINTR else {
            throw .cannotConnect(server: server, message: "waiting for notifications: errno \(errno)")
        }
        guard PQconsumeInput(handle) == 1 else { throw .cannotConnect(server: server, message: Self.message(handle)) }
        payloads = drainNotifications()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw .cannotConnect(server: server, message: Self.message(handle))
        }
        return payloads
    }

    private func drainNotifications() -> [String] {
        var payloads: [String] = []
        while let notification = PQnotifies(handle) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }

    /// Runs SQL without parameters or results (DDL, transaction control); may hold several statements.
    func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Runs `sql` as a prepared statement (prepared once per connection) with bound parameters,
    /// results in binary format.
    @discardableResult
    func query(_ sql: String, _ values: [PostgresValue] = []) throws(PostgresError) -> QueryResult {
        let name = try statementName(for: sql, parameterCount: values.count)
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        for value in values {
            offsets.append(buffer.count)
            value.encode(into: &buffer)
            lengths.append(Int32(clamping: buffer.count - offsets.last!))
        }
        buffer.append(0)  // a non-nil address even when every value is empty (nil would mean NULL)
        let formats = [Int32](repeating: 1, count: values.count)
        let result = buffer.withUnsafeBufferPointer { bytes -> OpaquePointer? in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return PQexecPrepared(handle, name, Int32(clamping: values.count), pointers, lengths, formats, 1)
        }
        do throws(PostgresError) {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return QueryResult(handle: result!)
    }

    /// Runs a `COPY … FROM STDIN (FORMAT binary)` statement with `data` (from ``CopyRows``).
    func copy(_ sql: String, data: [UInt8]) throws(PostgresError) {
        let start = PQexec(handle, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            try check(start)
            throw .server(server: server, sqlState: "", message: "COPY did not start")
        }
        PQclear(start)
        var sent = true
        data.withUnsafeBytes { bytes in
            var offset = 0
            while sent, offset < bytes.count {
                let length = min(1 << 20, bytes.count - offset)
                sent = PQputCopyData(handle, bytes.baseAddress! + offset, Int32(clamping: length)) == 1
                offset += length
            }
        }
        if PQputCopyEnd(handle, sent ? nil : "the client could not send the data") != 1 { sent = false }
        // Read every result, so the connection is ready for the next statement.
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
                // libpq could not end the COPY: this connection cannot run anything else.
                isPoisoned = true
                failure =
                    failure
                    ?? .connectionLost(server: server, message: "the COPY could not be ended: \(Self.message(handle))")
                break
            }
            do throws(PostgresError) { try check(result) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        if !sent { try check(nil) }
    }

    /// Runs `body` inside `BEGIN … COMMIT`, rolling back when it throws.
    ///
    /// The isolation level is always READ COMMITTED, whatever the server's or role's default:
    /// the commit path relies on its row-lock semantics (a writer waiting on a lock re-reads the
    /// row that was committed meanwhile).
    func transaction<Value>(_ body: () throws -> Value) throws -> Value {
        try execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        do {
            let value = try body()
            do {
                try execute("COMMIT")
            } catch .connectionLost(let server, let message) {
                // The server may have committed before the connection went: nobody can say.
                throw StorageError.outcomeUnknown(
                    "the connection to PostgreSQL at \(server) was lost while it committed (\(message))")
            }
            return value
        } catch {
            if PQstatus(handle) == CONNECTION_OK { try? execute("ROLLBACK") }
            throw error
        }
    }

    private func statementName(for sql: String, parameterCount: Int) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "lc\(prepared.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(parameterCount), nil)
        defer { PQclear(result) }
        try check(result)
        prepared[sql] = name
        return name
    }

    /// Throws the typed error for a failed call.
    private func check(_ result: OpaquePointer?) throws(PostgresError) {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return
        default: break
        }
        let field = { (code: UInt8) -> String? in
            result.flatMap { PQresultErrorField($0, Int32(code)) }.map { String(cString: $0) }
        }
        let sqlState = field(UInt8(ascii: "C")) ?? ""
        var message = field(UInt8(ascii: "M")) ?? Self.message(handle)
        if let detail = field(UInt8(ascii: "D")) { message += " (\(detail))" }
        // 57P01-57P03: the server is terminating or shutting down this session.
        if PQstatus(handle) != CONNECTION_OK || sqlState.hasPrefix("57P") {
            throw .connectionLost(server: server, message: message)
        }
        // 57014 is any cancelled statement; only the statement timeout's is a timeout.
        if sqlState == "57014", message.contains("statement timeout") {
            throw .statementTimeout(server: server, message: message)
        }
        throw .server(server: server, sqlState: sqlState, message: message)
    }
}

/// The rows of a query, in binary format.
final class QueryResult {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    var count: Int { Int(PQntuples(handle)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    private func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        return UnsafeRawBufferPointer(start: PQgetvalue(handle, Int32(row), Int32(column)), count: length)
    }

    func data(_ row: Int, _ column: Int) -> Data { Data(bytes(row, column)) }

    func text(_ row: Int, _ column: Int) -> String { String(decoding: bytes(row, column), as: UTF8.self) }

    /// An `int8` (or `int4`, `int2`) column.
    func int64(_ row: Int, _ column: Int) -> Int64 {
        let raw = bytes(row, column)
        var value: Int64 = raw.count > 0 && raw[0] & 0x80 != 0 ? -1 : 0
        for byte in raw { value = value << 8 | Int64(byte) }
        return value
    }
}
