import Foundation
import Storage

extension StorageCheck {
    /// Writers that contend on one record never lose an update.
    public static let concurrentWriters = StorageCheck(
        name: "concurrentWriters",
        summary:
            "8 tasks increment the same record 50 times each (read, add one, commit expecting the version "
            + "read, retry on a version conflict); the record ends at 400, version 401: no update is lost."
    ) { store in
        let key = RecordKey(collection: "counters", id: "shared")
        let writers = 8
        let increments = 50
        try await store.commit(Fixture.put(key, "0", expecting: .absent), "creating counters/shared at 0")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 1...writers {
                group.addTask {
                    try await increment(key, in: store, times: increments, writer: writer)
                }
            }
            try await group.waitForAll()
        }
        let record = try await attempt("record(counters/shared)") { try await store.record(key) }
        let total = writers * increments
        guard let record, let count = Int(String(decoding: record.data, as: UTF8.self)) else {
            throw Mismatch(
                "record(counters/shared) after the writers returned \(record.map(describe) ?? "nil")")
        }
        guard count == total, record.version == UInt64(total + 1) else {
            throw Mismatch(
                "\(writers) writers made \(total) increments, each acknowledged by a successful commit, but "
                    + "counters/shared holds \(count) at version \(record.version), expected \(total) at version "
                    + "\(total + 1): \(total - count) updates were lost")
        }
    }

    /// A batch of 100,000 entries is stored whole and reads back page by page.
    public static let largeBatch = StorageCheck(
        name: "largeBatch",
        summary:
            "One batch of 100,000 entries is stored whole: the receipt and head() count them all, positions "
            + "run 1...100000 without a gap, and reading pages of StorageLimits.maximumPageSize returns every "
            + "entry in order."
    ) { store in
        let count = 100_000
        let entries = (1...count).map { number in
            LogEntry(
                id: Fixture.entryID(UInt64(number)), stream: "bulk-\(number % 16)", kind: "bulk",
                time: Timestamp(millisecondsSince1970: Fixture.epoch.millisecondsSince1970 + Int64(number)),
                payload: Data(String(number).utf8))
        }
        let receipt = try await store.commit(
            WriteBatch(entries: entries), "appending a batch of \(count) entries")
        guard receipt.appended.count == count, receipt.skipped.isEmpty else {
            throw Mismatch(
                "the receipt of a batch of \(count) new entries listed \(receipt.appended.count) appended and "
                    + "\(receipt.skipped.count) skipped, expected \(count) appended and 0 skipped")
        }
        if let wrong = receipt.appended.enumerated().first(where: {
            $0.element.position != UInt64($0.offset + 1) || $0.element.id != entries[$0.offset].id
        }) {
            throw Mismatch(
                "the receipt of a batch of \(count) entries listed entry \(wrong.offset + 1) of the batch "
                    + "(id \(entries[wrong.offset].id)) as id \(wrong.element.id) at position "
                    + "\(wrong.element.position), expected position \(wrong.offset + 1)")
        }
        try expect(
            try await attempt("head()") { try await store.head() }, equals: UInt64(count),
            "after a batch of \(count) entries, head() is")

        let limit = StorageLimits.maximumPageSize
        var read = 0
        var after: UInt64 = 0
        while read <= count {
            let call = "entries(after: \(after), limit: \(limit))"
            let page = try await attempt(call) { try await store.entries(after: after, limit: limit) }
            guard !page.isEmpty else { break }
            let expectedCount = min(limit, count - read)
            guard page.count == expectedCount else {
                throw Mismatch("\(call) returned \(page.count) entries, expected \(expectedCount)")
            }
            for (offset, stored) in page.enumerated() {
                let index = read + offset
                guard stored.position == UInt64(index + 1), stored.entry == entries[index] else {
                    throw Mismatch(
                        "\(call) returned at offset \(offset) position \(stored.position) (id \(stored.id)), "
                            + "expected position \(index + 1) (id \(entries[index].id))")
                }
            }
            read += page.count
            after = UInt64(read)
        }
        try expect(read, equals: count, "reading the log page by page returned a number of entries of")
    }
}

/// One writer of ``StorageCheck/concurrentWriters``: read, add one, commit expecting the
/// version read; on a version conflict read again and retry.
private func increment(_ key: RecordKey, in store: any DataStore, times: Int, writer: Int) async throws {
    let maximumAttempts = 10_000
    var attempts = 0
    var done = 0
    while done < times {
        try Task.checkCancellation()
        attempts += 1
        guard attempts <= maximumAttempts else {
            throw Mismatch(
                "writer \(writer) made \(done) of \(times) increments in \(maximumAttempts) attempts; every "
                    + "other commit was a version conflict")
        }
        let record = try await attempt("writer \(writer): record(counters/shared)") {
            try await store.record(key)
        }
        guard let record, let count = Int(String(decoding: record.data, as: UTF8.self)) else {
            throw Mismatch(
                "writer \(writer): record(counters/shared) returned \(record.map(describe) ?? "nil")")
        }
        do {
            try await store.commit(Fixture.put(key, String(count + 1), expecting: .version(record.version)))
            done += 1
        } catch StorageError.versionConflict {
            continue
        } catch {
            throw Mismatch(
                "writer \(writer): committing counters/shared = \(count + 1) expecting version \(record.version) "
                    + "threw \(describe(error)), expected success or a version conflict")
        }
    }
}
