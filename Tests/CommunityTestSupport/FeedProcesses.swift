import Foundation
import Storage
import StorageTestKit
import Synchronization

/// The change feed across processes, for any store a child process can open too (`sqlite:PATH`
/// or `postgres:SCHEMA`, see `Tests/LogFeedChild`).
package enum FeedProcesses {
    /// What a subscription in this process saw while another process appended.
    package struct Observed: Sendable {
        /// The positions it yielded, in order.
        package var positions: [UInt64]
        /// The log's head before the child appended.
        package var start: UInt64
        /// Reads the subscription made during 0.7 s of waiting with nothing new.
        package var readsWhileWaiting: Int
    }

    /// A subscription here waits; a child process appends `count` entries; returns what the
    /// subscription yielded by 30 s after the child ended. Its safety wake is set to ten
    /// minutes, so only a wake by the other process's commits brings the entries in time.
    package static func childAppends(_ count: Int, to store: any DataStore, spec: String) async throws -> Observed {
        let start = try await store.head()
        let counting = CountingStore(store)
        let received = Mutex<[UInt64]>([])
        let reader = Task {
            for try await stored in LogSubscription(log: counting, after: start, wake: .seconds(600)) {
                if received.withLock({ list in
                    list.append(stored.position)
                    return list.count
                }) == count {
                    return
                }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let before = counting.reads
        try await Task.sleep(for: .milliseconds(700))
        let waitingReads = counting.reads - before
        let child = try ChildProcess.executable(named: "log-feed-child")
        let appended = try await ChildProcess.run(child, ["append", spec, String(count), "20"])
        guard appended.status == 0 else {
            reader.cancel()
            throw CocoaError(
                .executableLoad, userInfo: [NSLocalizedDescriptionKey: "the appending child: \(appended.error)"])
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while received.withLock({ $0.count < count }), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        reader.cancel()
        return Observed(positions: received.withLock { $0 }, start: start, readsWhileWaiting: waitingReads)
    }

    /// What subscriber children handled while they were killed and restarted.
    package struct Handled: Sendable {
        /// The positions written to the children's file, in order.
        package var positions: [UInt64]
        package var start: UInt64
        /// Children killed before they were done.
        package var kills: Int
    }

    /// This process appends `count` entries, 15 ms apart, while a subscriber child is killed at
    /// random moments and restarted from the last position it handled (its file).
    package static func killedSubscriber(_ count: Int, store: any DataStore, spec: String, file: URL) async throws
        -> Handled
    {
        let start = try await store.head()
        try Data("\(start)\n".utf8).write(to: file)
        let appender = Task {
            let ids = EntryIDGenerator()
            for _ in 1...count {
                let time = Timestamp(Date())
                try await store.append([
                    LogEntry(id: ids.next(at: time), stream: "parent", kind: "appended", time: time, payload: Data())
                ])
                try await Task.sleep(for: .milliseconds(15))
            }
        }
        let child = try ChildProcess.executable(named: "log-feed-child")
        var random = SeededGenerator(seed: 24)
        var kills = 0
        for _ in 1...200 {
            let delay = Duration.milliseconds(Int.random(in: 150...600, using: &random))
            let run = try await ChildProcess.run(
                child, ["subscribe", spec, file.path, String(start + UInt64(count))], killAfter: delay)
            if run.output.contains("DONE") { break }
            kills += 1
        }
        try await appender.value
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { UInt64($0) }
        return Handled(positions: Array(lines.dropFirst()), start: start, kills: kills)
    }
}
