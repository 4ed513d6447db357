import Foundation
import Storage
import Synchronization

/// An in-memory store whose commits a test can make fail, and whose log reads it can count
/// or hold up: for the tests of what survives a failure half-way, and of what readers see
/// while a catch-up is under way.
package final class HookedStore: ForwardingStore {
    package let base = InMemoryStore()
    package var wrapped: any DataStore { base }
    private let state = Mutex(Hooks())

    private struct Hooks {
        var failingCommits = 0
        var failWhen: (@Sendable (WriteBatch) -> Bool)?
        var how = Failing.failure
        var pagesRead = 0
        var entriesRead = 0
        var gate: AsyncGate?
    }

    /// The error a failed commit throws: a backend that lost its connection.
    package struct Failure: Error {}

    /// How a commit fails.
    package enum Failing: Sendable {
        /// It throws ``Failure``, changing nothing.
        case failure
        /// It goes in, then its answer is lost (`StorageError.outcomeUnknown`).
        case answerLostAfterLanding
        /// Its answer is lost on the way in (`StorageError.outcomeUnknown`): nothing is stored.
        case answerLostBeforeLanding
    }

    package init() {}

    /// Makes the next `count` commits that satisfy `condition` fail as `how` says.
    package func failCommits(
        _ count: Int, _ how: Failing = .failure,
        when condition: @escaping @Sendable (WriteBatch) -> Bool = { _ in true }
    ) {
        state.withLock {
            $0.failingCommits = count
            $0.failWhen = condition
            $0.how = how
        }
    }

    /// Pages and entries read from the log (`entries(after:limit:)`) so far.
    package var reads: (pages: Int, entries: Int) { state.withLock { ($0.pagesRead, $0.entriesRead) } }

    /// Holds every log read until `gate` opens.
    package func holdReads(until gate: AsyncGate?) { state.withLock { $0.gate = gate } }

    package func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        if let gate = state.withLock({ $0.gate }) { await gate.wait() }
        let page = try await base.entries(after: position, limit: limit)
        state.withLock {
            $0.pagesRead += 1
            $0.entriesRead += page.count
        }
        return page
    }

    @discardableResult
    package func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        let failing = state.withLock { hooks -> Failing? in
            guard hooks.failingCommits > 0, hooks.failWhen?(batch) ?? true else { return nil }
            hooks.failingCommits -= 1
            return hooks.how
        }
        switch failing {
        case nil: return try await base.commit(batch)
        case .failure: throw Failure()
        case .answerLostAfterLanding:
            try await base.commit(batch)
            throw StorageError.outcomeUnknown("the test dropped the answer to this commit")
        case .answerLostBeforeLanding: throw StorageError.outcomeUnknown("the test dropped this commit on its way")
        }
    }
}

/// A one-shot gate: tasks wait until it opens.
package final class AsyncGate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    package init() {}

    package func wait() async {
        await withCheckedContinuation { continuation in
            let resume = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
    }

    package func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
