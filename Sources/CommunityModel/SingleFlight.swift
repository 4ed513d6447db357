import Storage
import Synchronization

/// Runs one piece of work at a time: a caller who arrives while it runs waits for that run and
/// shares its result, instead of starting a second. For the services that bring a projection up
/// to date before they answer (Gamification, Recognition).
package final class SingleFlight<Value: Sendable>: Sendable {
    private let running = Mutex<Task<Value, any Error>?>(nil)

    package init() {}

    /// Runs `work`, or joins the run under way. A failure is a ``CommunityError`` (other errors
    /// become a storage failure); the next call starts afresh.
    package func run(_ work: @escaping @Sendable () async throws -> Value) async throws(CommunityError) -> Value {
        let task = running.withLock { current in
            if let current { return current }
            let task = Task { try await work() }
            current = task
            return task
        }
        defer { running.withLock { if $0 == task { $0 = nil } } }
        do {
            return try await task.value
        } catch let error as CommunityError {
            throw error
        } catch {
            throw .storage(.backendFailure("\(error)"))
        }
    }
}
