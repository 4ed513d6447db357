import Foundation

/// Writes `Encodable` values in the library's compact record format: the bytes every
/// ``RecordCollection`` stores.
///
/// ```swift
/// let bytes = try RecordEncoder().encode(member)
/// let again = try RecordDecoder().decode(Member.self, from: bytes)
/// ```
///
/// The format is self-describing, like JSON, so a type can add optional fields and still read
/// what an older version wrote, but it needs no escaping, no number formatting and no parsing
/// of digits. A record starts with the byte `0xC5` (never the first byte of JSON text) and the
/// format's version, `1`; then one value, a tag byte and its contents:
///
/// | tag | value | contents |
/// | --- | --- | --- |
/// | 0 | nil | none |
/// | 1, 2 | false, true | none |
/// | 3 | a signed integer | zig-zag LEB128 |
/// | 4 | an unsigned integer | LEB128 |
/// | 5 | a floating-point number | the 8 bytes of a `Double`, little-endian |
/// | 6 | a string | its UTF-8 length (LEB128), then the bytes |
/// | 7 | `Data` | its length (LEB128), then the bytes |
/// | 8 | a list | the length of what follows (LEB128), the count, the values |
/// | 9 | keyed values | the length of what follows, the count, then each key (as a string, without a tag) followed by its value |
///
/// Equal values give equal bytes in every process: keys are written sorted by their UTF-8
/// bytes, and the elements of a `Set` and the pairs of a `Dictionary` whose keys are not strings
/// or integers (which `Codable` writes as a list in the order of their hash table) are written
/// sorted by their bytes. Swift's own hash tables are seeded per process, so JSON from
/// `JSONEncoder` does not have this property.
///
/// ``RecordDecoder`` reads this format and, for records written before it, JSON.
public struct RecordEncoder: Sendable {
    public init() {}

    /// The record bytes of `value`.
    ///
    /// - Throws: `EncodingError` when `value`'s own `encode(to:)` throws.
    public func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let root = CompactStorage(kind: .root)
        root.bytes.reserveCapacity(256)
        root.bytes.append(CompactFormat.marker)
        root.bytes.append(CompactFormat.version)
        try root.writeValue(value, parent: nil, key: nil)
        return Data(root.bytes)
    }
}

/// The constants of the compact record format (see ``RecordEncoder``).
enum CompactFormat {
    /// The first byte of every compact record. JSON text starts with whitespace, a structural
    /// character, a quote, a digit, `-`, a letter of `true`, `false` or `null`, or the UTF-8
    /// byte-order mark (`0xEF`): never with this.
    static let marker: UInt8 = 0xC5
    /// The format version this library writes and reads.
    static let version: UInt8 = 1

    static let null: UInt8 = 0
    static let falseValue: UInt8 = 1
    static let trueValue: UInt8 = 2
    static let signed: UInt8 = 3
    static let unsigned: UInt8 = 4
    static let double: UInt8 = 5
    static let string: UInt8 = 6
    static let bytes: UInt8 = 7
    static let list: UInt8 = 8
    static let keyed: UInt8 = 9

    /// How many bytes `value` takes in LEB128.
    static func lengthOfVarint(_ value: UInt64) -> Int {
        var count = 1
        var value = value >> 7
        while value != 0 {
            count += 1
            value >>= 7
        }
        return count
    }
}

/// A collection type whose `Codable` form is a list in an order that is not part of its value.
protocol UnorderedCodableCollection {
    /// Whether the list holds single elements (a set) or keys and values in turn (a dictionary).
    static var compactListShape: CompactListShape { get }
}

enum CompactListShape {
    case elements
    case pairs
}

extension Set: UnorderedCodableCollection {
    static var compactListShape: CompactListShape { .elements }
}

extension Dictionary: UnorderedCodableCollection {
    static var compactListShape: CompactListShape { .pairs }
}

/// The bytes of one level being written: the root, or the entries of a keyed or list container.
///
/// Entries are written one after the other into ``bytes``; a keyed entry is its key (a length
/// and UTF-8 bytes) followed by its value. A nested container asked for with
/// `nestedContainer(…)` or `superEncoder(…)` writes later, so its value is kept ``pending``
/// until ``emit(into:shape:)``.
final class CompactStorage {
    enum Kind {
        case root
        case keyed
        case list
    }

    let kind: Kind
    var bytes: [UInt8] = []
    /// Where each entry starts in ``bytes``.
    var starts: [Int] = []
    /// Entries whose value an encoder still holds: written after their key, in order.
    var pending: [(entry: Int, encoder: CompactEncoder)] = []

    init(kind: Kind) { self.kind = kind }

    // MARK: Writing values

    func beginEntry() { starts.append(bytes.count) }

    func beginEntry(key: some CodingKey) {
        starts.append(bytes.count)
        var name = key.stringValue
        name.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func appendVarint(_ value: UInt64) { BinaryWriter.appendLEB128(value, to: &bytes) }

    func writeNil() { bytes.append(CompactFormat.null) }

    func write(_ value: Bool) { bytes.append(value ? CompactFormat.trueValue : CompactFormat.falseValue) }

    func write(signed value: Int64) {
        bytes.append(CompactFormat.signed)
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    func write(unsigned value: UInt64) {
        bytes.append(CompactFormat.unsigned)
        appendVarint(value)
    }

    /// A finite number; NaN and the infinities are refused, as JSON refuses them, so a record
    /// holds the values it always could.
    func write(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "a record cannot hold \(value)"))
        }
        bytes.append(CompactFormat.double)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func write(_ value: String) {
        bytes.append(CompactFormat.string)
        var value = value
        value.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func write(_ value: Data) {
        bytes.append(CompactFormat.bytes)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes `value`: the common scalar types directly, anything else through its
    /// `encode(to:)` with an encoder whose single value lands here.
    func writeValue<Value: Encodable>(_ value: Value, parent: CompactEncoder?, key: (any CodingKey)?) throws {
        if let scalar = Value.self as? any CompactScalar.Type {
            try write(value, as: scalar)
            return
        }
        let encoder = CompactEncoder(output: self, parent: parent, key: key)
        try value.encode(to: encoder)
        encoder.finish(shape: (Value.self as? any UnorderedCodableCollection.Type)?.compactListShape)
    }

    private func write<Value, Scalar: CompactScalar>(_ value: Value, as scalar: Scalar.Type) throws {
        // `Scalar` is `Value`, found by the cast in `writeValue`.
        try unsafeBitCast(value, to: Scalar.self).writeCompact(into: self)
    }

    // MARK: Finishing a container

    /// Appends this container (tag, length, count, entries) to `output`, keys sorted and entries
    /// of an unordered collection sorted by their bytes.
    func emit(into output: CompactStorage, shape: CompactListShape?) {
        let values = pending.isEmpty ? [:] : resolvePending()
        var order = Array(starts.indices)
        var count = starts.count
        switch kind {
        case .keyed:
            if !keysAreStrictlyIncreasing() {
                order = sortedUniqueKeys()
                count = order.count
            }
        case .list:
            if let shape { order = sortedList(shape: shape, values: values) }
        case .root:
            break
        }
        var length = CompactFormat.lengthOfVarint(UInt64(count))
        for entry in order { length += range(of: entry).count + (values[entry]?.count ?? 0) }
        output.bytes.append(kind == .keyed ? CompactFormat.keyed : CompactFormat.list)
        output.appendVarint(UInt64(length))
        output.appendVarint(UInt64(count))
        if order.count == starts.count, values.isEmpty, order.elementsEqual(starts.indices) {
            output.bytes.append(contentsOf: bytes)
            return
        }
        for entry in order {
            output.bytes.append(contentsOf: bytes[range(of: entry)])
            if let value = values[entry] { output.bytes.append(contentsOf: value) }
        }
    }

    private func range(of entry: Int) -> Range<Int> {
        starts[entry]..<(entry + 1 < starts.count ? starts[entry + 1] : bytes.count)
    }

    private func resolvePending() -> [Int: [UInt8]] {
        var values: [Int: [UInt8]] = [:]
        for (entry, encoder) in pending {
            let holder = CompactStorage(kind: .root)
            encoder.finish(into: holder, shape: nil)
            values[entry] = holder.bytes
        }
        return values
    }

    /// The key bytes of a keyed entry: after the key's length.
    private func keyRange(of entry: Int) -> Range<Int> {
        var index = starts[entry]
        var length = 0
        var shift = 0
        while true {
            let byte = bytes[index]
            index += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return index..<(index + length)
    }

    private func compare(_ left: Range<Int>, _ right: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0 {
            let result = memcmp(buffer.baseAddress! + left.lowerBound, buffer.baseAddress! + right.lowerBound, common)
            if result != 0 { return Int(result) }
        }
        return left.count - right.count
    }

    private func keysAreStrictlyIncreasing() -> Bool {
        guard starts.count > 1 else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            var previous = keyRange(of: 0)
            for entry in 1..<starts.count {
                let key = keyRange(of: entry)
                if compare(previous, key, in: buffer) >= 0 { return false }
                previous = key
            }
            return true
        }
    }

    /// The entries in key order; of entries with the same key, the last written.
    private func sortedUniqueKeys() -> [Int] {
        let keys = starts.indices.map(keyRange(of:))
        return bytes.withUnsafeBufferPointer { buffer in
            let sorted = starts.indices.sorted { left, right in
                let order = compare(keys[left], keys[right], in: buffer)
                return order != 0 ? order < 0 : left < right
            }
            var unique: [Int] = []
            unique.reserveCapacity(sorted.count)
            for entry in sorted {
                if let last = unique.last, compare(keys[last], keys[entry], in: buffer) == 0 {
                    unique[unique.count - 1] = entry
                } else {
                    unique.append(entry)
                }
            }
            return unique
        }
    }

    /// The entries of a set sorted by their bytes, or a dictionary's pairs sorted by their keys'.
    private func sortedList(shape: CompactListShape, values: [Int: [UInt8]]) -> [Int] {
        guard values.isEmpty else { return Array(starts.indices) }
        let step = shape == .pairs ? 2 : 1
        guard starts.count % step == 0 else { return Array(starts.indices) }
        let groups = stride(from: 0, to: starts.count, by: step).map { $0 }
        let sorted = bytes.withUnsafeBufferPointer { buffer in
            groups.sorted { compare(range(of: $0), range(of: $1), in: buffer) < 0 }
        }
        return step == 1 ? sorted : sorted.flatMap { [$0, $0 + 1] }
    }
}

/// The `Encoder` a value's `encode(to:)` writes to. A single value goes straight into the
/// storage of the container holding it; a keyed or list container gets storage of its own,
/// appended there when the value is done (``finish(shape:)``).
final class CompactEncoder: Encoder {
    let output: CompactStorage
    let parent: CompactEncoder?
    let key: (any CodingKey)?
    private var container: CompactStorage?
    private var wroteSingleValue = false

    init(output: CompactStorage, parent: CompactEncoder?, key: (any CodingKey)?) {
        self.output = output
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: CompactEncoder? = self
        while let current = encoder {
            if let key = current.key { path.append(key) }
            encoder = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let storage = storage(of: .keyed)
        return KeyedEncodingContainer(CompactKeyedEncoding<Key>(storage: storage, encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        CompactListEncoding(storage: storage(of: .list), encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        wroteSingleValue = true
        return CompactSingleValueEncoding(encoder: self)
    }

    /// The container this value writes into: asking twice gives the same one, as `Codable`
    /// expects (a subclass and its superclass share a keyed container).
    private func storage(of kind: CompactStorage.Kind) -> CompactStorage {
        if let container, container.kind == kind { return container }
        let storage = CompactStorage(kind: kind)
        container = storage
        return storage
    }

    func finish(shape: CompactListShape?) { finish(into: output, shape: shape) }

    func finish(into output: CompactStorage, shape: CompactListShape?) {
        if let container {
            container.emit(into: output, shape: shape)
        } else if !wroteSingleValue {
            // A value that wrote nothing at all is an empty keyed value, as JSON writes `{}`.
            CompactStorage(kind: .keyed).emit(into: output, shape: nil)
        }
    }
}

struct CompactKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: CompactStorage
    let encoder: CompactEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        storage.beginEntry(key: key)
        storage.writeNil()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try scalar(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try scalar(value, key) }

    private func scalar(_ value: some CompactScalar, _ key: Key) throws {
        storage.beginEntry(key: key)
        try value.writeCompact(into: storage)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        storage.beginEntry(key: key)
        try storage.writeValue(value, parent: encoder, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        nestedEncoder(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedEncoder(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { nestedEncoder(forKey: CompactKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { nestedEncoder(forKey: key) }

    private func nestedEncoder(forKey key: some CodingKey) -> CompactEncoder {
        storage.beginEntry(key: key)
        let nested = CompactEncoder(output: storage, parent: encoder, key: key)
        storage.pending.append((storage.starts.count - 1, nested))
        return nested
    }
}

struct CompactListEncoding: UnkeyedEncodingContainer, CompactScalarEncoding {
    let storage: CompactStorage
    let encoder: CompactEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { storage.starts.count }

    mutating func encodeNil() throws {
        storage.beginEntry()
        storage.writeNil()
    }

    func scalar(_ value: some CompactScalar) throws {
        storage.beginEntry()
        try value.writeCompact(into: storage)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = CompactKey(index: storage.starts.count)
        storage.beginEntry()
        try storage.writeValue(value, parent: encoder, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        nestedEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nestedEncoder().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { nestedEncoder() }

    private func nestedEncoder() -> CompactEncoder {
        let key = CompactKey(index: storage.starts.count)
        storage.beginEntry()
        let nested = CompactEncoder(output: storage, parent: encoder, key: key)
        storage.pending.append((storage.starts.count - 1, nested))
        return nested
    }
}

struct CompactSingleValueEncoding: SingleValueEncodingContainer, CompactScalarEncoding {
    let encoder: CompactEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.output.writeNil() }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.output.writeValue(value, parent: encoder.parent, key: encoder.key)
    }

    func scalar(_ value: some CompactScalar) throws { try value.writeCompact(into: encoder.output) }
}

/// The scalar writes a list and a single value share: `Codable` asks each container for the same
/// fourteen methods, each of which writes one scalar where the container writes.
protocol CompactScalarEncoding {
    func scalar(_ value: some CompactScalar) throws
}

extension CompactScalarEncoding {
    mutating func encode(_ value: Bool) throws { try scalar(value) }
    mutating func encode(_ value: String) throws { try scalar(value) }
    mutating func encode(_ value: Double) throws { try scalar(value) }
    mutating func encode(_ value: Float) throws { try scalar(value) }
    mutating func encode(_ value: Int) throws { try scalar(value) }
    mutating func encode(_ value: Int8) throws { try scalar(value) }
    mutating func encode(_ value: Int16) throws { try scalar(value) }
    mutating func encode(_ value: Int32) throws { try scalar(value) }
    mutating func encode(_ value: Int64) throws { try scalar(value) }
    mutating func encode(_ value: UInt) throws { try scalar(value) }
    mutating func encode(_ value: UInt8) throws { try scalar(value) }
    mutating func encode(_ value: UInt16) throws { try scalar(value) }
    mutating func encode(_ value: UInt32) throws { try scalar(value) }
    mutating func encode(_ value: UInt64) throws { try scalar(value) }
}

/// A key the format makes up: a list position in a coding path, or `super`. The text of a
/// position is only made when a coding path is read (for an error).
struct CompactKey: CodingKey {
    private let name: String?
    let intValue: Int?

    init(stringValue: String) {
        self.name = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.name = nil
        self.intValue = intValue
    }

    init(index: Int) { self.init(intValue: index) }

    var stringValue: String { name ?? "Index \(intValue ?? 0)" }

    static let `super` = CompactKey(stringValue: "super")
}
