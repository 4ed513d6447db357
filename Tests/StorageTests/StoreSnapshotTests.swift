import Foundation
import Storage
import StorageTestKit
import Testing

@Suite("Store snapshots")
struct StoreSnapshotTests {
    private func makeStore() async throws -> InMemoryStore {
        let store = InMemoryStore()
        var batch = WriteBatch()
        batch.put(Data("ada".utf8), at: RecordKey(collection: "members", id: "m1"), expecting: .absent)
        batch.put(Data("hello".utf8), at: RecordKey(collection: "notes", id: "n1"), expecting: .absent)
        batch.append(LogEntry(id: EntryID(UUID()), stream: "m1", kind: "joined", time: .distantPast))
        try await store.commit(batch)
        return store
    }

    @Test("a snapshot holds every record of every collection, the head and every entry")
    func capturesEverything() async throws {
        let snapshot = try await StoreSnapshot(of: makeStore())
        #expect(snapshot.records.map(\.key.description) == ["members/m1", "notes/n1"])
        #expect(snapshot.head == 1)
        #expect(snapshot.entries.map(\.entry.kind) == ["joined"])
        #expect(!snapshot.isEmpty)
        #expect(try await StoreSnapshot(of: InMemoryStore()).isEmpty)
    }

    @Test("a refused batch leaves no difference; an accepted one is described change by change")
    func describesChanges() async throws {
        let store = try await makeStore()
        let before = try await StoreSnapshot(of: store)

        var stale = WriteBatch()
        stale.put(Data("eve".utf8), at: RecordKey(collection: "members", id: "m1"), expecting: .absent)
        await #expect(throws: StorageError.self) { try await store.commit(stale) }
        #expect(before.difference(from: try await StoreSnapshot(of: store)) == nil)

        var batch = WriteBatch()
        batch.put(
            Data("ada lovelace".utf8), at: RecordKey(collection: "members", id: "m1"), expecting: .version(1))
        batch.delete(RecordKey(collection: "notes", id: "n1"), expecting: 1)
        batch.put(Data("x".utf8), at: RecordKey(collection: "notes", id: "n2"), expecting: .absent)
        batch.append(LogEntry(id: EntryID(UUID()), stream: "m1", kind: "renamed", time: .distantPast))
        try await store.commit(batch)
        let after = try await StoreSnapshot(of: store)
        #expect(
            before.changes(to: after) == [
                "record \"members\"/\"m1\" changed: version 1 → 2, data 3 bytes [61 64 61] → 12 bytes "
                    + "[61 64 61 20 6c 6f 76 65 6c 61 63 65]",
                "record \"notes\"/\"n1\" (version 1) was removed",
                "record \"notes\"/\"n2\" was added at version 1",
                "head() went from 1 to 2",
                "entries were added at positions [2]",
            ])
        #expect(before.difference(from: after) == before.changes(to: after).joined(separator: "; "))
    }

    @Test("ids that differ only in Unicode normalization are two records, not one")
    func keepsNormalizationApart() async throws {
        let store = InMemoryStore()
        for id in ["\u{E9}", "e\u{301}"] {
            var batch = WriteBatch()
            batch.put(Data(id.utf8), at: RecordKey(collection: "c", id: id), expecting: .absent)
            try await store.commit(batch)
        }
        let both = try await StoreSnapshot(of: store)
        #expect(both.records.count == 2)
        try await store.commit(
            WriteBatch(writes: [.delete(RecordKey(collection: "c", id: "e\u{301}"), expected: 1)]))
        #expect(
            both.changes(to: try await StoreSnapshot(of: store)) == [
                "record \"c\"/\"e\u{301}\" (version 1) was removed"
            ])
    }
}
