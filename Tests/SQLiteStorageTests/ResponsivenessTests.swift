import CSQLite
import Foundation
import SQLiteStorage
import Storage
import Testing

/// SQLite's blocking calls run on the store's own thread, not on Swift's cooperative pool (as
/// many threads as cores): other tasks keep running while a store waits for a lock.
@Suite("SQLite and the cooperative pool")
struct ResponsivenessTests {
    @Test("while two stores wait a second for locks, other tasks keep running")
    func otherTasksKeepRunning() async throws {
        let databases = try [TemporaryDatabase(), TemporaryDatabase()]
        defer { databases.forEach { $0.remove() } }
        var holders: [OpaquePointer?] = []
        var stores: [SQLiteStorage] = []
        for database in databases {
            let store = try await SQLiteStorage.open(
                path: database.path, configuration: .init(busyTimeoutMilliseconds: 1_000))
            stores.append(store)
            var holder: OpaquePointer?
            sqlite3_open(database.path, &holder)
            sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil)
            holders.append(holder)
        }
        defer { holders.forEach { sqlite3_close($0) } }

        // Two blocked writers: as many as this machine's cooperative threads, if it has two.
        let waiting = stores.map { store in
            Task {
                _ = try? await store.append([
                    LogEntry(
                        id: EntryIDGenerator(seed: 1).next(at: Timestamp(millisecondsSince1970: 1)), stream: "s",
                        kind: "k", time: Timestamp(millisecondsSince1970: 1))
                ])
            }
        }
        // Meanwhile a task that needs the pool ticks every 10 ms.
        let ticker = Task { () -> Int in
            var ticks = 0
            let clock = ContinuousClock()
            let end = clock.now.advanced(by: .milliseconds(600))
            while clock.now < end {
                try? await Task.sleep(for: .milliseconds(10))
                ticks += 1
            }
            return ticks
        }
        let ticks = await ticker.value
        for task in waiting { await task.value }
        #expect(ticks >= 20, "the ticking task ran only \(ticks) times in 600 ms while the stores waited")
    }
}
