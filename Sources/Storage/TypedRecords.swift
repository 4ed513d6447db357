import Foundation

/// A named collection of `Codable` values, with the index keys each value declares.
///
/// ```swift
/// let members = RecordCollection<Member>("members") { ["country": $0.country.code] }
/// var batch = WriteBatch()
/// try batch.put(member, id: member.id.rawValue, in: members, expecting: .absent)
/// try await store.commit(batch)
/// let stored = try await store.fetch(member.id.rawValue, from: members)
/// ```
public struct RecordCollection<Value: Codable & Sendable>: Sendable {
    public let name: String
    private let indexer: @Sendable (Value) -> [String: String]

    /// - Parameters:
    ///   - name: the collection's name in the store.
    ///   - indexes: the index keys of a value; records can be read back by any of them.
    public init(_ name: String, indexes: @escaping @Sendable (Value) -> [String: String] = { _ in [:] }) {
        self.name = name
        self.indexer = indexes
    }

    public func key(_ id: String) -> RecordKey { RecordKey(collection: name, id: id) }

    public func indexes(of value: Value) -> [String: String] { indexer(value) }

    /// Encodes a value in the compact record format (``RecordEncoder``): equal values give
    /// equal bytes in every process.
    public func encode(_ value: Value) throws(StorageError) -> Data {
        do { return try RecordEncoder().encode(value) } catch {
            throw .invalidArgument("a \(Value.self) could not be encoded as a record of \(name): \(error)")
        }
    }

    /// Decodes a record in the compact format or, written before it, JSON (``RecordDecoder``).
    public func decode(_ record: Record) throws(StorageError) -> Versioned<Value> {
        do {
            let value = try RecordDecoder().decode(Value.self, from: record.data)
            return Versioned(id: record.id, version: record.version, value: value)
        } catch {
            throw .corruptRecord(collection: record.collection, id: record.id, reason: "\(error)")
        }
    }
}

/// A decoded record with the version it was read at; pass the version back when writing.
public struct Versioned<Value: Sendable>: Sendable {
    public var id: String
    public var version: UInt64
    public var value: Value

    public init(id: String, version: UInt64, value: Value) {
        self.id = id
        self.version = version
        self.value = value
    }
}

extension Versioned: Equatable where Value: Equatable {}
extension Versioned: Hashable where Value: Hashable {}

/// One page of typed values.
public struct TypedPage<Value: Sendable>: Sendable {
    public var items: [Versioned<Value>]
    public var nextCursor: String?
}

extension RecordStore {
    /// The value stored under `id`, or nil.
    public func fetch<Value>(_ id: String, from collection: RecordCollection<Value>) async throws -> Versioned<Value>? {
        guard let record = try await record(collection.key(id)) else { return nil }
        return try collection.decode(record)
    }

    /// One page of values, optionally those whose index `query.name` equals `query.value`.
    public func fetchPage<Value>(
        _ collection: RecordCollection<Value>,
        where query: IndexQuery? = nil,
        after cursor: String? = nil,
        limit: Int = 100
    ) async throws -> TypedPage<Value> {
        let page = try await records(in: collection.name, where: query, after: cursor, limit: limit)
        return TypedPage(items: try page.records.map { try collection.decode($0) }, nextCursor: page.nextCursor)
    }

    /// Every value of the collection (optionally filtered), read page by page.
    public func fetchAll<Value>(_ collection: RecordCollection<Value>, where query: IndexQuery? = nil)
        async throws -> [Versioned<Value>]
    {
        try await allRecords(in: collection.name, where: query).map { try collection.decode($0) }
    }
}

extension WriteBatch {
    /// Adds a put of `value` (encoded with its collection's indexes).
    public mutating func put<Value>(
        _ value: Value,
        id: String,
        in collection: RecordCollection<Value>,
        expecting expected: ExpectedVersion
    ) throws(StorageError) {
        try put(
            collection.encode(value), at: collection.key(id), indexes: collection.indexes(of: value),
            expecting: expected)
    }

    /// Adds a put that replaces a value read earlier, expecting its version to be unchanged.
    public mutating func update<Value>(_ versioned: Versioned<Value>, in collection: RecordCollection<Value>)
        throws(StorageError)
    {
        try put(versioned.value, id: versioned.id, in: collection, expecting: .version(versioned.version))
    }
}

extension LogEntry {
    /// An entry whose payload is `payload` encoded as JSON with sorted keys.
    public init<Payload: Encodable>(
        id: EntryID,
        stream: String,
        subject: String? = nil,
        kind: String,
        time: Timestamp,
        encoding payload: Payload
    ) throws(StorageError) {
        let data = try encodeDeterministically(payload, purpose: "log payload")
        self.init(id: id, stream: stream, subject: subject, kind: kind, time: time, payload: data)
    }

    /// Decodes the payload as JSON.
    public func decodePayload<Payload: Decodable>(as type: Payload.Type) throws(StorageError) -> Payload {
        do { return try JSONDecoder().decode(type, from: payload) } catch {
            throw .corruptRecord(collection: "log", id: id.description, reason: "\(error)")
        }
    }
}

/// One encoder for every payload and record: making a `JSONEncoder` costs more than many small
/// encodings. It is never reconfigured after this, and `JSONEncoder` is `Sendable`.
private let deterministicEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
}()

/// JSON with sorted keys: equal values give equal bytes in every process.
func encodeDeterministically<Value: Encodable>(_ value: Value, purpose: String) throws(StorageError) -> Data {
    do {
        return try deterministicEncoder.encode(value)
    } catch {
        throw .invalidArgument("a \(Value.self) could not be encoded as a \(purpose): \(error)")
    }
}
