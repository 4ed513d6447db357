import Foundation

/// Writes values in a compact binary form: unsigned integers as LEB128, signed ones zig-zag
/// LEB128, strings as a length and their UTF-8 bytes.
///
/// Used where JSON would be too large or too slow: activity payloads (millions are decoded in a
/// replay) and projection checkpoints (one entry per member). Read the bytes back with
/// ``BinaryReader`` in the same order.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty writer that reserves room for `capacity` bytes.
    public init(capacity: Int = 96) { bytes.reserveCapacity(capacity) }

    /// One raw byte.
    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Raw bytes, without a length.
    public mutating func raw(_ values: some Sequence<UInt8>) { bytes.append(contentsOf: values) }

    /// An unsigned integer in LEB128 (1 byte below 128, at most 10).
    public mutating func unsigned(_ value: UInt64) { Self.appendLEB128(value, to: &bytes) }

    /// Appends `value` in LEB128 to `bytes`: the one writer of the form, also for records.
    static func appendLEB128(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A signed integer, zig-zag encoded so that small negative numbers stay small.
    public mutating func integer(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A string: its UTF-8 length, then the bytes.
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A signed integer that may be absent: a presence byte, then the integer.
    public mutating func optionalInteger(_ value: Int64?) {
        byte(value == nil ? 0 : 1)
        if let value { integer(value) }
    }

    /// A string that may be absent: a presence byte, then the string.
    public mutating func optionalString(_ value: String?) {
        byte(value == nil ? 0 : 1)
        if let value { string(value) }
    }
}

/// Reads what a ``BinaryWriter`` wrote. Every read checks the bounds: bytes that end early or
/// hold an impossible value throw ``StorageError/corruptRecord(collection:id:reason:)`` naming
/// the record they came from, never crash.
public struct BinaryReader: Sendable {
    /// The bytes being read.
    public let bytes: Data
    /// The position of the next byte.
    public private(set) var index: Data.Index
    private let collection: String
    private let id: String

    /// A reader at the start of `bytes`; `collection` and `id` name them in errors.
    public init(_ bytes: Data, collection: String, id: String) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.collection = collection
        self.id = id
    }

    /// True once every byte was read.
    public var isAtEnd: Bool { index == bytes.endIndex }

    /// The number of bytes not read yet.
    public var remaining: Int { bytes.endIndex - index }

    /// An error that names the bytes' record and says what is wrong with them.
    public func corrupt(_ reason: String) -> StorageError {
        .corruptRecord(collection: collection, id: id, reason: reason)
    }

    /// One raw byte.
    public mutating func byte() throws(StorageError) -> UInt8 {
        guard index < bytes.endIndex else { throw corrupt("the bytes end early") }
        defer { index += 1 }
        return bytes[index]
    }

    /// `count` raw bytes.
    public mutating func take(_ count: Int) throws(StorageError) -> Data {
        guard count >= 0, remaining >= count else { throw corrupt("the bytes end early") }
        defer { index += count }
        return bytes[index..<index + count]
    }

    /// An unsigned LEB128 integer.
    public mutating func unsigned() throws(StorageError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw corrupt("an integer is longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A zig-zag LEB128 integer.
    public mutating func integer() throws(StorageError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A count of items that follow, each at least one byte long: refused when larger than the
    /// bytes left, so corrupt input cannot make a reader reserve memory it will never fill.
    public mutating func count() throws(StorageError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(remaining) else { throw corrupt("a count of \(value) is more than the bytes left") }
        return Int(value)
    }

    /// A string written by ``BinaryWriter/string(_:)``.
    public mutating func string() throws(StorageError) -> String {
        let length = try count()
        return String(decoding: try take(length), as: UTF8.self)
    }

    /// What ``BinaryWriter/optionalInteger(_:)`` wrote.
    public mutating func optionalInteger() throws(StorageError) -> Int64? {
        try presence() ? try integer() : nil
    }

    /// What ``BinaryWriter/optionalString(_:)`` wrote.
    public mutating func optionalString() throws(StorageError) -> String? {
        try presence() ? try string() : nil
    }

    /// A signed integer that must fit `type`.
    public mutating func integer<Value: FixedWidthInteger>(as type: Value.Type) throws(StorageError) -> Value {
        let value = try integer()
        guard let exact = Value(exactly: value) else { throw corrupt("\(value) does not fit \(type)") }
        return exact
    }

    private mutating func presence() throws(StorageError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw corrupt("a presence byte of \(other)")
        }
    }

    /// Throws unless every byte was read.
    public func expectEnd() throws(StorageError) {
        guard isAtEnd else { throw corrupt("there are \(remaining) bytes after the last field") }
    }
}

/// FNV-1a, 64 bit: a small, stable digest (the same in every process and on every platform,
/// unlike `Hasher`). For checksums and tie-breaks, not for security.
package enum FNV1a {
    /// The digest of `bytes`. Inlinable, so that callers in other modules get a loop
    /// specialised for their sequence rather than a generic one.
    @inlinable
    package static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// The digest of bytes in memory, read through a pointer: the same value as the generic
    /// form, for large buffers (a projection's checkpoint) where the generic iteration costs.
    @inlinable
    package static func hash(contiguous bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// The digest of a string's UTF-8 bytes, read from the string's own storage: the same
    /// value as `hash(string.utf8)`, without iterating the view.
    @inlinable
    package static func hash(_ string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { hash($0) }
    }
}
