import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// The connection drops at `COMMIT`, through a proxy of our own between the library and the
/// server: the commit may or may not have gone in, and the service finds out with the
/// command's idempotency key.
@Suite(
    "A connection dropped at COMMIT",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct CommitDropTests {
    /// Runs `body` with a store in a new schema whose connections go through a proxy in front of
    /// the server of `COMMUNITY_POSTGRES_URL`.
    static func withStoreBehindProxy(
        poolSize: Int, _ body: (PostgresStorage, CommitDropProxy) async throws -> Void
    ) async throws {
        let server = URLComponents(string: PostgresServer.url ?? "")
        let proxy = try CommitDropProxy(
            upstreamHost: try #require(server?.host), upstreamPort: try #require(server?.port))
        defer { proxy.stop() }
        var configuration = PostgresServer.configuration(poolSize: poolSize)
        configuration.connection = PostgresServer.url(port: proxy.port)
        try await PostgresServer.withStore(configuration) { store in try await body(store, proxy) }
    }

    @Test(
        "a points adjustment and an event registration retried by the service take effect exactly once",
        arguments: [CommitDropProxy.Drop.afterCommit, .beforeCommit])
    func droppedAtCommit(_ drop: CommitDropProxy.Drop) async throws {
        try await Self.withStoreBehindProxy(poolSize: 2) { store, proxy in
            let scenario = try await RetryScenario.make(on: store)
            try await scenario.runOnce { proxy.arm(drop) }
            #expect(proxy.drops == 2)
        }
    }

    @Test(
        "a connection dropped at COMMIT is an unknown outcome, whether or not the server committed",
        arguments: [CommitDropProxy.Drop.afterCommit, .beforeCommit])
    func commitReportsUnknownOutcome(_ drop: CommitDropProxy.Drop) async throws {
        try await Self.withStoreBehindProxy(poolSize: 1) { store, proxy in
            let ids = EntryIDGenerator(seed: 5)
            let time = Timestamp(millisecondsSince1970: 1_796_000_000_000)
            let entry = LogEntry(id: ids.next(at: time), stream: "member:m1", kind: "noted", time: time)
            proxy.arm(drop)
            do {
                try await store.append([entry])
                Issue.record("the append succeeded although its connection was dropped at COMMIT")
            } catch let error as StorageError {
                guard case .outcomeUnknown = error else {
                    Issue.record("expected outcomeUnknown, got \(error)")
                    return
                }
            }
            // The server had answered (and committed) before the proxy dropped the connection,
            // or never saw the COMMIT (and rolled back): the client could not tell.
            #expect(try await store.head() == (drop == .afterCommit ? 1 : 0))
        }
    }
}
