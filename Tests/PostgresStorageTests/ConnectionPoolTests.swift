import Synchronization
import Testing

@testable import PostgresStorage

/// The pool's behaviour when connections cannot be opened; no server needed.
@Suite("PostgreSQL connection pool")
struct ConnectionPoolTests {
    @Test("when the server cannot be reached, every waiting task fails with the error of one attempt")
    func waitersFailTogether() async throws {
        let attempts = Mutex(0)
        let pool = ConnectionPool(size: 1, reconnectAttempts: 0) {
            attempts.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(200))
            throw PostgresError.cannotConnect(server: "127.0.0.1:1/community", message: "Connection refused")
        }
        let results = await withTaskGroup(of: PostgresError?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await pool.withConnection { _ in 0 }
                        return nil
                    } catch let error as PostgresError {
                        return error
                    } catch {
                        return nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { if case .cannotConnect = $0 { true } else { false } })
        // One attempt for the tasks that queued behind it, not one whole attempt per task.
        #expect(attempts.withLock { $0 } < 5)
    }

    @Test("a task cancelled while waiting for a connection leaves the line with CancellationError")
    func cancelledWaiter() async throws {
        let pool = ConnectionPool(size: 1, reconnectAttempts: 0) {
            try await Task.sleep(for: .seconds(30))
            throw PostgresError.cannotConnect(server: "?", message: "never")
        }
        let first = Task { try await pool.withConnection { _ in 0 } }
        try await Task.sleep(for: .milliseconds(50))
        let second = Task { try await pool.withConnection { _ in 0 } }
        try await Task.sleep(for: .milliseconds(50))
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        first.cancel()
        _ = await first.result
    }
}
