import Foundation
import Storage

/// Everything a `DataStore` holds, read through its public protocol: every record of every
/// collection, the log head and every entry.
///
/// Take one before an operation that must change nothing and one after, and compare them:
///
/// ```swift
/// let before = try await StoreSnapshot(of: store)
/// await #expect(throws: StorageError.self) { try await store.commit(staleBatch) }
/// let after = try await StoreSnapshot(of: store)
/// #expect(before.difference(from: after) == nil)   // or before.changes(to: after) == []
/// ```
///
/// Reading pages through the protocol, the snapshot stops with an error instead of looping
/// when a backend's paging does not advance.
///
/// - Complexity: O(n) reads for n records and entries, in pages of
///   `StorageLimits.maximumPageSize`. Meant for test stores, not production data.
public struct StoreSnapshot: Hashable, Sendable, CustomStringConvertible {
    /// Every record, grouped by collection (in `collectionNames()` order), each collection's
    /// records in the order the store returned them.
    public var records: [Record]
    /// What `head()` returned.
    public var head: UInt64
    /// Every entry of the log, in the order the store returned them.
    public var entries: [StoredEntry]

    public init(records: [Record], head: UInt64, entries: [StoredEntry]) {
        self.records = records
        self.head = head
        self.entries = entries
    }

    /// Reads the whole store.
    ///
    /// - Throws: whatever the store throws, or an error whose description says which paged read
    ///   did not advance.
    public init(of store: any DataStore) async throws {
        var records: [Record] = []
        for collection in try await store.collectionNames() {
            var cursor: String? = nil
            repeat {
                let page = try await store.records(
                    in: collection, where: nil, after: cursor, limit: StorageLimits.maximumPageSize)
                records += page.records
                if let next = page.nextCursor, let previous = cursor, !byteOrder(previous, next) {
                    throw Mismatch(
                        "records(in: \(describe(collection)), after: \(describe(previous))) returned the cursor "
                            + "\(describe(next)), which does not advance")
                }
                cursor = page.nextCursor
            } while cursor != nil
        }
        let head = try await store.head()
        var entries: [StoredEntry] = []
        var position: UInt64 = 0
        while true {
            let page = try await store.entries(after: position, limit: StorageLimits.maximumPageSize)
            entries += page
            guard let last = page.last, page.count == StorageLimits.maximumPageSize else { break }
            guard last.position > position else {
                throw Mismatch(
                    "entries(after: \(position)) returned a full page ending at position \(last.position), "
                        + "which does not advance")
            }
            position = last.position
        }
        self.init(records: records, head: head, entries: entries)
    }

    /// Whether the store holds nothing: no record, no entry, head 0.
    public var isEmpty: Bool { records.isEmpty && entries.isEmpty && head == 0 }

    /// What changed from this snapshot to `later`, one line per change (records added, removed
    /// or changed, the head, entries added, removed or changed); empty when nothing did.
    ///
    /// Keys, names and bytes are compared exactly (UTF-8 bytes), the way a backend stores them.
    public func changes(to later: StoreSnapshot) -> [String] {
        var lines: [String] = []
        let old = Dictionary(records.map { (KeyBytes($0.key), $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(
            later.records.map { (KeyBytes($0.key), $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(old.keys).union(new.keys).sorted() {
            switch (old[key], new[key]) {
            case (nil, let added?):
                lines.append("record \(describe(added.key)) was added at version \(added.version)")
            case (let removed?, nil):
                lines.append("record \(describe(removed.key)) (version \(removed.version)) was removed")
            case (let before?, let after?):
                var changes: [String] = []
                if before.version != after.version {
                    changes.append("version \(before.version) → \(after.version)")
                }
                if before.data != after.data {
                    changes.append("data \(describe(before.data)) → \(describe(after.data))")
                }
                if !sameIndexes(before.indexes, after.indexes) {
                    changes.append("indexes \(describe(before.indexes)) → \(describe(after.indexes))")
                }
                if !changes.isEmpty {
                    lines.append("record \(describe(after.key)) changed: \(changes.joined(separator: ", "))")
                }
            case (nil, nil):
                break
            }
        }
        if later.records.count != new.count && records.count == old.count {
            lines.append("a record is now listed twice")
        }
        if later.head != head {
            lines.append("head() went from \(head) to \(later.head)")
        }
        let before = Dictionary(
            entries.map { ($0.position, $0.entry) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(
            later.entries.map { ($0.position, $0.entry) }, uniquingKeysWith: { first, _ in first })
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        let changed = after.keys.filter { position in
            guard let old = before[position], let new = after[position] else { return false }
            return !entryDifferences(new, old).isEmpty
        }.sorted()
        if !added.isEmpty { lines.append("entries were added at positions \(describe(added))") }
        if !removed.isEmpty { lines.append("entries were removed from positions \(describe(removed))") }
        if !changed.isEmpty { lines.append("entries changed at positions \(describe(changed))") }
        return lines
    }

    /// How `other`, taken later, differs from this snapshot, as one line of text; nil when the
    /// store did not change. `before.difference(from: after) == nil` proves nothing was stored.
    public func difference(from other: StoreSnapshot) -> String? {
        let lines = changes(to: other)
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }

    /// "2 records in 1 collection, head 3, 3 entries".
    public var description: String {
        func count(_ number: Int, _ one: String, _ many: String) -> String {
            "\(number) \(number == 1 ? one : many)"
        }
        let collections = Set(records.map { Array($0.collection.utf8) }).count
        return
            "\(count(records.count, "record", "records")) in \(count(collections, "collection", "collections")), "
            + "head \(head), \(count(entries.count, "entry", "entries"))"
    }
}

/// A record key compared by its UTF-8 bytes (String's `==` would merge keys that differ only in
/// Unicode normalization, which a byte-exact backend keeps apart).
private struct KeyBytes: Hashable, Comparable {
    let collection: [UInt8]
    let id: [UInt8]

    init(_ key: RecordKey) {
        collection = Array(key.collection.utf8)
        id = Array(key.id.utf8)
    }

    static func < (lhs: KeyBytes, rhs: KeyBytes) -> Bool {
        if lhs.collection != rhs.collection {
            return lhs.collection.lexicographicallyPrecedes(rhs.collection)
        }
        return lhs.id.lexicographicallyPrecedes(rhs.id)
    }
}
