import CPostgres
import CommunityModel
import Foundation
import PostgresStorage
import SQLiteStorage
import Storage
import Testing

/// After an erasure, the bytes a database keeps hold nothing of the member: the SQLite file and
/// its write-ahead log, and every column of every table of the PostgreSQL schema.
@Suite("Erasure leaves nothing in the database")
struct RawStoreScanTests {
    @Test("the SQLite file and its write-ahead log hold none of the erased member's texts, name or email")
    func sqliteFileAndLog() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("erasure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("community.sqlite").path
        let store = try await SQLiteStorage.open(path: path)
        let scenario = try await ErasureScenario(store: store)
        // The scan finds what is there: before the erasure, every text is in the file or its log.
        #expect(Set(try Self.scanFiles(path, for: scenario.needles)) == Set(scenario.needles))
        try await scenario.erase()
        // The erasure truncated the log; the host's later checkpoint commits wrote to it again.
        try await store.discardDeletedData()
        #expect(try Self.scanFiles(path, for: scenario.needles) == [])
        #expect(try await RawScan.records(of: store, for: scenario.needles) == [])
        try await scenario.expectTombstones()
    }

    @Test(
        "every column of every table on PostgreSQL holds none of the erased member's texts, name or email",
        .enabled(
            if: ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"] != nil,
            "COMMUNITY_POSTGRES_URL is not set; run the PostgreSQL tests with: scripts/with-postgres swift test"))
    func postgresColumns() async throws {
        let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"]!
        let schema = "erasure_" + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(12)
        let configuration = PostgresStorage.Configuration(connection: url, schema: String(schema))
        let store = try await PostgresStorage.open(configuration)
        let scenario = try await ErasureScenario(store: store)
        let before = try Self.scanColumns(url: url, schema: String(schema), for: scenario.needles)
        #expect(Set(before) == Set(scenario.needles))
        try await scenario.erase()
        #expect(try Self.scanColumns(url: url, schema: String(schema), for: scenario.needles) == [])
        try await scenario.expectTombstones()
        try await PostgresStorage.removeSchema(configuration)
    }

    /// The needles found in the database file or its write-ahead log.
    static func scanFiles(_ path: String, for needles: [String]) throws -> [String] {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if let log = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { bytes += log }
        return needles.filter { bytes.firstRange(of: Array($0.utf8)) != nil }
    }

    /// The needles found in any column of any table of `schema`, read as text (`bytea` as hex).
    static func scanColumns(url: String, schema: String, for needles: [String]) throws -> [String] {
        guard let connection = PQconnectdb(url), PQstatus(connection) == CONNECTION_OK else {
            throw PostgresScanError(message: "could not connect")
        }
        defer { PQfinish(connection) }
        func rows(_ sql: String) throws -> [String] {
            guard let result = PQexec(connection, sql) else { throw PostgresScanError(message: "no result") }
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_TUPLES_OK else {
                throw PostgresScanError(message: String(cString: PQresultErrorMessage(result)))
            }
            return (0..<PQntuples(result)).map { String(cString: PQgetvalue(result, $0, 0)) }
        }
        let tables = try rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '\(schema)' ORDER BY 1")
        #expect(tables.count >= 3)
        var text = ""
        for table in tables {
            text += try rows("SELECT t::text FROM \"\(schema)\".\"\(table)\" t").joined(separator: "\n")
        }
        return needles.filter { needle in
            let hex = needle.utf8.map { String(format: "%02x", $0) }.joined()
            return text.contains(needle) || text.contains(hex)
        }
    }

    struct PostgresScanError: Error {
        var message: String
    }
}
