import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// The PostgreSQL server the tests use: the one `COMMUNITY_POSTGRES_URL` points at, as set by
/// `scripts/with-postgres`. Every test works in a schema of its own and drops it afterwards.
enum PostgresServer {
    static let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { url != nil }
    static let howToRun =
        "COMMUNITY_POSTGRES_URL is not set; run the PostgreSQL tests with: scripts/with-postgres swift test"

    /// The server's URL with its parts changed (a wrong password, another port).
    static func url(password: String? = nil, port: Int? = nil) -> String {
        var components = URLComponents(string: url!)!
        if let password { components.password = password }
        if let port { components.port = port }
        return components.string!
    }

    static func configuration(schema: String = newSchemaName(), poolSize: Int = 4) -> PostgresStorage.Configuration {
        PostgresStorage.Configuration(connection: url!, schema: schema, poolSize: poolSize)
    }

    static func newSchemaName() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// Runs `body` with a store in a new schema, then drops the schema (also when `body` throws).
    static func withStore<Value>(
        _ configuration: PostgresStorage.Configuration = configuration(),
        _ body: (PostgresStorage) async throws -> Value
    ) async throws -> Value {
        do {
            let value = try await body(try await PostgresStorage.open(configuration))
            try await dropSchema(configuration.schema)
            return value
        } catch {
            try? await dropSchema(configuration.schema)
            throw error
        }
    }

    /// A plain connection of the tests' own, for what the store does not offer: dropping a
    /// schema, holding a lock, terminating a backend.
    static func adminConnection() async throws -> PostgresConnection {
        try await PostgresConnection.open(parameters: [("dbname", url!), ("options", "-c client_min_messages=warning")])
    }

    static func dropSchema(_ schema: String) async throws {
        try await PostgresStorage.removeSchema(configuration(schema: schema))
    }
}

/// With `COMMUNITY_POSTGRES_REQUIRED=1` (set by `.ci/run`), a missing server is a failure, not a skip.
@Test("the PostgreSQL tests run when CI requires them")
func postgresIsAvailableWhenRequired() {
    let required = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_REQUIRED"] == "1"
    #expect(
        !required || PostgresServer.isAvailable,
        "COMMUNITY_POSTGRES_REQUIRED=1 but \(PostgresServer.howToRun)")
}
