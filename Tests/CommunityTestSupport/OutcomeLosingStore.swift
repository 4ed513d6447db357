import Foundation
import Storage
import Synchronization

/// A store that loses the answer to commits, as a dropped database connection does: for the
/// tests of commands retried after an unknown outcome, on any backend.
package final class OutcomeLosingStore: ForwardingStore {
    /// Where the answer is lost.
    package enum Loss: Sendable {
        /// The batch is committed, then the answer is lost (the connection dropped while the
        /// server replied).
        case afterCommitting
        /// The answer is lost before the batch reaches the store (dropped while `COMMIT` was on
        /// its way): nothing is stored.
        case beforeCommitting
        /// The answer is lost and the commit lands late: just after the retry has read the
        /// command's key record (and found none), as a slow server commit would.
        case landingLate
    }

    package let base: any DataStore
    package var wrapped: any DataStore { base }
    private let pending = Mutex<(loss: Loss, count: Int)?>(nil)
    private let afterLoss = Mutex<(@Sendable () async throws -> Void)?>(nil)
    private let lost = Atomic<Int>(0)
    private let late = Mutex<WriteBatch?>(nil)

    package init(_ base: any DataStore) { self.base = base }

    /// Loses the answer to the next `count` commits; `then` runs after each loss, before the
    /// caller hears of it (what another writer does meanwhile).
    package func lose(_ loss: Loss, count: Int = 1, then: (@Sendable () async throws -> Void)? = nil) {
        pending.withLock { $0 = (loss, count) }
        afterLoss.withLock { $0 = then }
    }

    /// How many answers were lost so far.
    package var lostAnswers: Int { lost.load(ordering: .relaxed) }

    package func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        try await base.waitForEntries(after: position, timeout: timeout)
    }

    package func knownHead() async throws -> UInt64? { try await base.knownHead() }

    package func record(_ key: RecordKey) async throws -> Record? {
        let found = try await base.record(key)
        if key.collection == "idempotency", let batch = late.withLock({ $0.take() }) {
            try await base.commit(batch)
        }
        return found
    }

    @discardableResult
    package func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        let loss = pending.withLock { state -> Loss? in
            guard let current = state, current.count > 0 else { return nil }
            state = current.count > 1 ? (current.loss, current.count - 1) : nil
            return current.loss
        }
        guard let loss else { return try await base.commit(batch) }
        lost.add(1, ordering: .relaxed)
        switch loss {
        case .afterCommitting: try await base.commit(batch)
        case .landingLate: late.withLock { $0 = batch }
        case .beforeCommitting: break
        }
        if let then = afterLoss.withLock({ $0 }) { try await then() }
        throw StorageError.outcomeUnknown("the test dropped the answer to this commit")
    }
}
