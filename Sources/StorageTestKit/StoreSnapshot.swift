import Storage

/// Everything a store holds at one moment: every record of every collection, the log head and
/// every entry. Compare two snapshots to prove that a refused operation stored nothing.
///
/// ```swift
/// let before = try await StoreSnapshot(of: store)
/// // ... an operation that must fail ...
/// let after = try await StoreSnapshot(of: store)
/// if let difference = before.difference(from: after) { throw ... }
/// ```
public struct StoreSnapshot: Hashable, Sendable {
    /// Every record, by key.
    public var records: [RecordKey: Record]
    /// The log head.
    public var head: UInt64
    /// Every entry, in position order.
    public var entries: [StoredEntry]

    /// Reads the whole store. Meant for test-sized stores.
    public init(of store: any DataStore) async throws {
        var records: [RecordKey: Record] = [:]
        for collection in try await store.collectionNames() {
            for record in try await store.allRecords(in: collection) { records[record.key] = record }
        }
        self.records = records
        self.head = try await store.head()
        self.entries = try await store.allEntries()
    }

    /// A description of how `other` differs from this snapshot, or nil when they are equal.
    public func difference(from other: StoreSnapshot) -> String? {
        var lines: [String] = []
        if head != other.head { lines.append("log head \(head) → \(other.head)") }
        if entries != other.entries {
            lines.append("log entries \(entries.count) → \(other.entries.count)")
        }
        for key in Set(records.keys).union(other.records.keys).sorted() where records[key] != other.records[key] {
            let was = records[key].map { "version \($0.version)" } ?? "absent"
            let now = other.records[key].map { "version \($0.version)" } ?? "absent"
            lines.append("record \(key): \(was) → \(now)")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }
}
