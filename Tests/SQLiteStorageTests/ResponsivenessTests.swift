import CSQLite
import Foundation
import SQLiteStorage
import Storage
import Testing

/// SQLite's blocking calls run on the store's own thread, not on Swift's cooperative pool (as
/// many threads as cores): other tasks keep running while a store waits for a lock.
@Suite("SQLite and the cooperative pool")
struct ResponsivenessTests {
    @Test("while two stores wait for locks, other tasks keep running")
    func otherTasksKeepRunning() async throws {
        let databases = try [TemporaryDatabase(), TemporaryDatabase()]
        defer { for database in databases { database.remove() } }
        var holders: [OpaquePointer?] = []
        var stores: [SQLiteStorage] = []
        for database in databases {
            // The waits last ten seconds: long enough that a ticker on a cooperative pool shared
            // with the rest of the suite (other tests' work, child processes on the two cores)
            // still finishes first, unless the waits themselves hold the pool's threads.
            let store = try await SQLiteStorage.open(
                path: database.path, configuration: .init(busyTimeoutMilliseconds: 10_000))
            stores.append(store)
            var holder: OpaquePointer?
            sqlite3_open(database.path, &holder)
            sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil)
            holders.append(holder)
        }
        defer { for holder in holders { sqlite3_close(holder) } }

        let clock = ContinuousClock()
        // Two writers that wait (in SQLite's busy handler) for the locks: as many as the
        // cooperative pool has threads on a 2-core machine.
        let waiting = stores.map { store in
            Task { () -> ContinuousClock.Instant in
                _ = try? await store.append([
                    LogEntry(
                        id: EntryIDGenerator(seed: 1).next(at: Timestamp(millisecondsSince1970: 1)), stream: "s",
                        kind: "k", time: Timestamp(millisecondsSince1970: 1))
                ])
                return clock.now
            }
        }
        // Meanwhile a task that needs the pool a few times. Had the waits parked the pool's
        // threads, it could only finish after them; the machine's load does not change that.
        let ticker = Task { () -> ContinuousClock.Instant in
            for _ in 0..<5 { try? await Task.sleep(for: .milliseconds(5)) }
            return clock.now
        }
        let tickerDone = await ticker.value
        var waitsDone: [ContinuousClock.Instant] = []
        for task in waiting { waitsDone.append(await task.value) }
        #expect(waitsDone.allSatisfy { tickerDone < $0 }, "the ticking task had to wait for the blocked stores")
    }
}
