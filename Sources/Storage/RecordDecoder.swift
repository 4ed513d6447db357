import Foundation

/// Reads records: the compact format ``RecordEncoder`` writes, and JSON, which records were
/// before it (a stored record is never rewritten just to change its format).
///
/// Every read is bounds-checked: bytes that end early, hold a tag the format does not have, a
/// length longer than what is left, text that is not UTF-8 or a number that does not fit the
/// field throw a `DecodingError` naming the coding path, and never crash.
public struct RecordDecoder: Sendable {
    public init() {}

    /// Decodes `type` from record bytes in either format.
    ///
    /// - Throws: `DecodingError` when the bytes are not a value of `type` in either format, or
    ///   are in a later version of the compact format than this library reads.
    public func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        guard data.first == CompactFormat.marker else { return try JSONDecoder().decode(type, from: data) }
        return try data.withUnsafeBytes { raw in
            let bytes = CompactBytes(raw: raw)
            guard raw.count >= 2 else { throw bytes.corrupted("the record ends after its first byte", path: []) }
            guard raw[1] == CompactFormat.version else {
                throw bytes.corrupted(
                    "the record is in version \(raw[1]) of the compact format; this library reads version "
                        + "\(CompactFormat.version)", path: [])
            }
            let end = try bytes.endOfValue(at: 2, limit: raw.count, path: [])
            guard end == raw.count else {
                throw bytes.corrupted("\(raw.count - end) bytes follow the record's value", path: [])
            }
            return try CompactValue(bytes: bytes, start: 2, end: end, parent: nil, key: nil).decode(Value.self)
        }
    }
}

/// The bytes of one compact record, valid while ``RecordDecoder/decode(_:from:)`` runs.
struct CompactBytes {
    let raw: UnsafeRawBufferPointer

    func corrupted(_ reason: String, path: [any CodingKey]) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: reason))
    }

    /// A LEB128 integer at `index`, which moves past it.
    func varint(_ index: inout Int, limit: Int, path: @autoclosure () -> [any CodingKey]) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < limit else { throw corrupted("the bytes end inside a number", path: path()) }
            let byte = raw[index]
            index += 1
            guard shift < 64, shift < 63 || byte <= 1 else {
                throw corrupted("a number is longer than 64 bits", path: path())
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A length at `index` (which moves past it) that fits in what is left before `limit`.
    func length(_ index: inout Int, limit: Int, path: @autoclosure () -> [any CodingKey]) throws -> Int {
        let value = try varint(&index, limit: limit, path: path())
        guard value <= UInt64(limit - index) else {
            throw corrupted("a length of \(value) is more than the \(limit - index) bytes left", path: path())
        }
        return Int(value)
    }

    /// Where the value starting at `index` ends; it must end by `limit`.
    func endOfValue(at index: Int, limit: Int, path: @autoclosure () -> [any CodingKey]) throws -> Int {
        guard index < limit else { throw corrupted("the bytes end where a value was expected", path: path()) }
        var position = index + 1
        switch raw[index] {
        case CompactFormat.null, CompactFormat.falseValue, CompactFormat.trueValue:
            return position
        case CompactFormat.signed, CompactFormat.unsigned:
            _ = try varint(&position, limit: limit, path: path())
            return position
        case CompactFormat.double:
            guard limit - position >= 8 else { throw corrupted("the bytes end inside a number", path: path()) }
            return position + 8
        case CompactFormat.string, CompactFormat.bytes, CompactFormat.list, CompactFormat.keyed:
            let count = try length(&position, limit: limit, path: path())
            return position + count
        case let tag:
            throw corrupted("\(tag) is not a value tag of the compact record format", path: path())
        }
    }
}

/// One value of a compact record: where it is, and the coding path that leads to it (made only
/// for an error).
struct CompactValue {
    let bytes: CompactBytes
    let start: Int
    let end: Int
    let parent: CompactDecoder?
    let key: (any CodingKey)?

    var codingPath: [any CodingKey] {
        var path = parent?.codingPath ?? []
        if let key { path.append(key) }
        return path
    }

    var tag: UInt8 { bytes.raw[start] }

    var isNil: Bool { tag == CompactFormat.null }

    func mismatch(_ type: Any.Type) -> DecodingError {
        let found =
            switch tag {
            case CompactFormat.null: "nil"
            case CompactFormat.falseValue, CompactFormat.trueValue: "a Boolean"
            case CompactFormat.signed, CompactFormat.unsigned, CompactFormat.double: "a number"
            case CompactFormat.string: "a string"
            case CompactFormat.bytes: "bytes"
            case CompactFormat.list: "a list"
            default: "keyed values"
            }
        let context = DecodingError.Context(
            codingPath: codingPath, debugDescription: "expected \(type), found \(found)")
        return isNil ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    /// The value as `type`: a scalar read directly, anything else through its `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let scalar = T.self as? any CompactScalar.Type {
            return try read(scalar, as: T.self)
        }
        return try T(from: CompactDecoder(value: self))
    }

    private func read<S: CompactScalar, T>(_ scalar: S.Type, as type: T.Type) throws -> T {
        // `S` is `T`, found by the cast above.
        unsafeBitCast(try S.readCompact(self), to: T.self)
    }

    func bool() throws -> Bool {
        switch tag {
        case CompactFormat.trueValue: return true
        case CompactFormat.falseValue: return false
        default: throw mismatch(Bool.self)
        }
    }

    /// The bytes of a string or `Data` value.
    private func payload(_ expected: UInt8, as type: Any.Type) throws -> UnsafeRawBufferPointer {
        guard tag == expected else { throw mismatch(type) }
        var position = start + 1
        let count = try bytes.length(&position, limit: end, path: codingPath)
        return UnsafeRawBufferPointer(rebasing: bytes.raw[position..<position + count])
    }

    func string() throws -> String {
        let utf8 = try payload(CompactFormat.string, as: String.self)
        guard let text = String(validating: utf8.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
            throw bytes.corrupted("a string is not valid UTF-8", path: codingPath)
        }
        return text
    }

    func data() throws -> Data { Data(try payload(CompactFormat.bytes, as: Data.self)) }

    /// The integer as `Integer`, from either integer tag or a floating-point number without a
    /// fraction, when it fits.
    func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        var position = start + 1
        let fitted: Integer?
        switch tag {
        case CompactFormat.signed:
            let raw = try bytes.varint(&position, limit: end, path: codingPath)
            fitted = Integer(exactly: Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
        case CompactFormat.unsigned:
            fitted = Integer(exactly: try bytes.varint(&position, limit: end, path: codingPath))
        case CompactFormat.double:
            fitted = Integer(exactly: try double())
        default:
            throw mismatch(type)
        }
        guard let fitted else { throw bytes.corrupted("a number does not fit in \(Integer.self)", path: codingPath) }
        return fitted
    }

    /// A floating-point number, or an integer as one.
    func double() throws -> Double {
        var position = start + 1
        switch tag {
        case CompactFormat.double:
            var bits: UInt64 = 0
            for offset in 0..<8 { bits |= UInt64(bytes.raw[position + offset]) << (8 * UInt64(offset)) }
            let value = Double(bitPattern: bits)
            // As in JSON: no record holds NaN or an infinity (the encoder refuses them too).
            guard value.isFinite else { throw bytes.corrupted("a number is not finite", path: codingPath) }
            return value
        case CompactFormat.signed:
            let raw = try bytes.varint(&position, limit: end, path: codingPath)
            return Double(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
        case CompactFormat.unsigned:
            return Double(try bytes.varint(&position, limit: end, path: codingPath))
        default:
            throw mismatch(Double.self)
        }
    }

    func float() throws -> Float {
        let value = try double()
        guard abs(value) <= Double(Float.greatestFiniteMagnitude) else {
            throw bytes.corrupted("a number does not fit in Float", path: codingPath)
        }
        return Float(value)
    }

    /// The count and the position of the first entry of a list or keyed value.
    func containerHeader(_ expected: UInt8, as type: Any.Type) throws -> (count: Int, first: Int) {
        guard tag == expected else { throw mismatch(type) }
        var position = start + 1
        _ = try bytes.length(&position, limit: end, path: codingPath)
        let count = try bytes.length(&position, limit: end, path: codingPath)
        return (count, position)
    }
}

/// The `Decoder` a type's `init(from:)` reads from.
final class CompactDecoder: Decoder {
    let value: CompactValue

    init(value: CompactValue) { self.value = value }

    var codingPath: [any CodingKey] { value.codingPath }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try CompactKeyedDecoding<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try CompactListDecoding(decoder: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { CompactSingleValueDecoding(decoder: self) }

    func child(at start: Int, end: Int, key: any CodingKey) -> CompactValue {
        CompactValue(bytes: value.bytes, start: start, end: end, parent: self, key: key)
    }
}

/// The entries of a keyed value, found once; lookups start after the last one found, so
/// reading keys in their stored order (as a dictionary does) is linear.
final class CompactKeyedIndex {
    struct Entry {
        let keyStart: Int
        let keyCount: Int
        let valueStart: Int
        let valueEnd: Int
    }

    var entries: [Entry] = []
    private var hint = 0

    func find(_ key: some CodingKey, in raw: UnsafeRawBufferPointer) -> Entry? {
        guard !entries.isEmpty else { return nil }
        var name = key.stringValue
        return name.withUTF8 { utf8 -> Entry? in
            var index = hint
            for _ in 0..<entries.count {
                if index >= entries.count { index = 0 }
                let entry = entries[index]
                if entry.keyCount == utf8.count,
                    utf8.isEmpty || memcmp(raw.baseAddress! + entry.keyStart, utf8.baseAddress!, utf8.count) == 0
                {
                    hint = index + 1
                    return entry
                }
                index += 1
            }
            return nil
        }
    }
}

struct CompactKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: CompactDecoder
    let index = CompactKeyedIndex()

    init(decoder: CompactDecoder) throws {
        self.decoder = decoder
        let value = decoder.value
        let bytes = value.bytes
        var (count, position) = try value.containerHeader(CompactFormat.keyed, as: [String: Any].self)
        index.entries.reserveCapacity(min(count, (value.end - position) / 2))
        for _ in 0..<count {
            let keyCount = try bytes.length(&position, limit: value.end, path: value.codingPath)
            let keyStart = position
            position += keyCount
            let valueEnd = try bytes.endOfValue(at: position, limit: value.end, path: value.codingPath)
            index.entries.append(
                .init(keyStart: keyStart, keyCount: keyCount, valueStart: position, valueEnd: valueEnd))
            position = valueEnd
        }
        guard position == value.end else {
            throw bytes.corrupted("keyed values hold bytes after their \(count) entries", path: value.codingPath)
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        index.entries.compactMap { entry in
            let utf8 = UnsafeRawBufferPointer(
                rebasing: decoder.value.bytes.raw[entry.keyStart..<entry.keyStart + entry.keyCount])
            return String(validating: utf8.assumingMemoryBound(to: UInt8.self), as: UTF8.self).flatMap(
                Key.init(stringValue:))
        }
    }

    func contains(_ key: Key) -> Bool { index.find(key, in: decoder.value.bytes.raw) != nil }

    private func value(_ key: Key) -> CompactValue? {
        index.find(key, in: decoder.value.bytes.raw).map {
            decoder.child(at: $0.valueStart, end: $0.valueEnd, key: key)
        }
    }

    private func required(_ key: Key) throws -> CompactValue {
        guard let value = value(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try required(key).isNil }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(key).float() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(key).decode(type) }

    /// One lookup for an optional value (the default asks three times).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = value(key), !value.isNil else { return nil }
        return try value.decode(type)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = value(key), !value.isNil else { return nil }
        return try value.string()
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = value(key), !value.isNil else { return nil }
        return try value.bool()
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = value(key), !value.isNil else { return nil }
        return try value.integer(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try CompactDecoder(value: required(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try CompactDecoder(value: required(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        guard let entry = index.find(CompactKey.super, in: decoder.value.bytes.raw) else {
            throw DecodingError.keyNotFound(
                CompactKey.super,
                DecodingError.Context(codingPath: codingPath, debugDescription: "no value for \"super\""))
        }
        return CompactDecoder(value: decoder.child(at: entry.valueStart, end: entry.valueEnd, key: CompactKey.super))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { CompactDecoder(value: try required(key)) }
}

struct CompactListDecoding: UnkeyedDecodingContainer {
    let decoder: CompactDecoder
    let total: Int
    private(set) var currentIndex = 0
    private var position: Int

    init(decoder: CompactDecoder) throws {
        self.decoder = decoder
        (total, position) = try decoder.value.containerHeader(CompactFormat.list, as: [Any].self)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { total }
    var isAtEnd: Bool { currentIndex >= total }

    /// The next value, and the list moved past it.
    private mutating func next(_ type: Any.Type) throws -> CompactValue {
        let key = CompactKey(index: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(codingPath: codingPath + [key], debugDescription: "the list has no more values"))
        }
        let end = try decoder.value.bytes.endOfValue(at: position, limit: decoder.value.end, path: codingPath + [key])
        let value = decoder.child(at: position, end: end, key: key)
        position = end
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, position < decoder.value.end, decoder.value.bytes.raw[position] == CompactFormat.null else {
            return false
        }
        _ = try next(Never.self)
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).bool() }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).string() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).double() }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).float() }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).integer(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try CompactDecoder(value: next([String: Any].self)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try CompactDecoder(value: next([Any].self)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { CompactDecoder(value: try next(Any.self)) }
}

struct CompactSingleValueDecoding: SingleValueDecodingContainer {
    let decoder: CompactDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var value: CompactValue { decoder.value }

    func decodeNil() -> Bool { value.isNil }

    func decode(_ type: Bool.Type) throws -> Bool { try value.bool() }
    func decode(_ type: String.Type) throws -> String { try value.string() }
    func decode(_ type: Double.Type) throws -> Double { try value.double() }
    func decode(_ type: Float.Type) throws -> Float { try value.float() }
    func decode(_ type: Int.Type) throws -> Int { try value.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value.integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value.decode(type) }
}

extension BinaryWriter {
    /// `value` in the compact record format, to the end of the bytes: for a state part of which
    /// is easier to keep as `Codable` (read it back last, with ``BinaryReader/rest(as:)``).
    ///
    /// - Throws: what `value`'s `encode(to:)` throws; nothing is written then.
    public mutating func record(_ value: some Encodable) throws {
        raw(try RecordEncoder().encode(value))
    }
}

extension BinaryReader {
    /// The rest of the bytes decoded as `type` by ``RecordDecoder`` (in the compact format, or
    /// JSON as states were written before it).
    public mutating func rest<Value: Decodable>(as type: Value.Type) throws(StorageError) -> Value {
        let bytes = try take(remaining)
        do { return try RecordDecoder().decode(type, from: bytes) } catch {
            throw corrupt("the rest of the bytes are not a \(Value.self): \(error)")
        }
    }
}
