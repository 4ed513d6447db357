import BenchmarkSupport
import CPostgresBaseline
import Foundation
import PostgresStorage

/// The baseline: libpq directly, on the same tables (created from the backend's own
/// `PostgresSchema.migrations`), one transaction per batch, positions numbered by the caller
/// (a single writer needs no lock), nothing read back. Two ways to send a batch:
///
/// - `copy`: `COPY … FROM STDIN (FORMAT binary)`, the bulk-load path;
/// - `insert`: a prepared multi-row `INSERT … VALUES` with every value a binary parameter, in
///   statements of 5,000 rows (7 parameters a row stays below PostgreSQL's 65,535 limit).
public final class RawPostgresBaseline {
    public enum Method: String, CaseIterable, Sendable {
        case copy, insert
    }

    public static let rowsPerInsert = 5_000
    private let connection: OpaquePointer
    private let table: String
    /// Row counts of the INSERT statements prepared so far (a batch's last statement may be shorter).
    private var prepared: Set<Int> = []

    /// - Parameters:
    ///   - url: the server.
    ///   - schema: a new schema to create the tables in.
    ///   - withoutLogIndexes: drop the per-stream and per-subject indexes after creating the
    ///     tables (a bulk load builds them at the end with ``buildLogIndexes()``).
    public init(url: String, schema: String, withoutLogIndexes: Bool = false) throws {
        guard let connection = PQconnectdb(url), PQstatus(connection) == CONNECTION_OK else {
            throw BenchmarkError("cannot connect to PostgreSQL")
        }
        self.connection = connection
        table = "\(PostgresSchema.quoted(schema)).entries"
        self.schema = schema
        try execute("SET client_min_messages = warning")
        try execute("BEGIN")
        try execute("CREATE SCHEMA \(PostgresSchema.quoted(schema))")
        for migration in PostgresSchema.migrations(schema: schema) { try execute(migration) }
        if withoutLogIndexes {
            for index in PostgresSchema.logIndexes(schema: schema) {
                try execute("DROP INDEX \(PostgresSchema.quoted(schema)).\(index.name)")
            }
        }
        try execute("COMMIT")
    }

    private let schema: String

    /// Removes the schema and its tables.
    public func dropSchema() throws {
        try execute("DROP SCHEMA IF EXISTS \(PostgresSchema.quoted(schema)) CASCADE")
    }

    /// Builds the per-stream and per-subject indexes in one transaction, then `ANALYZE`, as the
    /// library's `finishBulkLoad()` does.
    public func buildLogIndexes() throws {
        try execute("BEGIN")
        for index in PostgresSchema.logIndexes(schema: schema) { try execute(index.definition) }
        try execute("COMMIT")
        try execute("ANALYZE \(table)")
    }

    deinit { PQfinish(connection) }

    /// Asks the server to write all dirty pages now (so that no run pays for the previous run's
    /// checkpoint). Needs superuser rights, as in the throwaway cluster; elsewhere it is skipped.
    /// The bytes a table takes with its indexes (`pg_total_relation_size`), nil if unknown.
    public static func totalSize(url: String, table: String) -> Int? {
        guard let connection = PQconnectdb(url) else { return nil }
        defer { PQfinish(connection) }
        let result = PQexec(connection, "SELECT pg_total_relation_size('\(table)')")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK, PQntuples(result) == 1 else { return nil }
        return Int(String(cString: PQgetvalue(result, 0, 0)))
    }

    public static func checkpoint(url: String) {
        guard let connection = PQconnectdb(url) else { return }
        PQclear(PQexec(connection, "CHECKPOINT"))
        PQfinish(connection)
    }

    private func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure() }
    }

    private func failure() -> BenchmarkError {
        BenchmarkError("PostgreSQL: \(String(cString: PQerrorMessage(connection)))")
    }

    /// Stores one batch in one transaction; the first row gets `firstPosition`.
    public func append(_ rows: ArraySlice<PreparedRow>, firstPosition: Int64, method: Method) throws {
        try execute("BEGIN")
        switch method {
        case .copy: try copy(rows, firstPosition: firstPosition)
        case .insert:
            var start = rows.startIndex
            while start < rows.endIndex {
                let end = min(start + Self.rowsPerInsert, rows.endIndex)
                try insert(rows[start..<end], firstPosition: firstPosition + Int64(start - rows.startIndex))
                start = end
            }
        }
        try execute("COMMIT")
    }

    private func copy(_ rows: ArraySlice<PreparedRow>, firstPosition: Int64) throws {
        let result = PQexec(
            connection,
            "COPY \(table) (position, entry_id, stream, subject, kind, time, payload) FROM STDIN (FORMAT binary)")
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            PQclear(result)
            throw failure()
        }
        PQclear(result)
        // The signature "PGCOPY\n\377\r\n\0".
        var buffer: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]
        append(Int32(0), to: &buffer)  // flags
        append(Int32(0), to: &buffer)  // header extension length
        for (offset, row) in rows.enumerated() {
            append(Int16(7), to: &buffer)
            append(Int32(8), to: &buffer)
            append(firstPosition + Int64(offset), to: &buffer)
            field(row.id, to: &buffer)
            field(Array(row.stream.utf8), to: &buffer)
            if let subject = row.subject {
                field(Array(subject.utf8), to: &buffer)
            } else {
                append(Int32(-1), to: &buffer)
            }
            field(Array(row.kind.utf8), to: &buffer)
            append(Int32(8), to: &buffer)
            append(row.time, to: &buffer)
            field(Array(row.payload), to: &buffer)
            if buffer.count > 1 << 20 { try send(&buffer) }
        }
        append(Int16(-1), to: &buffer)
        try send(&buffer)
        guard PQputCopyEnd(connection, nil) == 1 else { throw failure() }
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure() }
        }
    }

    private func send(_ buffer: inout [UInt8]) throws {
        let sent = buffer.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else { throw failure() }
        buffer.removeAll(keepingCapacity: true)
    }

    private func insert(_ rows: ArraySlice<PreparedRow>, firstPosition: Int64) throws {
        let name = "insert\(rows.count)"
        if !prepared.contains(rows.count) {
            let values = (0..<rows.count).map { row in
                "(" + (1...7).map { "$\(row * 7 + $0)" }.joined(separator: ", ") + ")"
            }
            let sql =
                "INSERT INTO \(table) (position, entry_id, stream, subject, kind, time, payload) VALUES "
                + values.joined(separator: ", ")
            let result = PQprepare(connection, name, sql, Int32(rows.count * 7), nil)
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure() }
            prepared.insert(rows.count)
        }
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        var nulls: Set<Int> = []
        func add(_ bytes: [UInt8]?) {
            offsets.append(buffer.count)
            if let bytes { buffer += bytes } else { nulls.insert(offsets.count - 1) }
            lengths.append(Int32(buffer.count - offsets.last!))
        }
        for (offset, row) in rows.enumerated() {
            var position: [UInt8] = []
            append(firstPosition + Int64(offset), to: &position)
            var time: [UInt8] = []
            append(row.time, to: &time)
            add(position)
            add(row.id)
            add(Array(row.stream.utf8))
            add(row.subject.map { Array($0.utf8) })
            add(Array(row.kind.utf8))
            add(time)
            add(Array(row.payload))
        }
        buffer.append(0)
        let formats = [Int32](repeating: 1, count: offsets.count)
        let result = buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.enumerated().map {
                nulls.contains($0.offset) ? nil : base + $0.element
            }
            return PQexecPrepared(connection, name, Int32(offsets.count), pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure() }
    }

    private func field(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        append(Int32(bytes.count), to: &buffer)
        buffer += bytes
    }

    private func append<Integer: FixedWidthInteger>(_ value: Integer, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
