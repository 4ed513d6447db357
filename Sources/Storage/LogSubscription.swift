import Foundation

/// A subscription to a log: every stored entry after a position, each exactly once and in
/// position order, then every entry committed later, as it is committed.
///
/// ```swift
/// for try await stored in store.subscribe(after: lastHandled, filter: .kinds(["registeredForEvent"])) {
///     try await notify(about: stored)          // idempotent on stored.position
///     lastHandled = stored.position            // save it: a restart resumes after it
/// }
/// ```
///
/// - **Woken by commits, not polling.** When it has read everything, the subscription waits in
///   ``EventLog/waitForEntries(after:timeout:)``: the stores of this package wake it when a
///   commit appends (their own at once; another process's through PostgreSQL notifications or
///   SQLite's `data_version`, see each store), and read nothing while nothing is new.
/// - **Resumption.** Pass the position of the last entry handled; nothing at or below it comes
///   again, nothing after it is skipped. A subscriber that restarts, or whose connection dropped,
///   resumes with no gap and no duplicate.
/// - **Back-pressure is the subscriber's.** A page is read only when the one before was
///   consumed; a slow subscriber makes no one hold entries for it.
/// - **Filters.** A stream or a subject is read through the store's index (what it excludes is
///   never read); kinds are filtered from the pages read.
/// - **Cancellation** of the consuming task ends the sequence.
public struct LogSubscription: AsyncSequence, Sendable {
    public typealias Element = StoredEntry

    /// Which entries a subscription yields.
    public enum Filter: Hashable, Sendable {
        /// Every entry.
        case all
        /// Entries of these kinds (as stored).
        case kinds(Set<String>)
        /// One stream's or one subject's entries, read through the store's index.
        case selector(EntrySelector)
    }

    let log: any EventLog
    let after: UInt64
    let filter: Filter
    let pageSize: Int
    let wake: Duration

    /// - Parameters:
    ///   - log: the log to follow.
    ///   - position: the last position already handled (0 for the beginning).
    ///   - filter: which entries to yield.
    ///   - pageSize: entries read at a time, 1 to 10,000.
    ///   - wake: the longest one wait lasts before the subscription looks again (a safety net
    ///     for a missed signal; nothing is read while nothing is new).
    public init(
        log: any EventLog, after position: UInt64 = 0, filter: Filter = .all, pageSize: Int = 500,
        wake: Duration = .seconds(30)
    ) {
        self.log = log
        self.after = position
        self.filter = filter
        self.pageSize = Swift.min(Swift.max(pageSize, 1), 10_000)
        self.wake = Swift.max(wake, .milliseconds(10))
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, cursor: after)
    }

    /// Reads a page when the one before was consumed, and waits for commits when the log holds
    /// nothing new.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: LogSubscription
        /// Every entry at or below it was yielded or does not match.
        var cursor: UInt64
        var buffer: [StoredEntry] = []
        var index = 0

        /// The next entry, waiting for one to be committed; nil when the task is cancelled.
        public mutating func next() async throws -> StoredEntry? {
            while true {
                if index < buffer.count {
                    defer { index += 1 }
                    return buffer[index]
                }
                if Task.isCancelled { return nil }
                let exhausted = try await fill()
                if buffer.isEmpty, exhausted {
                    do {
                        _ = try await subscription.log.waitForEntries(after: cursor, timeout: subscription.wake)
                    } catch is CancellationError {
                        return nil
                    }
                }
            }
        }

        /// Reads the next page into the buffer; returns whether the log held nothing more.
        private mutating func fill() async throws -> Bool {
            buffer = []
            index = 0
            let log = subscription.log
            let limit = subscription.pageSize
            switch subscription.filter {
            case .all, .kinds:
                let page = try await log.entries(after: cursor, limit: limit)
                if let last = page.last { cursor = last.position }
                if case .kinds(let kinds) = subscription.filter {
                    buffer = page.filter { kinds.contains($0.entry.kind) }
                } else {
                    buffer = page
                }
                return page.count < limit
            case .selector(let selector):
                // Everything at or below the head read first is visible: positions leave no gap.
                let head = try await log.head()
                let page = try await log.entries(
                    matching: selector, in: Timestamp.distantPast..<Timestamp.distantFuture, after: cursor,
                    limit: limit)
                buffer = page
                if page.count == limit, let last = page.last {
                    cursor = last.position
                    return false
                }
                cursor = Swift.max(page.last?.position ?? cursor, head, cursor)
                return true
            }
        }
    }
}

extension EventLog {
    /// A subscription to this log after `position` (see ``LogSubscription``).
    public func subscribe(
        after position: UInt64 = 0, filter: LogSubscription.Filter = .all, pageSize: Int = 500
    ) -> LogSubscription {
        LogSubscription(log: self, after: position, filter: filter, pageSize: pageSize)
    }
}
