import Foundation
import Storage

extension StorageCheck {
    /// Strings that break naive SQL, C strings or Unicode handling are stored exactly.
    public static let hostileStrings = StorageCheck(
        name: "hostileStrings",
        summary: "Quotes, backslashes, SQL, LIKE wildcards, control characters, emoji and differently "
            + "normalized spellings round-trip byte for byte as collection names, ids, index keys, streams, "
            + "subjects and kinds; record data and payloads with NUL bytes, and of 1 MB, round-trip exactly."
    ) { store in
        let collection = "records'); DROP TABLE records;--"
        let megabyte = Fixture.everyByte(count: 1 << 20)
        var expectedRecords: [Record] = []
        for (number, text) in hostileSamples.enumerated() {
            // One record per batch, so that a refused write names the id that broke it. Ids that
            // differ only in Unicode normalization are distinct records to a byte-exact store.
            let key = RecordKey(collection: collection, id: text)
            let indexName = "index \(number) \(text)"
            let data = Data(text.utf8) + Data([0, 255, 0]) + Data("after NUL".utf8)
            var batch = WriteBatch()
            batch.put(data, at: key, indexes: [indexName: text], expecting: .absent)
            try await store.commit(batch, "creating the record with id \(describe(text))")
            expectedRecords.append(Record(key: key, version: 1, data: data, indexes: [indexName: text]))
        }
        let bigKey = RecordKey(collection: collection, id: "one megabyte")
        try await store.commit(
            WriteBatch(writes: [.put(bigKey, data: megabyte, indexes: [:], expected: .absent)]),
            "creating a record of 1 MB")
        expectedRecords.append(Record(key: bigKey, version: 1, data: megabyte))

        for record in expectedRecords {
            let call = "record(\(describe(record.key)))"
            try expectRecord(
                try await attempt(call) { try await store.record(record.key) }, equals: record, call)
        }
        for record in expectedRecords {
            guard let (name, value) = record.indexes.first else { continue }
            let call = "records(in: \(describe(collection)), where: \(describe(name)) == \(describe(value)))"
            let page = try await attempt(call) {
                try await store.records(
                    in: collection, where: IndexQuery(name, equals: value), after: nil, limit: 10)
            }
            guard page.records.count == 1, let found = page.records.first, sameBytes(found.id, record.id)
            else {
                throw Mismatch(
                    "\(call) returned ids \(describe(page.records.map(\.id))), expected [\(describe(record.id))]"
                )
            }
        }
        let all = try await attempt("records(in: \(describe(collection)))") {
            try await store.records(
                in: collection, where: nil, after: nil, limit: StorageLimits.maximumPageSize)
        }
        let expectedIDs = expectedRecords.map(\.id).sorted(by: byteOrder)
        guard all.records.count == expectedIDs.count,
            zip(all.records.map(\.id), expectedIDs).allSatisfy(sameBytes)
        else {
            throw Mismatch(
                "records(in: \(describe(collection))) returned \(all.records.count) ids "
                    + "\(describe(all.records.map(\.id))), expected \(expectedIDs.count) "
                    + "\(describe(expectedIDs)) in UTF-8 byte order")
        }
        let names = try await attempt("collectionNames()") { try await store.collectionNames() }
        guard names.count == 1, let name = names.first, sameBytes(name, collection) else {
            throw Mismatch(
                "collectionNames() returned \(describe(names)), expected [\(describe(collection))]")
        }

        // Entries: every hostile string as stream, subject and kind, payloads with NUL bytes.
        var entries = hostileSamples.enumerated().map { number, text in
            LogEntry(
                id: Fixture.entryID(UInt64(number + 1)), stream: text, subject: text, kind: text,
                time: Fixture.minute(Int64(number)),
                payload: Data(text.utf8) + Data([0]) + Data("\0tail".utf8))
        }
        let next = UInt64(entries.count + 1)
        entries.append(
            LogEntry(
                id: Fixture.entryID(next), stream: "payloads", kind: "1 MB", time: Fixture.minute(0),
                payload: megabyte))
        entries.append(
            LogEntry(
                id: Fixture.entryID(next + 1), stream: "payloads", kind: "NUL only",
                time: Fixture.minute(0), payload: Data([0])))
        let stored = entries.enumerated().map {
            StoredEntry(position: UInt64($0.offset + 1), entry: $0.element)
        }
        try await store.commit(
            WriteBatch(entries: entries), "appending \(entries.count) entries with hostile strings")
        try expectEntries(
            try await attempt("entries(after: 0, limit: 1000)") {
                try await store.entries(after: 0, limit: 1_000)
            },
            equal: stored, "entries(after: 0, limit: 1000)")
        let always = Timestamp.distantPast..<Timestamp.distantFuture
        for entry in stored.prefix(hostileSamples.count) {
            for selector in [EntrySelector.stream(entry.entry.stream), .subject(entry.entry.stream)] {
                let call = "entries(matching: \(describe(selector)), after: 0, limit: 100)"
                try expectEntries(
                    try await attempt(call) {
                        try await store.entries(matching: selector, in: always, after: 0, limit: 100)
                    },
                    equal: [entry], call)
            }
        }
    }

    /// Names that cannot be stored everywhere are refused, and nothing of their batch is kept.
    public static let invalidNames = StorageCheck(
        name: "invalidNames",
        summary:
            "A collection name, id, index name or value, stream, subject or kind containing U+0000, an empty "
            + "name, or one over StorageLimits.maximumNameLength UTF-8 bytes is refused with "
            + "StorageError.invalidName, in writes (changing nothing) and in reads; a name of exactly the "
            + "maximum length is accepted."
    ) { store in
        let valid = RecordKey(collection: "names", id: "ok")
        try await store.commit(Fixture.put(valid, "seed", expecting: .absent), "creating names/ok")
        func isInvalidName(_ error: StorageError) -> Bool {
            if case .invalidName = error { return true }
            return false
        }
        let nul = "a\u{0}b"
        let maximum = String(repeating: "\u{1F600}", count: StorageLimits.maximumNameLength / 4)
        let tooLong = maximum + "a"

        // Each batch also holds a valid write and entry, so a partial application would show.
        func batch(key: RecordKey, indexes: [String: String] = [:], entry: LogEntry) -> WriteBatch {
            var batch = Fixture.put(RecordKey(collection: "names", id: "new"), "new", expecting: .absent)
            batch.append(Fixture.entry(1))
            batch.put(Data("x".utf8), at: key, indexes: indexes, expecting: .absent)
            batch.append(entry)
            return batch
        }
        let plain = RecordKey(collection: "names", id: "plain")
        let good = Fixture.entry(2)
        var cases: [(String, WriteBatch)] = [
            (
                "a collection name containing U+0000",
                batch(key: RecordKey(collection: nul, id: "x"), entry: good)
            ),
            (
                "a record id containing U+0000",
                batch(key: RecordKey(collection: "names", id: nul), entry: good)
            ),
            (
                "a record id that is only U+0000",
                batch(key: RecordKey(collection: "names", id: "\u{0}"), entry: good)
            ),
            ("an index name containing U+0000", batch(key: plain, indexes: [nul: "v"], entry: good)),
            ("an index value containing U+0000", batch(key: plain, indexes: ["i": nul], entry: good)),
            ("an empty collection name", batch(key: RecordKey(collection: "", id: "x"), entry: good)),
            ("an empty record id", batch(key: RecordKey(collection: "names", id: ""), entry: good)),
            ("an empty index name", batch(key: plain, indexes: ["": "v"], entry: good)),
            (
                "a record id of \(tooLong.utf8.count) UTF-8 bytes",
                batch(key: RecordKey(collection: "names", id: tooLong), entry: good)
            ),
        ]
        let entryCases: [(String, LogEntry)] = [
            ("a stream containing U+0000", Fixture.entry(3, stream: nul)),
            ("a subject containing U+0000", Fixture.entry(3, subject: nul)),
            ("a kind containing U+0000", Fixture.entry(3, kind: "ends with NUL\u{0}")),
            ("an empty stream", Fixture.entry(3, stream: "")),
            ("an empty kind", Fixture.entry(3, kind: "")),
            ("a stream of \(tooLong.utf8.count) UTF-8 bytes", Fixture.entry(3, stream: tooLong)),
        ]
        cases += entryCases.map { ($0.0, batch(key: plain, entry: $0.1)) }
        for (what, refused) in cases {
            try await expectRefusal(
                of: refused, described: "a batch with \(what)", throws: "StorageError.invalidName",
                where: isInvalidName, on: store)
        }

        let always = Timestamp.distantPast..<Timestamp.distantFuture
        let reads: [(String, @Sendable () async throws -> Void)] = [
            (
                "record(names/\(describe(nul)))",
                { _ = try await store.record(RecordKey(collection: "names", id: nul)) }
            ),
            (
                "record(\(describe(nul))/ok)",
                { _ = try await store.record(RecordKey(collection: nul, id: "ok")) }
            ),
            (
                "records(in: \(describe(nul)))",
                {
                    _ = try await store.records(in: nul, where: nil, after: nil, limit: 10)
                }
            ),
            (
                "records(in: \"names\", where: \(describe(nul)) == \"v\")",
                {
                    _ = try await store.records(
                        in: "names", where: IndexQuery(nul, equals: "v"), after: nil, limit: 10)
                }
            ),
            (
                "records(in: \"names\", where: \"i\" == \(describe(nul)))",
                {
                    _ = try await store.records(
                        in: "names", where: IndexQuery("i", equals: nul), after: nil, limit: 10)
                }
            ),
            (
                "entries(matching: .stream(\(describe(nul))))",
                {
                    _ = try await store.entries(matching: .stream(nul), in: always, after: 0, limit: 10)
                }
            ),
            (
                "entries(matching: .subject(\(describe(nul))))",
                {
                    _ = try await store.entries(matching: .subject(nul), in: always, after: 0, limit: 10)
                }
            ),
        ]
        for (call, read) in reads {
            try await expectFailure(call, throws: "StorageError.invalidName", where: isInvalidName) {
                try await read()
            }
        }

        // The limit is inclusive and counts UTF-8 bytes (256 emoji of 4 bytes each).
        let longest = RecordKey(collection: "names", id: maximum)
        try await store.commit(
            Fixture.put(longest, "longest", expecting: .absent),
            "creating a record whose id has exactly \(maximum.utf8.count) UTF-8 bytes")
        try expectRecord(
            try await attempt("record(names/<\(maximum.utf8.count) bytes>)") {
                try await store.record(longest)
            },
            equals: Record(key: longest, version: 1, data: Data("longest".utf8)),
            "record(names/<\(maximum.utf8.count) bytes>)")
    }

    /// Page sizes outside 1...maximumPageSize are refused, not clamped.
    public static let pageSizeLimits = StorageCheck(
        name: "pageSizeLimits",
        summary: "Every paged read refuses a limit below 1 or above StorageLimits.maximumPageSize with "
            + "StorageError.invalidArgument, and accepts 1 and the maximum."
    ) { store in
        var seed = Fixture.put(RecordKey(collection: "pages", id: "p-1"), "page", expecting: .absent)
        seed.append(Fixture.entry(1, stream: "pages"))
        try await store.commit(seed, "creating pages/p-1 and appending 1 entry")
        func isInvalidArgument(_ error: StorageError) -> Bool {
            if case .invalidArgument = error { return true }
            return false
        }
        let always = Timestamp.distantPast..<Timestamp.distantFuture
        let maximum = StorageLimits.maximumPageSize
        for limit in [0, -1, maximum + 1, Int.max] {
            let reads: [(String, @Sendable () async throws -> Void)] = [
                (
                    "records(in: \"pages\", limit: \(limit))",
                    {
                        _ = try await store.records(in: "pages", where: nil, after: nil, limit: limit)
                    }
                ),
                (
                    "entries(after: 0, limit: \(limit))",
                    { _ = try await store.entries(after: 0, limit: limit) }
                ),
                (
                    "entries(matching: .stream(\"pages\"), limit: \(limit))",
                    {
                        _ = try await store.entries(
                            matching: .stream("pages"), in: always, after: 0, limit: limit)
                    }
                ),
            ]
            for (call, read) in reads {
                try await expectFailure(
                    call, throws: "StorageError.invalidArgument", where: isInvalidArgument
                ) {
                    try await read()
                }
            }
        }
        for limit in [1, maximum] {
            let records = try await attempt("records(in: \"pages\", limit: \(limit))") {
                try await store.records(in: "pages", where: nil, after: nil, limit: limit)
            }
            try expect(
                records.records.count, equals: 1,
                "records(in: \"pages\", limit: \(limit)) returned a count of")
            let entries = try await attempt("entries(after: 0, limit: \(limit))") {
                try await store.entries(after: 0, limit: limit)
            }
            try expect(entries.count, equals: 1, "entries(after: 0, limit: \(limit)) returned a count of")
            let matching = try await attempt("entries(matching: .stream(\"pages\"), limit: \(limit))") {
                try await store.entries(matching: .stream("pages"), in: always, after: 0, limit: limit)
            }
            try expect(
                matching.count, equals: 1,
                "entries(matching: .stream(\"pages\"), limit: \(limit)) returned a count of")
        }
    }

    /// Strings that break naive SQL, C strings, LIKE patterns and Unicode comparisons. All
    /// distinct by their UTF-8 bytes (two of them differ only in normalization).
    static let hostileSamples: [String] = [
        "'", "\"", "\\", "\\'", "''", "`",
        "'); DROP TABLE records;--",
        "\" OR 1=1 --",
        "Robert'); DROP TABLE entries; --",
        "%", "_", "a_c", "abc", "100%", "*", "?", "$1", ":name", "@p",
        "NULL", "null",
        "line\nbreak", "tab\there", "carriage\rreturn", " padded ",
        "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F4BB}", "\u{1F600}", "\u{645}\u{631}\u{62D}\u{628}\u{627}",
        "\u{65E5}\u{672C}\u{8A9E}",
        "\u{E9}", "e\u{301}",
        "\u{FEFF}bom", "\u{7F}", "\u{1}\u{1F}", "\u{10FFFF}",
    ]
}
