import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP proxy of our own between the library and the PostgreSQL server, which drops a
/// connection at `COMMIT` when armed: the one failure nobody can answer ("did it commit?").
///
/// It reads the frontend's messages (the untyped SSL and GSS requests and startup message,
/// then one type byte and a length each) and forwards everything else byte for byte. Once
/// armed, the next simple-query `COMMIT` on any connection is
/// - ``Drop/afterCommit``: forwarded; the server's reply is read and swallowed, and both sides
///   are closed (the server committed, the client never hears of it);
/// - ``Drop/beforeCommit``: not forwarded; both sides are closed (the server rolls back).
final class CommitDropProxy: Sendable {
    enum Drop: Sendable {
        case afterCommit
        case beforeCommit
    }

    /// The port the proxy listens on (127.0.0.1).
    let port: Int
    private let listener: Int32
    private let upstream: (host: String, port: Int)
    private let armed = Mutex<Drop?>(nil)
    private let dropped = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    init(upstreamHost: String, upstreamPort: Int) throws {
        upstream = (upstreamHost, upstreamPort)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ProxyError("socket: errno \(errno)") }
        var address = Self.address(host: "127.0.0.1", port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw ProxyError("bind/listen: errno \(errno)")
        }
        var chosen = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &chosen) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: chosen.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                self.serve(client)
            }
        }
    }

    deinit { stop() }

    /// Drops the next `COMMIT` as `drop` says.
    func arm(_ drop: Drop) { armed.withLock { $0 = drop } }

    /// How many connections were dropped at a `COMMIT`.
    var drops: Int { dropped.load(ordering: .relaxed) }

    /// Stops accepting connections.
    func stop() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ client: Int32) {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.address(host: upstream.host, port: upstream.port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard server >= 0, connected == 0 else {
            close(client)
            if server >= 0 { close(server) }
            return
        }
        let connection = Connection(client: client, server: server)
        Thread.detachNewThread { [self] in self.frontend(connection) }
        Thread.detachNewThread { connection.backend() }
    }

    /// Client to server, message by message.
    private func frontend(_ connection: Connection) {
        var startup = true
        while let header = connection.readClient(count: startup ? 4 : 5) {
            let lengthBytes = startup ? header[0..<4] : header[1..<5]
            let length = Int(lengthBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            guard length >= 4, let body = connection.readClient(count: length - 4) else { break }
            let message = header + body
            if startup {
                // An SSL or GSS encryption request is answered with one byte; the startup
                // message (protocol 3.0) comes next and ends the untyped part.
                let code = body.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                if code == 196_608 { startup = false }
            } else if header[0] == UInt8(ascii: "Q"), body == Array("COMMIT".utf8) + [0],
                let drop = armed.withLock({ state -> Drop? in
                    defer { state = nil }
                    return state
                })
            {
                dropped.add(1, ordering: .relaxed)
                switch drop {
                case .beforeCommit:
                    connection.closeBoth()
                    return
                case .afterCommit:
                    connection.swallowReplies()
                    guard connection.writeServer(message) else { break }
                    return
                }
            }
            guard connection.writeServer(message) else { break }
        }
        connection.closeBoth()
    }

    private static func address(host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// One proxied connection: its two sockets, and whether the server's next reply is
    /// swallowed (then both sides are closed).
    final class Connection: Sendable {
        let client: Int32
        let server: Int32
        private let swallowing = Atomic<Bool>(false)
        private let isClosed = Atomic<Bool>(false)

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        func swallowReplies() { swallowing.store(true, ordering: .sequentiallyConsistent) }

        /// Server to client, byte for byte, until the server's reply is to be swallowed.
        func backend() {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(server, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                if swallowing.load(ordering: .sequentiallyConsistent) {
                    // The server answered the COMMIT: it is done. The client never hears of it.
                    break
                }
                guard write(all: Array(buffer[0..<count]), to: client) else { break }
            }
            closeBoth()
        }

        func readClient(count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = bytes.withUnsafeMutableBytes { read(client, $0.baseAddress! + filled, count - filled) }
                guard got > 0 else { return nil }
                filled += got
            }
            return bytes
        }

        func writeServer(_ bytes: [UInt8]) -> Bool { write(all: bytes, to: server) }

        private func write(all bytes: [UInt8], to socket: Int32) -> Bool {
            var sent = 0
            while sent < bytes.count {
                let wrote = bytes.withUnsafeBytes {
                    Glibc.send(socket, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                }
                guard wrote > 0 else { return false }
                sent += wrote
            }
            return true
        }

        func closeBoth() {
            guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
            close(client)
            close(server)
        }
    }
}
