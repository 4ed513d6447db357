import CommunityTestSupport
import Foundation
import SQLiteStorage
import Storage
import Testing

/// The change feed on SQLite, across processes: SQLite has no notification, so a waiting
/// subscriber's store asks `PRAGMA data_version` (no page of the log) until another process
/// commits; a subscriber killed and restarted resumes from the last position it handled.
@Suite("SQLite change feed across processes")
struct SQLiteChangeFeedTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(
        "another process commits; the waiting subscription here yields its entries in order, reading nothing while it waits"
    )
    func woken() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("community.sqlite").path
        let store = try await SQLiteStorage.open(path: path)
        let observed = try await FeedProcesses.childAppends(40, to: store, spec: "sqlite:" + path)
        #expect(observed.positions == Array(observed.start + 1...observed.start + 40))
        #expect(observed.readsWhileWaiting == 0)
    }

    @Test("a subscriber killed at random moments and restarted handles every entry once, with no gap")
    func resumes() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("community.sqlite").path
        let store = try await SQLiteStorage.open(path: path)
        let handled = try await FeedProcesses.killedSubscriber(
            200, store: store, spec: "sqlite:" + path, file: folder.appendingPathComponent("handled"))
        #expect(handled.positions == Array(handled.start + 1...handled.start + 200))
        #expect(handled.kills >= 2, "only \(handled.kills) subscribers were killed before they were done")
    }
}
