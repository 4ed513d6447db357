import Foundation

/// The address of a record: its collection and its id within the collection.
///
/// Keys are equal, hashed and ordered by their UTF-8 bytes, as stores compare them: `"é"`
/// (U+00E9) and `"e\u{301}"` are two keys, although Swift's `String ==` calls them equal.
public struct RecordKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var collection: String
    public var id: String

    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    public static func == (lhs: RecordKey, rhs: RecordKey) -> Bool {
        ExactString(lhs.collection) == ExactString(rhs.collection) && ExactString(lhs.id) == ExactString(rhs.id)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(collection.utf8.count)
        ExactString(collection).hash(into: &hasher)
        ExactString(id).hash(into: &hasher)
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        if ExactString(lhs.collection) != ExactString(rhs.collection) {
            return ExactString(lhs.collection) < ExactString(rhs.collection)
        }
        return ExactString(lhs.id) < ExactString(rhs.id)
    }

    public var description: String { "\(collection)/\(id)" }
}

/// A stored record: opaque bytes with a version and the index keys it was written with.
///
/// Versions start at 1 when a record is created and grow by one with every write.
public struct Record: Hashable, Sendable {
    public var key: RecordKey
    /// The record's version; 1 after creation, +1 per update.
    public var version: UInt64
    /// The record's bytes, exactly as written.
    public var data: Data
    /// Index name → value. Records can be found by any of these (see ``RecordStore``).
    public var indexes: [String: String]

    public init(key: RecordKey, version: UInt64, data: Data, indexes: [String: String] = [:]) {
        self.key = key
        self.version = version
        self.data = data
        self.indexes = indexes
    }

    public var collection: String { key.collection }
    public var id: String { key.id }
}

/// The version a write expects a record to have; any other version fails the batch.
public enum ExpectedVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The record must not exist yet (a create).
    case absent
    /// The record must exist with exactly this version (an update or delete).
    case version(UInt64)

    public var description: String {
        switch self {
        case .absent: "no record"
        case .version(let v): "version \(v)"
        }
    }

    /// Whether a record currently at `current` (nil when absent) satisfies this expectation.
    public func isSatisfied(by current: UInt64?) -> Bool {
        switch self {
        case .absent: current == nil
        case .version(let v): current == v
        }
    }
}

/// A query on a declared index: all records whose index `name` has the value `value`.
public struct IndexQuery: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, equals value: String) {
        self.name = name
        self.value = value
    }
}

/// One page of records, ordered by id, with the cursor to ask for the next page.
public struct RecordPage: Sendable, Hashable {
    public var records: [Record]
    /// Pass this as `after` to read the next page. Nil means there is no more; a backend may
    /// also return a cursor after a full last page, which then reads as an empty page.
    public var nextCursor: String?

    public init(records: [Record], nextCursor: String?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}

/// A string that hashes and compares by its UTF-8 bytes (as the stores do), without copying
/// them out: `String`'s own `==` follows Unicode canonical equivalence (the Kelvin sign equals
/// `K`), which names and ids must not.
package struct ExactString: Hashable, Comparable, Sendable {
    package var string: String

    package init(_ string: String) { self.string = string }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        var left = lhs.string
        var right = rhs.string
        return left.withUTF8 { a in
            right.withUTF8 { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    /// Byte order (binary collation), as the stores sort ids.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        var left = lhs.string
        var right = rhs.string
        return left.withUTF8 { a in
            right.withUTF8 { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
