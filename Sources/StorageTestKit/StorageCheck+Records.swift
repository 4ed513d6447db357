import Foundation
import Storage

extension StorageCheck {
    /// A record reads back exactly as committed, with its version, and is gone once deleted;
    /// log entries read back with every field.
    public static let recordRoundTrip = StorageCheck(
        name: "recordRoundTrip",
        summary: "A record reads back with the bytes, index keys and version last committed and is gone once "
            + "deleted; a log entry reads back with every field, extreme times included."
    ) { store in
        let key = RecordKey(collection: "notes", id: "note-1")
        try expectRecord(
            try await attempt("record(notes/note-1)") { try await store.record(key) }, equals: nil,
            "record(notes/note-1) on an empty store")

        let draft = Record(
            key: key, version: 1, data: Data("first draft".utf8), indexes: ["author": "ada", "topic": "db"])
        let created = try await store.commit(
            Fixture.put(key, "first draft", indexes: draft.indexes, expecting: .absent),
            "creating notes/note-1")
        try expectReceipt(created, versions: [key: 1], "creating notes/note-1")
        try expectRecord(
            try await attempt("record(notes/note-1)") { try await store.record(key) }, equals: draft,
            "record(notes/note-1) after creating it")
        try expect(
            try await attempt("collectionNames()") { try await store.collectionNames() }, equals: ["notes"],
            "collectionNames() after creating notes/note-1 returned")

        // An update replaces the bytes and the whole set of index keys.
        let final = Record(
            key: key, version: 2, data: Data("final text".utf8), indexes: ["author": "ada", "state": "final"])
        let updated = try await store.commit(
            Fixture.put(key, "final text", indexes: final.indexes, expecting: .version(1)),
            "updating notes/note-1")
        try expectReceipt(updated, versions: [key: 2], "updating notes/note-1 at version 1")
        try expectRecord(
            try await attempt("record(notes/note-1)") { try await store.record(key) }, equals: final,
            "record(notes/note-1) after updating it")

        let deleted = try await store.commit(Fixture.delete(key, expecting: 2), "deleting notes/note-1")
        try expectReceipt(deleted, "deleting notes/note-1 at version 2")
        try expectRecord(
            try await attempt("record(notes/note-1)") { try await store.record(key) }, equals: nil,
            "record(notes/note-1) after deleting it")
        let page = try await attempt("records(in: \"notes\")") {
            try await store.records(in: "notes", where: nil, after: nil, limit: 10)
        }
        try expect(
            page.records.map(\.id), equals: [],
            "records(in: \"notes\") after the only note was deleted returned ids")
        let names = try await attempt("collectionNames()") { try await store.collectionNames() }
        try expect(names, equals: [], "collectionNames() once every record was deleted returned")

        let entries = [
            LogEntry(
                id: Fixture.entryID(1), stream: "member-1", subject: "thread-9", kind: "replied",
                time: Timestamp(millisecondsSince1970: -1), payload: Data("{\"words\":12}".utf8)),
            LogEntry(id: Fixture.entryID(2), stream: "member-2", kind: "joined", time: .distantPast),
            LogEntry(
                id: Fixture.entryID(3), stream: "member-1", subject: "thread-9", kind: "left",
                time: .distantFuture,
                payload: Data("bye".utf8)),
        ]
        let stored = entries.enumerated().map {
            StoredEntry(position: UInt64($0.offset + 1), entry: $0.element)
        }
        let receipt = try await store.commit(WriteBatch(entries: entries), "appending 3 entries")
        try expectReceipt(receipt, appended: stored, "appending 3 entries to an empty log")
        try expectEntries(
            try await attempt("entries(after: 0, limit: 10)") {
                try await store.entries(after: 0, limit: 10)
            },
            equal: stored, "entries(after: 0, limit: 10)")
    }

    /// A deleted record is absent: creating it again starts over at version 1.
    public static let deleteThenRecreate = StorageCheck(
        name: "deleteThenRecreate",
        summary:
            "A deleted record is absent: updating it conflicts, and creating it again starts at version 1."
    ) { store in
        let key = RecordKey(collection: "sessions", id: "s-1")
        try await store.commit(Fixture.put(key, "opened", expecting: .absent), "creating sessions/s-1")
        try await store.commit(Fixture.put(key, "renewed", expecting: .version(1)), "updating sessions/s-1")
        try await store.commit(Fixture.delete(key, expecting: 2), "deleting sessions/s-1 at version 2")

        try await expectConflict(
            .versionConflict(collection: "sessions", id: "s-1", expected: .version(2), actual: nil),
            committing: Fixture.put(key, "stale", expecting: .version(2)),
            described: "an update of the deleted sessions/s-1 expecting its last version 2", on: store)

        let recreated = try await store.commit(
            Fixture.put(key, "reopened", expecting: .absent), "creating sessions/s-1 again after deleting it")
        try expect(
            describe(version: recreated.versions[key]), equals: "1",
            "creating sessions/s-1 again after deleting it at version 2 gave the receipt version")
        try expectRecord(
            try await attempt("record(sessions/s-1)") { try await store.record(key) },
            equals: Record(key: key, version: 1, data: Data("reopened".utf8)),
            "record(sessions/s-1) after deleting and creating it again")
        let updated = try await store.commit(
            Fixture.put(key, "renewed again", expecting: .version(1)),
            "updating the re-created sessions/s-1 at version 1")
        try expect(
            describe(version: updated.versions[key]), equals: "2",
            "updating the re-created sessions/s-1 gave the receipt version")
    }

    /// Index reads return exactly the records whose index equals the value, in byte order of
    /// their ids, page by page.
    public static let indexReads = StorageCheck(
        name: "indexReads",
        summary:
            "records(in:where:after:limit:) returns exactly the records whose index equals the value (byte "
            + "for byte), ordered by the UTF-8 bytes of their ids, page by page with the cursor, and follows "
            + "updates and deletes."
    ) { store in
        // Values a sloppy backend confuses with "NL": other case, a LIKE pattern, a trailing
        // space, a prefix; ids whose byte order differs from a linguistic one.
        let members: [(id: String, indexes: [String: String])] = [
            ("B", ["country": "NL"]),
            ("a", ["country": "NL", "city": "Amsterdam"]),
            ("b", ["country": "nl"]),
            ("z", ["country": "N_"]),
            ("\u{E9}", ["country": "NL"]),
            ("10", ["country": "NL "]),
            ("9", ["country": "NL"]),
            ("x", ["city": "NL"]),
            ("y", [:]),
            ("e", ["country": ""]),
            ("n", ["country": "N"]),
        ]
        var batch = WriteBatch()
        for member in members {
            batch.put(
                Data("member \(member.id)".utf8), at: RecordKey(collection: "members", id: member.id),
                indexes: member.indexes, expecting: .absent)
        }
        batch.put(
            Data("guest".utf8), at: RecordKey(collection: "guests", id: "a"), indexes: ["country": "NL"],
            expecting: .absent)
        try await store.commit(batch, "creating 11 members and 1 guest")

        try await expectIDs(
            store, "members", where: IndexQuery("country", equals: "NL"), equal: ["9", "B", "a", "\u{E9}"])
        try await expectIDs(store, "members", where: IndexQuery("country", equals: "N_"), equal: ["z"])
        try await expectIDs(store, "members", where: IndexQuery("country", equals: ""), equal: ["e"])
        try await expectIDs(store, "members", where: IndexQuery("country", equals: "nl"), equal: ["b"])
        try await expectIDs(store, "members", where: IndexQuery("country", equals: "XX"), equal: [])
        try await expectIDs(store, "members", where: IndexQuery("city", equals: "NL"), equal: ["x"])
        try await expectIDs(store, "members", where: nil, equal: members.map(\.id).sorted(by: byteOrder))

        // A cursor is any id: reading resumes after it whether or not such a record exists.
        let afterCursor = try await attempt("records(in: \"members\", after: \"aa\", limit: 100)") {
            try await store.records(in: "members", where: nil, after: "aa", limit: 100)
        }
        try expect(
            afterCursor.records.map(\.id), equals: ["b", "e", "n", "x", "y", "z", "\u{E9}"],
            "records(in: \"members\", where: nil, after: \"aa\", limit: 100) returned ids")

        // Index keys follow updates and deletes.
        try await store.commit(
            Fixture.put(
                RecordKey(collection: "members", id: "a"), "moved", indexes: ["country": "BE"],
                expecting: .version(1)),
            "moving members/a from NL to BE")
        try await store.commit(
            Fixture.delete(RecordKey(collection: "members", id: "B"), expecting: 1), "deleting members/B")
        try await expectIDs(
            store, "members", where: IndexQuery("country", equals: "NL"), equal: ["9", "\u{E9}"])
        try await expectIDs(store, "members", where: IndexQuery("country", equals: "BE"), equal: ["a"])
    }
}

/// Reads every page of an index query two records at a time and requires the ids, in order.
private func expectIDs(
    _ store: any DataStore, _ collection: String, where query: IndexQuery?, equal expected: [String]
)
    async throws
{
    let call =
        "records(in: \(describe(collection)), where: "
        + (query.map { "\(describe($0.name)) == \(describe($0.value))" } ?? "nil") + ")"
    let limit = 2
    var ids: [String] = []
    var cursor: String? = nil
    var pages = 0
    repeat {
        let page = try await attempt("\(call) after \(describe(cursor))") {
            try await store.records(in: collection, where: query, after: cursor, limit: limit)
        }
        pages += 1
        guard page.records.count <= limit else {
            throw Mismatch("\(call) returned \(page.records.count) records on a page of limit \(limit)")
        }
        ids += page.records.map(\.id)
        if let next = page.nextCursor, let previous = cursor, !byteOrder(previous, next) {
            throw Mismatch(
                "\(call) after \(describe(previous)) returned the cursor \(describe(next)), which does not advance"
            )
        }
        guard pages <= expected.count + 2 else {
            throw Mismatch(
                "\(call) still returned a cursor after \(pages) pages of \(limit) for \(expected.count) records"
            )
        }
        cursor = page.nextCursor
    } while cursor != nil
    guard ids.count == expected.count, zip(ids, expected).allSatisfy(sameBytes) else {
        throw Mismatch(
            "\(call), read \(limit) per page, returned ids \(describe(ids)), expected \(describe(expected))")
    }
}
