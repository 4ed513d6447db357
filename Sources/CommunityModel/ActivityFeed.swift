import Foundation
import Storage

/// A subscription to the community's activity: every activity after a log position, decoded,
/// once each and in position order, then each new one as it is committed, in this process or
/// another (see `LogSubscription` in Storage for how each store is woken).
///
/// ```swift
/// let feed = community.activityFeed(after: saved, filter: .kinds([.waitlistedForEvent, .promotedFromWaitlist]))
/// for try await logged in feed {
///     try await notifier.send(logged, idempotencyKey: logged.position)   // at least once
///     saved = logged.position                                             // then remember it
/// }
/// ```
///
/// It is for the integrator's trusted code (a notifier, a webhook sender, a projection worker):
/// it does not filter by the access policy. An entry that does not decode ends the sequence
/// with the error that names it; to step over such entries, subscribe to the store's
/// `LogSubscription` and decode each `StoredEntry` yourself.
public struct ActivityFeed: AsyncSequence, Sendable {
    public typealias Element = LoggedActivity

    /// Which activities a feed yields.
    public enum Filter: Hashable, Sendable {
        case all
        /// Activities of these kinds (filtered from the pages read).
        case kinds(Set<ActivityKind>)
        /// One member's activities (read through the store's stream index).
        case member(MemberID)
        /// Activities about one subject (read through the store's subject index).
        case subject(SubjectRef)
    }

    let subscription: LogSubscription
    let includingImported: Bool

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: subscription.makeAsyncIterator(), includingImported: includingImported)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: LogSubscription.Iterator
        let includingImported: Bool

        /// The next activity, waiting for one to be committed; nil when the task is cancelled.
        public mutating func next() async throws -> LoggedActivity? {
            while let stored = try await base.next() {
                // History an import brought in is not news: no notifier should announce it.
                if stored.id.isImported && !includingImported { continue }
                return try LoggedActivity(stored)
            }
            return nil
        }
    }
}

extension CommunityService {
    /// The activities after log position `position` (0 for all), then each new one as it is
    /// committed (see ``ActivityFeed``). Pass the position of the last activity handled to
    /// resume with no gap and no duplicate.
    ///
    /// History that an import brought in (entries whose id `isImported`) happened before the
    /// community began: the feed steps over it unless `includingImported` is true, so a
    /// notifier started on an imported community announces nothing old as new.
    public func activityFeed(
        after position: UInt64 = 0, filter: ActivityFeed.Filter = .all, includingImported: Bool = false
    )
        -> ActivityFeed
    {
        let storeFilter: LogSubscription.Filter =
            switch filter {
            case .all: .all
            case .kinds(let kinds): .kinds(Set(kinds.map(\.rawValue)))
            case .member(let member): .selector(.stream(ActivityEvent.stream(of: member)))
            case .subject(let subject): .selector(.subject(subject.rawValue))
            }
        return ActivityFeed(
            subscription: store.subscribe(after: position, filter: storeFilter), includingImported: includingImported)
    }
}
