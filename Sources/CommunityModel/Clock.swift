import Foundation
import Synchronization

/// Where the community's notion of "now" comes from. Domain logic never reads the wall clock;
/// it asks the clock it was given.
public protocol CommunityClock: Sendable {
    func now() -> Date
}

/// The system's wall clock, for production.
public struct SystemClock: CommunityClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until it is moved: for tests, simulations and the demo.
public final class ManualClock: CommunityClock {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or backward, for a negative interval).
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 += interval }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
