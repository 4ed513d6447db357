import Foundation
import Storage
import Synchronization

extension StorageCheck {
    /// A subscription yields every entry after its position once, in order, then each new commit;
    /// reads nothing while nothing is new; filters by kind, stream and subject; ends on cancel.
    public static let subscriptions = StorageCheck(
        name: "subscriptions",
        summary: "A subscription (subscribe(after:filter:)) yields the entries after its position once each, "
            + "in position order, then entries committed later, woken by the commit; while nothing is new it "
            + "reads no page of the log; kind, stream and subject filters yield only what they select; a "
            + "subscription from a later position resumes with no gap and no duplicate; cancelling ends it."
    ) { store in
        for number in 1...5 {
            _ = try await store.commit(
                WriteBatch(entries: [Fixture.entry(UInt64(number), kind: number % 2 == 0 ? "even" : "odd")]),
                "appending entry \(number)")
        }
        let counting = CountingStore(store)
        let received = Mutex<[UInt64]>([])
        let reader = Task {
            for try await stored in LogSubscription(log: counting, after: 2, pageSize: 2, wake: .seconds(600)) {
                let count = received.withLock { list in
                    list.append(stored.position)
                    return list.count
                }
                if count == 6 { return }
            }
        }
        // The three entries after position 2, then nothing new: the subscription waits.
        try await waitUntil("the subscription yields positions 3 to 5") { received.withLock { $0.count == 3 } }
        try await Task.sleep(for: .milliseconds(300))
        let readsBefore = counting.reads
        try await Task.sleep(for: .milliseconds(700))
        try expect(
            counting.reads, equals: readsBefore,
            "log reads (entries, head) while the subscription waited 0.7 s with nothing new")
        for number in 6...8 {
            _ = try await store.commit(
                WriteBatch(entries: [Fixture.entry(UInt64(number))]), "appending entry \(number)")
        }
        try await waitUntil("the subscription yields the three entries committed while it waited") {
            received.withLock { $0.count == 6 }
        }
        _ = try? await reader.value
        try expect(received.withLock { $0 }, equals: [3, 4, 5, 6, 7, 8], "the positions the subscription yielded")

        // Resuming after position 6 yields 7 and 8 only; filters select.
        try expect(
            try await first(2, of: store.subscribe(after: 6)), equals: [7, 8],
            "the positions of a subscription resumed after 6")
        try expect(
            try await first(2, of: store.subscribe(after: 0, filter: .kinds(["even"]))), equals: [2, 4],
            "the positions of a subscription to kind \"even\"")
        _ = try await store.commit(
            WriteBatch(entries: [
                Fixture.entry(9, stream: "member-2", subject: "thread-1"),
                Fixture.entry(10, stream: "member-3", subject: "thread-1"),
            ]), "appending entries 9 and 10 on thread-1")
        try expect(
            try await first(1, of: store.subscribe(filter: .selector(.stream("member-3")))), equals: [10],
            "the positions of a subscription to stream member-3")
        try expect(
            try await first(2, of: store.subscribe(filter: .selector(.subject("thread-1")))), equals: [9, 10],
            "the positions of a subscription to subject thread-1")

        // A subscription waiting on a stream wakes for a later entry of that stream.
        let later = Task { try await first(2, of: store.subscribe(filter: .selector(.stream("member-3")))) }
        try await Task.sleep(for: .milliseconds(200))
        _ = try await store.commit(
            WriteBatch(entries: [Fixture.entry(11), Fixture.entry(12, stream: "member-3")]), "appending 11 and 12")
        try expect(try await later.value, equals: [10, 12], "the stream subscription after a later commit")

        // Cancelling the consuming task ends a waiting subscription.
        let waiting = Task { try await first(100, of: store.subscribe(after: 12)) }
        try await Task.sleep(for: .milliseconds(200))
        waiting.cancel()
        try expect(try await waiting.value, equals: [], "a cancelled subscription with nothing new yields")
    }
}

/// The positions of the first `count` entries a subscription yields (fewer if it ends).
private func first(_ count: Int, of subscription: LogSubscription) async throws -> [UInt64] {
    var positions: [UInt64] = []
    for try await stored in subscription {
        positions.append(stored.position)
        if positions.count == count { break }
    }
    return positions
}

/// Waits up to 30 seconds for `condition` (a loaded machine is slow; the subscriptions wake
/// after 30 s on their own only when nothing signalled them, and these wait at most that).
private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(30))
    while !condition() {
        guard clock.now < deadline else { throw Mismatch("waited 30 s in vain: \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A store that counts the reads of its log made through it (pages of entries, and the head)
/// and passes everything else, waiting included, to the store it wraps: for tests that a
/// subscriber, or a projection host, reads nothing while nothing is new.
public final class CountingStore: DataStore {
    /// The store it wraps.
    public let base: any DataStore
    private let count = Mutex(0)

    public init(_ base: any DataStore) { self.base = base }

    public func record(_ key: RecordKey) async throws -> Record? { try await base.record(key) }

    public func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        try await base.records(in: collection, where: query, after: cursor, limit: limit)
    }

    public func collectionNames() async throws -> [String] { try await base.collectionNames() }

    @discardableResult
    public func commit(_ batch: WriteBatch) async throws -> CommitReceipt { try await base.commit(batch) }

    /// Reads made through it so far.
    public var reads: Int { count.withLock { $0 } }

    public func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        count.withLock { $0 += 1 }
        return try await base.entries(after: position, limit: limit)
    }

    public func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    ) async throws -> [StoredEntry] {
        count.withLock { $0 += 1 }
        return try await base.entries(matching: selector, in: range, after: position, limit: limit)
    }

    public func head() async throws -> UInt64 {
        count.withLock { $0 += 1 }
        return try await base.head()
    }

    public func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        try await base.waitForEntries(after: position, timeout: timeout)
    }

    public func knownHead() async throws -> UInt64? { try await base.knownHead() }
}
