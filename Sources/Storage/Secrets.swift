import Synchronization

/// Where the library takes the values nobody may guess, such as referral codes.
///
/// Ids, seeds and shuffles come from a ``SeededGenerator``, which is fast and repeatable but can
/// be run backwards from one output: never use it for a secret. The default,
/// ``SystemSecrets``, is the system's cryptographic generator; tests and demos that must print
/// the same text on every run pass ``SeededSecrets`` instead.
public protocol SecretSource: Sendable {
    /// `count` bytes that cannot be predicted from any earlier output.
    func secretBytes(_ count: Int) -> [UInt8]
}

/// The system's cryptographically secure generator (`getrandom` on Linux, the kernel's
/// generator elsewhere), through `SystemRandomNumberGenerator`.
public struct SystemSecrets: SecretSource {
    public init() {}

    public func secretBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0.prefix(count - bytes.count)) }
        }
        return bytes
    }
}

/// Repeatable values for tests and demos: SHA-256 of the seed and a counter. They cannot be
/// computed from each other, but anyone who knows the seed computes them all: never use it
/// with a seed that is not itself a secret.
public final class SeededSecrets: SecretSource {
    private let seed: UInt64
    private let counter = Mutex<UInt64>(0)

    public init(seed: UInt64) { self.seed = seed }

    public func secretBytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let block = counter.withLock { value -> UInt64 in
                defer { value &+= 1 }
                return value
            }
            var message = Array("secrets\0".utf8)
            withUnsafeBytes(of: seed.bigEndian) { message.append(contentsOf: $0) }
            withUnsafeBytes(of: block.bigEndian) { message.append(contentsOf: $0) }
            bytes.append(contentsOf: SHA256.hash(message).prefix(count - bytes.count))
        }
        return bytes
    }
}
