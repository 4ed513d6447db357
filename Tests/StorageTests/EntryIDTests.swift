import Foundation
import Storage
import Testing

@Suite("Entry ids and timestamps")
struct EntryIDTests {
    @Test("minted ids start with the time and sort in minting order, even within one millisecond")
    func timeOrdered() {
        let generator = EntryIDGenerator(seed: 7)
        let time = Timestamp(millisecondsSince1970: 1_767_225_600_123)
        let ids = (0..<5_000).map { _ in generator.next(at: time) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let first = ids[0].bytes
        let millis = first[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_767_225_600_123)
        #expect(first[6] >> 4 == 7, "UUID version 7")
        #expect(first[8] >> 6 == 0b10, "RFC 4122 variant")
    }

    @Test("a clock that steps back does not make ids go backwards")
    func clockStepsBack() {
        let generator = EntryIDGenerator(seed: 1)
        let later = generator.next(at: Timestamp(millisecondsSince1970: 2_000))
        let earlier = generator.next(at: Timestamp(millisecondsSince1970: 1_000))
        #expect(later < earlier)
    }

    @Test("the same seed mints the same ids")
    func seeded() {
        let time = Timestamp(millisecondsSince1970: 42)
        let a = EntryIDGenerator(seed: 9)
        let b = EntryIDGenerator(seed: 9)
        #expect((0..<10).map { _ in a.next(at: time) } == (0..<10).map { _ in b.next(at: time) })
    }

    @Test("ids survive text and bytes round trips")
    func roundTrips() throws {
        let id = EntryIDGenerator(seed: 3).next(at: Timestamp(millisecondsSince1970: 5))
        #expect(EntryID(id.description) == id)
        #expect(EntryID(bytes: id.bytes) == id)
        #expect(EntryID(bytes: [1, 2, 3]) == nil)
        #expect(EntryID("not an id") == nil)
        let data = try JSONEncoder().encode(id)
        #expect(try JSONDecoder().decode(EntryID.self, from: data) == id)
    }

    @Test("timestamps keep milliseconds exactly and round down below them")
    func timestamps() {
        let date = Date(timeIntervalSince1970: 1_767_225_600.1239)
        #expect(Timestamp(date).millisecondsSince1970 == 1_767_225_600_123)
        #expect(Timestamp(Date.distantFuture) < Timestamp.distantFuture)
        #expect(Timestamp(Date(timeIntervalSince1970: .infinity)) == Timestamp.distantFuture)
    }

    /// Found by the `checkpoints` fuzz harness (issue 27): a suspension saved in a checkpoint
    /// came back one millisecond earlier, because a `Date` counts from 2001 and 5 ms after
    /// 1970 reads back as 4.99999… ms.
    @Test("a timestamp turned into a date and back is the same millisecond, across the supported years")
    func timestampsSurviveDates() {
        var random = SeededGenerator(seed: 27)
        let first: Int64 = -2_208_988_800_000  // 1900-01-01
        let last: Int64 = 7_289_654_399_999  // 2200-12-31T23:59:59.999
        var times: [Int64] = [0, 1, 3, 5, 7, 999, -1, -5, first, last]
        for _ in 0..<100_000 { times.append(first + Int64(random.next() % UInt64(last - first))) }
        for ms in times {
            let time = Timestamp(millisecondsSince1970: ms)
            #expect(Timestamp(time.date) == time, "\(ms) ms")
        }
    }
}

@Suite("Typed records")
struct TypedRecordTests {
    struct Note: Codable, Hashable, Sendable {
        var author: String
        var text: String
    }

    let notes = RecordCollection<Note>("notes") { ["author": $0.author] }

    @Test("a Codable value is stored, found by its index and updated with its version")
    func typedRoundTrip() async throws {
        let store = InMemoryStore()
        var batch = WriteBatch()
        try batch.put(Note(author: "amina", text: "hello"), id: "n1", in: notes, expecting: .absent)
        try batch.put(Note(author: "baraka", text: "hi"), id: "n2", in: notes, expecting: .absent)
        try await store.commit(batch)

        var stored = try #require(try await store.fetch("n1", from: notes))
        #expect(stored.version == 1)
        #expect(try await store.fetchAll(notes, where: IndexQuery("author", equals: "baraka")).map(\.id) == ["n2"])

        stored.value.text = "hello again"
        var update = WriteBatch()
        try update.update(stored, in: notes)
        try await store.commit(update)
        #expect(try await store.fetch("n1", from: notes)?.value.text == "hello again")
        // The same, now stale, version cannot be written twice.
        await #expect(throws: StorageError.self) { try await store.commit(update) }
    }

    @Test("ids that differ only in Unicode normalization are two records, also in one batch")
    func normalizationDistinctKeys() async throws {
        let store = InMemoryStore()
        var batch = WriteBatch()
        batch.put(Data("precomposed".utf8), at: notes.key("caf\u{E9}"), expecting: .absent)
        batch.put(Data("combining".utf8), at: notes.key("cafe\u{301}"), expecting: .absent)
        let receipt = try await store.commit(batch)
        #expect(receipt.versions.count == 2)
        #expect(try await store.record(notes.key("cafe\u{301}"))?.data == Data("combining".utf8))
        #expect(try await store.allRecords(in: "notes").count == 2)
    }

    @Test("a record that is not the type asked for is reported as corrupt, not crashed on")
    func corruptRecord() async throws {
        let store = InMemoryStore()
        var batch = WriteBatch()
        batch.put(Data("not json".utf8), at: notes.key("bad"), expecting: .absent)
        try await store.commit(batch)
        await #expect(throws: StorageError.corruptRecord(collection: "notes", id: "bad", reason: "")) {
            do { _ = try await store.fetch("bad", from: notes) } catch let error as StorageError {
                if case .corruptRecord(let c, let i, _) = error {
                    throw StorageError.corruptRecord(collection: c, id: i, reason: "")
                }
                throw error
            }
        }
    }
}
