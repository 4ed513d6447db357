import Foundation
import Storage

extension StorageCheck {
    /// An entry whose id is already stored is skipped, never stored twice.
    public static let idempotentAppend = StorageCheck(
        name: "idempotentAppend",
        summary: "An entry whose id is already stored, or repeated in its batch, is skipped: listed in the "
            + "receipt, not stored again, no position used; the rest of the batch is applied."
    ) { store in
        let first = [Fixture.entry(1, payload: "original"), Fixture.entry(2)]
        let stored = first.enumerated().map {
            StoredEntry(position: UInt64($0.offset + 1), entry: $0.element)
        }
        let receipt = try await store.commit(WriteBatch(entries: first), "appending entries 1 and 2")
        try expectReceipt(receipt, appended: stored, "appending entries 1 and 2")

        let retried = try await store.commit(WriteBatch(entries: first), "appending entries 1 and 2 again")
        try expectReceipt(
            retried, skipped: first.map(\.id), "appending entries 1 and 2 again (a retry of the same batch)")
        try expect(
            try await attempt("head()") { try await store.head() }, equals: 2,
            "after appending the same 2 entries twice, head() is")

        // A retry may carry different content under the same id: the first one stays.
        var changed = Fixture.entry(1, payload: "changed on retry")
        changed.kind = "edited"
        let entry3 = Fixture.entry(3)
        let mixed = try await store.commit(
            WriteBatch(entries: [changed, entry3, entry3]), "appending entry 1 (changed), entry 3, entry 3")
        try expectReceipt(
            mixed, appended: [StoredEntry(position: 3, entry: entry3)], skipped: [changed.id, entry3.id],
            "appending entry 1 (already stored, changed), then entry 3 twice")

        // Skipped entries do not fail the batch: its record writes are applied.
        let key = RecordKey(collection: "inbox", id: "m-1")
        var withRecord = Fixture.put(key, "hello", expecting: .absent)
        withRecord.append(Fixture.entry(2))
        let recordReceipt = try await store.commit(
            withRecord, "creating inbox/m-1 with entry 2 (already stored)")
        try expectReceipt(
            recordReceipt, versions: [key: 1], skipped: [Fixture.entryID(2)],
            "creating inbox/m-1 with entry 2, which is already stored")

        try expectEntries(
            try await attempt("entries(after: 0, limit: 100)") {
                try await store.entries(after: 0, limit: 100)
            },
            equal: stored + [StoredEntry(position: 3, entry: entry3)],
            "entries(after: 0, limit: 100) after appending entries 1, 2, 1, 2, 1, 3, 3, 2")
    }

    /// Positions count stored entries in append order; reads follow positions, not ids.
    public static let positionsAndOrdering = StorageCheck(
        name: "positionsAndOrdering",
        summary: "Positions start at 1 and grow by one per stored entry across batches, in append order "
            + "whatever the entry ids; entries(after:limit:) returns the entries after a position, "
            + "ascending, at most limit; head() is the last position."
    ) { store in
        try expect(
            try await attempt("head()") { try await store.head() }, equals: 0, "head() of an empty log is")
        try expectEntries(
            try await attempt("entries(after: 0, limit: 10)") {
                try await store.entries(after: 0, limit: 10)
            },
            equal: [], "entries(after: 0, limit: 10) on an empty log")

        // Caller-supplied ids need not ascend: these descend, and are then interleaved.
        let first = [
            Fixture.entry(30, kind: "a"), Fixture.entry(20, kind: "b"), Fixture.entry(10, kind: "c"),
        ]
        let second = [Fixture.entry(25, kind: "d"), Fixture.entry(5, kind: "e")]
        let all = (first + second).enumerated().map {
            StoredEntry(position: UInt64($0.offset + 1), entry: $0.element)
        }
        try expectReceipt(
            try await store.commit(WriteBatch(entries: first), "appending 3 entries"),
            appended: Array(all[0..<3]), "appending entries with ids 30, 20, 10 to an empty log")
        try expect(
            try await attempt("head()") { try await store.head() }, equals: 3,
            "after appending 3 entries, head() is")
        try expectReceipt(
            try await store.commit(WriteBatch(entries: second), "appending 2 entries"),
            appended: Array(all[3..<5]), "appending entries with ids 25, 5 after 3 entries")
        try expect(
            try await attempt("head()") { try await store.head() }, equals: 5,
            "after appending 5 entries, head() is")

        let reads: [(after: UInt64, limit: Int, expected: ArraySlice<StoredEntry>)] = [
            (0, 100, all[0..<5]),
            (3, 100, all[3..<5]),
            (1, 2, all[1..<3]),
            (4, 1, all[4..<5]),
            (5, 100, []),
            (1_000, 100, []),
            (.max, 100, []),
        ]
        for read in reads {
            let call = "entries(after: \(read.after), limit: \(read.limit))"
            try expectEntries(
                try await attempt(call) { try await store.entries(after: read.after, limit: read.limit) },
                equal: Array(read.expected), call)
        }
    }

    /// Range reads select one stream or subject, a half-open time range, after a position.
    public static let rangeReads = StorageCheck(
        name: "rangeReads",
        summary:
            "entries(matching:in:after:limit:) returns exactly the selected stream's or subject's entries "
            + "whose time lies in the half-open range (start included, end excluded) and whose position is "
            + "after the given one, in position order (not time order), at most limit, page by page."
    ) { store in
        let alice = "alice"
        let bob = "bob"
        let plan: [(stream: String, subject: String?, minute: Int64)] = [
            (alice, "thread-1", 10),  // 1
            (bob, "thread-1", 20),  // 2
            (alice, nil, 30),  // 3
            (alice, "thread-2", 5),  // 4
            (alice, "thread-1", 40),  // 5
            ("alice-2", "thread-1", 20),  // 6
            (bob, "thread-1", 40),  // 7
            (alice, "thread-1", 20),  // 8: earlier in time than 3 and 5, later in position
        ]
        let entries = plan.enumerated().map { index, row in
            Fixture.entry(
                UInt64(index + 1), stream: row.stream, subject: row.subject, at: Fixture.minute(row.minute))
        }
        let stored = entries.enumerated().map {
            StoredEntry(position: UInt64($0.offset + 1), entry: $0.element)
        }
        try await store.commit(WriteBatch(entries: entries), "appending 8 entries")

        func expected(_ selector: EntrySelector, _ range: Range<Timestamp>, after: UInt64) -> [StoredEntry] {
            stored.filter { entry in
                let selected: Bool
                switch selector {
                case .stream(let name): selected = sameBytes(entry.entry.stream, name)
                case .subject(let name): selected = sameBytes(entry.entry.subject, name)
                }
                return selected && range.contains(entry.entry.time) && entry.position > after
            }
        }
        let always = Timestamp.distantPast..<Timestamp.distantFuture
        let reads: [(EntrySelector, Range<Timestamp>, UInt64)] = [
            (.stream(alice), Fixture.minute(10)..<Fixture.minute(40), 0),
            (.subject("thread-1"), Fixture.minute(20)..<Fixture.minute(40), 0),
            (.stream(alice), always, 0),
            (.stream(alice), Fixture.minute(40)..<Fixture.minute(41), 0),
            (.stream(alice), Fixture.minute(20)..<Fixture.minute(20), 0),
            (.stream(alice), always, 3),
            (.subject("thread-1"), always, 5),
            (.subject("thread-3"), always, 0),
            (.stream("ali"), always, 0),
        ]
        for (selector, range, after) in reads {
            let call =
                "entries(matching: \(describe(selector)), in: \(describe(range)), after: \(after), limit: 100)"
            try expectEntries(
                try await attempt(call) {
                    try await store.entries(matching: selector, in: range, after: after, limit: 100)
                },
                equal: expected(selector, range, after: after), call)
        }

        // Page through a subject two entries at a time, resuming after the last position read.
        var pages: [[UInt64]] = []
        var after: UInt64 = 0
        while pages.count <= stored.count {
            let call =
                "entries(matching: .subject(\"thread-1\"), in: \(describe(always)), after: \(after), limit: 2)"
            let page = try await attempt(call) {
                try await store.entries(matching: .subject("thread-1"), in: always, after: after, limit: 2)
            }
            guard page.count <= 2 else { throw Mismatch("\(call) returned \(page.count) entries") }
            guard let last = page.last else { break }
            pages.append(page.map(\.position))
            after = last.position
        }
        try expect(
            pages, equals: [[1, 2], [5, 6], [7, 8]],
            "reading .subject(\"thread-1\") 2 entries per page gave the pages of positions")
    }
}
