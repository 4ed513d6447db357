import Foundation
import Synchronization

extension EventLog {
    /// Waits until the log holds an entry after `position`, or `timeout` passes, and returns
    /// the head it saw (not above `position` when the time ran out). Throws `CancellationError`
    /// when the task is cancelled.
    ///
    /// This default asks ``head()`` every 200 milliseconds: a store that knows when entries are
    /// committed (every store of this package) wakes waiters itself instead.
    public func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let head = try await head()
            if head > position || clock.now >= deadline { return head }
            try await Task.sleep(for: min(.milliseconds(200), deadline - clock.now))
        }
    }

    /// The log's head when the store can tell it without reading the log (an in-memory counter,
    /// SQLite's `data_version`, PostgreSQL notifications); nil when it cannot, and a reader must
    /// then read ``head()``. A projection host uses it to skip a catch-up when nothing was
    /// committed.
    public func knownHead() async throws -> UInt64? { nil }
}

/// Tasks waiting for the log to grow past a position, woken by whoever learns of a commit: the
/// store's own commits, or its watch over other processes' commits. Shared by the stores of
/// this package.
package final class LogWaiters: Sendable {
    private struct Waiter {
        var after: UInt64
        var continuation: CheckedContinuation<UInt64, any Error>
    }

    private struct State {
        var head: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// Waits ended (timed out or cancelled) before their waiter was registered: true when
        /// cancelled.
        var ended: [UInt64: Bool] = [:]
        var next: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// The highest position signalled so far.
    package var head: UInt64 { state.withLock { $0.head } }

    /// Whether anyone waits: a store watches other processes only then.
    package var hasWaiters: Bool { state.withLock { !$0.waiters.isEmpty } }

    /// Notes that the log's head is `head` and wakes everyone waiting for less.
    package func signal(head: UInt64) {
        let woken: [(CheckedContinuation<UInt64, any Error>, UInt64)] = state.withLock { state in
            state.head = max(state.head, head)
            let ready = state.waiters.filter { $0.value.after < state.head }
            for key in ready.keys { state.waiters[key] = nil }
            return ready.values.map { ($0.continuation, state.head) }
        }
        for (continuation, head) in woken { continuation.resume(returning: head) }
    }

    /// Waits until a signal reports a head above `position` or `timeout` passes; returns the
    /// head last signalled. `current` is the head read from the store first (so a commit that
    /// came before the wait is not missed).
    package func wait(after position: UInt64, current: UInt64, timeout: Duration) async throws -> UInt64 {
        signal(head: current)
        let id: UInt64 = state.withLock { state in
            state.next += 1
            return state.next
        }
        defer { state.withLock { _ = $0.ended.removeValue(forKey: id) } }
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: UInt64?.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        let ready: Result<UInt64, any Error>? = self.state.withLock { state in
                            if let cancelled = state.ended.removeValue(forKey: id) {
                                return cancelled ? .failure(CancellationError()) : .success(state.head)
                            }
                            if state.head > position { return .success(state.head) }
                            state.waiters[id] = Waiter(after: position, continuation: continuation)
                            return nil
                        }
                        if let ready { continuation.resume(with: ready) }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let head = result { return head }
                    // The time ran out: stop waiting.
                    self.cancel(id, with: nil)
                }
                return self.head
            }
        } onCancel: {
            self.cancel(id, with: CancellationError())
        }
    }

    /// Ends one wait: with an error, or (nil) with the head as it is.
    private func cancel(_ id: UInt64, with error: (any Error)?) {
        let removed: (CheckedContinuation<UInt64, any Error>, UInt64)? = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.ended[id] = error != nil
                return nil
            }
            return (waiter.continuation, state.head)
        }
        guard let (continuation, head) = removed else { return }
        if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: head) }
    }
}
