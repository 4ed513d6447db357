import Synchronization

/// A small pool of connections, shared by every task that uses one store.
///
/// A task leases a connection, runs its statements on the connection's queue and gives it back.
/// When all connections are leased, tasks wait in line (a cancelled task leaves the line). A
/// connection that broke or was left inside a transaction is closed instead of reused, and
/// a new one is opened on demand, retrying with backoff while the server is unreachable.
final class ConnectionPool: Sendable {
    /// What a waiting task receives: a free connection, or the right to open one.
    private enum Lease {
        case connection(PostgresConnection)
        case slot
    }

    private struct State {
        var idle: [PostgresConnection] = []
        /// Connections open or being opened, leased or idle.
        var open = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Lease, any Error>)] = []
        var nextWaiter: UInt64 = 0
    }

    let size: Int
    private let reconnectAttempts: Int
    private let connect: @Sendable () async throws -> PostgresConnection
    private let state = Mutex(State())

    init(size: Int, reconnectAttempts: Int, connect: @escaping @Sendable () async throws -> PostgresConnection) {
        self.size = size
        self.reconnectAttempts = reconnectAttempts
        self.connect = connect
    }

    /// Adds an already open connection (the one that ran the migrations) to the pool.
    func adopt(_ connection: PostgresConnection) {
        state.withLock { state in
            state.open += 1
            state.idle.append(connection)
        }
    }

    /// Runs `body` on a leased connection, on that connection's queue.
    ///
    /// A connection that sat idle may have been closed by the server meanwhile (a restart, an
    /// idle timeout); only using it tells. When `body` only reads (`retryIfStale`) and such a
    /// reused connection turns out lost, `body` runs once more on a fresh connection. Writes are
    /// never retried here: their outcome is unknown to the pool.
    func withConnection<Value: Sendable>(
        retryIfStale: Bool = false, _ body: @escaping @Sendable (PostgresConnection) throws -> Value
    ) async throws -> Value {
        let (connection, reused) = try await lease()
        do {
            let value = try await connection.run(body)
            release(connection)
            return value
        } catch let error as PostgresError {
            release(connection)
            guard retryIfStale, reused, case .connectionLost = error else { throw error }
            return try await withConnection(retryIfStale: false, body)
        } catch {
            release(connection)
            throw error
        }
    }

    /// A connection, and whether it was reused from the idle list (rather than just opened).
    private func lease() async throws -> (PostgresConnection, reused: Bool) {
        enum Next {
            case use(PostgresConnection)
            case open
            case wait
        }
        let next = state.withLock { state -> Next in
            if let connection = state.idle.popLast() { return .use(connection) }
            if state.open < size {
                state.open += 1
                return .open
            }
            return .wait
        }
        switch next {
        case .use(let connection): return (connection, true)
        case .open: return (try await openConnection(), false)
        case .wait:
            switch try await waitInLine() {
            case .connection(let connection): return (connection, true)
            case .slot: return (try await openConnection(), false)
            }
        }
    }

    /// Opens a connection for a slot already counted in `open`; on failure hands the slot on.
    private func openConnection() async throws -> PostgresConnection {
        var delay: Duration = .milliseconds(50)
        var attempt = 0
        while true {
            do {
                return try await connect()
            } catch let error as PostgresError {
                attempt += 1
                let retry: Bool
                if case .cannotConnect = error { retry = attempt <= reconnectAttempts } else { retry = false }
                if retry, (try? await Task.sleep(for: delay)) != nil {
                    delay *= 2
                    continue
                }
                giveUpSlot(after: error)
                throw error
            } catch {
                giveUpSlot(after: error)
                throw error
            }
        }
    }

    /// Returns a slot whose connection could not be opened. While other connections are open,
    /// waiting tasks keep waiting for them; when none is, every waiting task fails with the same
    /// error at once, rather than each repeating the whole failed attempt in turn.
    private func giveUpSlot(after error: any Error) {
        let waiters = state.withLock { state -> [CheckedContinuation<Lease, any Error>] in
            state.open -= 1
            guard state.open == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func waitInLine() async throws -> Lease {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { state in
                    if Task.isCancelled { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release(_ connection: PostgresConnection) {
        let reusable = connection.isReusable
        let waiter = state.withLock { state -> CheckedContinuation<Lease, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            if reusable { state.idle.append(connection) } else { state.open -= 1 }
            return nil
        }
        waiter?.resume(returning: reusable ? .connection(connection) : .slot)
    }
}
