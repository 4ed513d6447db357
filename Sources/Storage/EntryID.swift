import Foundation
import Synchronization

/// The identity of a log entry: 16 bytes, unique per log.
///
/// Ids minted by ``EntryIDGenerator`` are time-ordered (UUID version 7: a 48-bit millisecond
/// timestamp first, then a counter and random bits), so that inserting them into a B-tree is
/// append-like. Callers may supply their own ids (any UUID) to make appends idempotent across
/// retries: an entry whose id is already stored is skipped. An import derives its entries' ids
/// from the rows they came from (``imported(at:origin:line:number:)``, UUID version 8).
public struct EntryID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var uuid: UUID

    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses the canonical textual form (`xxxxxxxx-xxxx-...`); nil when it is not a UUID.
    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.uuid = uuid
    }

    /// The 16 bytes, most significant first.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    /// Creates an id from 16 bytes; nil when `bytes` does not hold exactly 16.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.init(exactly16: Array(bytes))
    }

    /// Builds the id from `bytes`, of which the first 16 are used (missing ones are zero).
    fileprivate init(exactly16 bytes: [UInt8]) {
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { buffer in
            for (index, byte) in bytes.prefix(16).enumerated() { buffer[index] = byte }
        }
        self.uuid = UUID(uuid: raw)
    }

    public static func < (lhs: EntryID, rhs: EntryID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public var description: String { uuid.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EntryID(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(text) is not an entry id")
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Mints time-ordered entry ids (UUIDv7 layout), monotonic within one generator.
///
/// The random bits come from a ``SeededGenerator``: pass a seed for repeatable ids (tests, the
/// demo); the default seed is drawn once from the system so that two processes do not collide.
/// Safe to share between tasks.
public final class EntryIDGenerator: Sendable {
    private struct State {
        var random: SeededGenerator
        var lastMillisecond: Int64 = .min
        var counter: UInt16 = 0
    }

    private let state: Mutex<State>

    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        state = Mutex(State(random: SeededGenerator(seed: seed)))
    }

    /// A new id whose leading 48 bits are `time`'s milliseconds; ids minted later by this
    /// generator always sort after ids it minted before, even within one millisecond.
    public func next(at time: Timestamp) -> EntryID {
        state.withLock { state in
            // 48 bits of milliseconds (the year 10889): later times share the last, so `+= 1` cannot overflow.
            var millisecond = min(max(time.millisecondsSince1970, 0), 0xFFFF_FFFF_FFFF)
            if millisecond <= state.lastMillisecond {
                millisecond = state.lastMillisecond
                if state.counter == 0x0FFF {
                    millisecond += 1
                    state.counter = 0
                } else {
                    state.counter += 1
                }
            } else {
                state.counter = UInt16(truncatingIfNeeded: state.random.next() & 0x01FF)
            }
            state.lastMillisecond = millisecond
            let random = state.random.next()
            var bytes = [UInt8](repeating: 0, count: 16)
            let ms = UInt64(millisecond) & 0xFFFF_FFFF_FFFF
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * UInt64(index))) }
            bytes[6] = 0x70 | UInt8(truncatingIfNeeded: state.counter >> 8)
            bytes[7] = UInt8(truncatingIfNeeded: state.counter)
            bytes[8] = 0x80 | UInt8(truncatingIfNeeded: random >> 58)
            for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(15 - index))) }
            return EntryID(exactly16: bytes)
        }
    }
}

extension EntryID {
    /// The id of an entry that an import derives from where it came from (UUID version 8): the
    /// same 48-bit millisecond timestamp first as minted ids, so a history loaded in time order
    /// inserts like an append, then 34 bits naming the file (`origin`), the row's line and the
    /// entry's number within the row. The same row always gives the same id, so importing a file
    /// again, or resuming after a kill, stores nothing twice.
    ///
    /// - Parameters:
    ///   - time: the entry's time.
    ///   - origin: a name of the import and the file (hashed; see ``importOrigin(_:)``).
    ///   - line: the row's line in its file (up to 2^34 - 1; larger lines share the top value).
    ///   - number: which of the row's entries, from 0 (up to 63).
    public static func imported(at time: Timestamp, origin: UInt64, line: Int, number: Int) -> EntryID {
        let millisecond = UInt64(min(max(time.millisecondsSince1970, 0), 0xFFFF_FFFF_FFFF))
        let line = UInt64(min(max(line, 0), (1 << 34) - 1))
        let number = UInt64(min(max(number, 0), 63))
        let tail = (origin & 0xFFFF) << 40 | line << 6 | number
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millisecond >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x80 | UInt8(truncatingIfNeeded: (origin >> 30) & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: origin >> 22)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (origin >> 16) & 0x3F)
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * UInt64(15 - index))) }
        return EntryID(exactly16: bytes)
    }

    /// The origin bits of ``imported(at:origin:line:number:)`` for an import and a file: a hash
    /// of both names, so two files of one import, or one file in two imports, get different ids.
    public static func importOrigin(_ names: String...) -> UInt64 {
        let digest = SHA256.hash(names.joined(separator: "\u{0}").utf8)
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Whether an import made this id (``imported(at:origin:line:number:)``, UUID version 8):
    /// the entry is history brought in, not something that happened in the community since.
    public var isImported: Bool { uuid.uuid.6 >> 4 == 8 }
}
