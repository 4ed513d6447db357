import Foundation
import Synchronization

/// A ``DataStore`` that keeps everything in memory, safe under concurrent use.
///
/// Use it in tests, demos and short-lived tools. It keeps every guarantee of the protocols
/// except durability across process restarts. Names are compared byte for byte (UTF-8), as
/// a database with binary collation does, never by Unicode canonical equivalence.
///
/// - Complexity: a commit costs O(w log n + e) for w record writes and e entries; an index
///   read costs O(k log k) for the k matching records.
public final class InMemoryStore: DataStore {
    private struct State {
        var collections: [Bytes: [Bytes: Record]] = [:]
        /// collection → index name → value → ids.
        var indexes: [Bytes: [Bytes: [Bytes: Set<Bytes>]]] = [:]
        var entries: [StoredEntry] = []
        var entryIDs: Set<EntryID> = []
        var streams: [Bytes: [Int]] = [:]
        var subjects: [Bytes: [Int]] = [:]
        /// The sorted ids of a whole collection, built on the first unfiltered read and dropped
        /// when the collection changes, so that paging through a large collection does not sort
        /// it for every page. (Index matches are small sets, sorted on each read.)
        var sortedIDs: [Bytes: [Bytes]] = [:]
    }

    private let state = Mutex(State())
    private let waiters = LogWaiters()

    public init() {}

    /// A store that holds what `other` holds now and is independent of it from then on (the
    /// state is copied on write): for tests that try many commands from one prepared state.
    package init(copying other: InMemoryStore) {
        state.withLock { $0 = other.state.withLock { $0 } }
    }

    // MARK: RecordStore

    public func record(_ key: RecordKey) async throws -> Record? {
        try StorageLimits.validate(name: key.collection, role: "collection name")
        try StorageLimits.validate(name: key.id, role: "record id")
        return state.withLock { $0.collections[Bytes(key.collection)]?[Bytes(key.id)] }
    }

    public func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        try StorageLimits.validateRecordsQuery(collection: collection, query: query, cursor: cursor, limit: limit)
        let after = cursor.map(Bytes.init)
        return state.withLock { state in
            let name = Bytes(collection)
            let all = state.collections[name] ?? [:]
            let sorted: [Bytes]
            if let query {
                sorted = (state.indexes[name]?[Bytes(query.name)]?[Bytes(query.value)] ?? []).sorted()
            } else if let cached = state.sortedIDs[name] {
                sorted = cached
            } else {
                sorted = all.keys.sorted()
                state.sortedIDs[name] = sorted
            }
            let start = after.map { cursor in sorted.partitionPoint { $0 > cursor } } ?? 0
            let end = min(start + limit, sorted.count)
            let page = sorted[start..<end].compactMap { all[$0] }
            return RecordPage(records: page, nextCursor: end < sorted.count ? page.last?.id : nil)
        }
    }

    public func collectionNames() async throws -> [String] {
        state.withLock { state in
            state.collections.filter { !$0.value.isEmpty }.keys.sorted().map(\.string)
        }
    }

    // MARK: EventLog

    public func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        try StorageLimits.validate(limit: limit)
        return state.withLock { state in
            guard position < UInt64(state.entries.count) else { return [] }
            let start = Int(position)
            return Array(state.entries[start..<min(start + limit, state.entries.count)])
        }
    }

    public func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    )
        async throws -> [StoredEntry]
    {
        try StorageLimits.validateEntriesQuery(selector, limit: limit)
        return state.withLock { state in
            let indices: [Int]
            switch selector {
            case .stream(let name): indices = state.streams[Bytes(name)] ?? []
            case .subject(let name): indices = state.subjects[Bytes(name)] ?? []
            }
            var result: [StoredEntry] = []
            // Indices ascend; start at the first one past `position` (entry at index i has position i + 1).
            let first = indices.partitionPoint { UInt64($0 + 1) > position }
            for index in indices[first...] {
                let stored = state.entries[index]
                guard range.contains(stored.entry.time) else { continue }
                result.append(stored)
                if result.count == limit { break }
            }
            return result
        }
    }

    public func head() async throws -> UInt64 {
        state.withLock { UInt64($0.entries.count) }
    }

    // MARK: DataStore

    @discardableResult
    public func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
        try batch.validate()
        let receipt = try state.withLock { state throws(StorageError) in
            // Check every expectation before changing anything: a failed batch changes nothing.
            for write in batch.writes {
                let current = state.collections[Bytes(write.key.collection)]?[Bytes(write.key.id)]?.version
                let expected: ExpectedVersion
                switch write {
                case .put(_, _, _, let e): expected = e
                case .delete(_, let v): expected = .version(v)
                }
                guard expected.isSatisfied(by: current) else {
                    throw .versionConflict(
                        collection: write.key.collection, id: write.key.id, expected: expected, actual: current)
                }
            }
            var receipt = CommitReceipt()
            for write in batch.writes { state.sortedIDs[Bytes(write.key.collection)] = nil }
            for write in batch.writes {
                let collection = Bytes(write.key.collection)
                let id = Bytes(write.key.id)
                if let old = state.collections[collection]?[id] {
                    for (name, value) in old.indexes {
                        state.indexes[collection, default: [:]][Bytes(name), default: [:]][Bytes(value)]?.remove(id)
                    }
                }
                switch write {
                case .put(let key, let data, let indexes, _):
                    let version = (state.collections[collection]?[id]?.version ?? 0) + 1
                    state.collections[collection, default: [:]][id] = Record(
                        key: key, version: version, data: data, indexes: indexes)
                    for (name, value) in indexes {
                        state.indexes[collection, default: [:]][Bytes(name), default: [:]][Bytes(value), default: []]
                            .insert(id)
                    }
                    receipt.versions[key] = version
                case .delete:
                    state.collections[collection]?[id] = nil
                }
            }
            for entry in batch.entries {
                guard state.entryIDs.insert(entry.id).inserted else {
                    receipt.skipped.append(entry.id)
                    continue
                }
                let stored = StoredEntry(position: UInt64(state.entries.count + 1), entry: entry)
                let index = state.entries.count
                state.entries.append(stored)
                state.streams[Bytes(entry.stream), default: []].append(index)
                if let subject = entry.subject { state.subjects[Bytes(subject), default: []].append(index) }
                receipt.appended.append(stored)
            }
            return receipt
        }
        if let last = receipt.appended.last { waiters.signal(head: last.position) }
        return receipt
    }

    /// Wakes when a commit of this store appends past `position` (no polling).
    public func waitForEntries(after position: UInt64, timeout: Duration) async throws -> UInt64 {
        try await waiters.wait(after: position, current: try await head(), timeout: timeout)
    }

    /// The head, read from memory.
    public func knownHead() async throws -> UInt64? { try await head() }
}

extension RandomAccessCollection {
    /// The index of the first element for which `isPast` is true, in a collection where every
    /// such element follows every other (binary search).
    func partitionPoint(where isPast: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if isPast(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

/// A string compared and hashed by its UTF-8 bytes (binary collation), not by Unicode
/// canonical equivalence as `String` is.
struct Bytes: Hashable, Comparable, Sendable {
    let utf8: [UInt8]

    init(_ string: String) { utf8 = Array(string.utf8) }

    var string: String { String(decoding: utf8, as: UTF8.self) }

    static func < (lhs: Bytes, rhs: Bytes) -> Bool { lhs.utf8.lexicographicallyPrecedes(rhs.utf8) }
}
