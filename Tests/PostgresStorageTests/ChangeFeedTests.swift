import CommunityTestSupport
import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// The change feed on PostgreSQL, across processes: each commit that appends sends a
/// notification in its transaction, and a waiting subscriber's store listens on a connection of
/// its own; a subscriber killed and restarted resumes from the last position it handled.
@Suite(
    "PostgreSQL change feed across processes", .enabled(if: PostgresServer.isAvailable, "\(PostgresServer.howToRun)"))
struct PostgresChangeFeedTests {
    @Test(
        "another process commits; the waiting subscription here yields its entries in order, reading nothing while it waits"
    )
    func woken() async throws {
        let configuration = PostgresServer.configuration()
        try await PostgresServer.withStore(configuration) { store in
            let observed = try await FeedProcesses.childAppends(40, to: store, spec: "postgres:" + configuration.schema)
            #expect(observed.positions == Array(observed.start + 1...observed.start + 40))
            #expect(observed.readsWhileWaiting == 0)
        }
    }

    @Test("a subscriber killed at random moments and restarted handles every entry once, with no gap")
    func resumes() async throws {
        let configuration = PostgresServer.configuration()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await PostgresServer.withStore(configuration) { store in
            let handled = try await FeedProcesses.killedSubscriber(
                200, store: store, spec: "postgres:" + configuration.schema,
                file: folder.appendingPathComponent("handled"))
            #expect(handled.positions == Array(handled.start + 1...handled.start + 200))
            #expect(handled.kills >= 2, "only \(handled.kills) subscribers were killed before they were done")
        }
    }
}
