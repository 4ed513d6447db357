import Foundation
import Storage

extension StorageCheck {
    /// A write whose expected version does not hold is refused with the exact conflict.
    public static let versionConflicts = StorageCheck(
        name: "versionConflicts",
        summary: "A create of an existing record, and an update or delete expecting another version than the "
            + "current one (or a record that does not exist), throw StorageError.versionConflict with the "
            + "expected and actual versions, and change nothing."
    ) { store in
        let key = RecordKey(collection: "accounts", id: "acct-1")
        let missing = RecordKey(collection: "accounts", id: "acct-404")
        func conflict(_ key: RecordKey, expected: ExpectedVersion, actual: UInt64?) -> StorageError {
            .versionConflict(collection: key.collection, id: key.id, expected: expected, actual: actual)
        }
        try await store.commit(Fixture.put(key, "balance 10", expecting: .absent), "creating accounts/acct-1")

        try await expectConflict(
            conflict(key, expected: .absent, actual: 1),
            committing: Fixture.put(key, "balance 0", expecting: .absent),
            described: "a create (.absent) of accounts/acct-1, which exists at version 1", on: store)
        try await expectConflict(
            conflict(key, expected: .version(2), actual: 1),
            committing: Fixture.put(key, "balance 20", expecting: .version(2)),
            described: "an update of accounts/acct-1 expecting version 2 while it is at version 1", on: store)
        try await expectConflict(
            conflict(missing, expected: .version(1), actual: nil),
            committing: Fixture.put(missing, "balance 5", expecting: .version(1)),
            described: "an update of accounts/acct-404, which does not exist, expecting version 1", on: store)
        try await expectConflict(
            conflict(key, expected: .version(2), actual: 1),
            committing: Fixture.delete(key, expecting: 2),
            described: "a delete of accounts/acct-1 expecting version 2 while it is at version 1", on: store)
        try await expectConflict(
            conflict(missing, expected: .version(1), actual: nil),
            committing: Fixture.delete(missing, expecting: 1),
            described: "a delete of accounts/acct-404, which does not exist", on: store)

        // After a successful update, the version read before it is stale.
        try await store.commit(
            Fixture.put(key, "balance 15", expecting: .version(1)), "updating accounts/acct-1")
        try await expectConflict(
            conflict(key, expected: .version(1), actual: 2),
            committing: Fixture.put(key, "balance 99", expecting: .version(1)),
            described: "a stale update of accounts/acct-1 expecting version 1 after it moved to version 2",
            on: store)
        try await expectConflict(
            conflict(key, expected: .version(1), actual: 2),
            committing: Fixture.delete(key, expecting: 1),
            described: "a stale delete of accounts/acct-1 expecting version 1 after it moved to version 2",
            on: store)
    }

    /// A batch is stored whole or not at all.
    public static let atomicBatches = StorageCheck(
        name: "atomicBatches",
        summary: "A batch applies its record writes and log entries together; when one write conflicts, none "
            + "of the writes before or after it and none of its entries are stored."
    ) { store in
        let a = RecordKey(collection: "ledger", id: "a")
        let b = RecordKey(collection: "ledger", id: "b")
        let c = RecordKey(collection: "ledger", id: "c")
        var opening = WriteBatch()
        opening.put(Data("a 1".utf8), at: a, expecting: .absent)
        opening.put(Data("b 1".utf8), at: b, expecting: .absent)
        opening.append(Fixture.entry(1, kind: "opened"))
        let receipt = try await store.commit(
            opening, "a batch creating ledger/a, ledger/b and appending 1 entry")
        try expectReceipt(
            receipt, versions: [a: 1, b: 1],
            appended: [StoredEntry(position: 1, entry: Fixture.entry(1, kind: "opened"))],
            "a batch creating ledger/a, ledger/b and appending 1 entry")
        let afterOpening = try await capture(store, "after the first batch")
        try expect(
            afterOpening.records.map(\.key.description), equals: ["ledger/a", "ledger/b"],
            "after a batch creating ledger/a and ledger/b, the store holds")
        try expect(afterOpening.head, equals: 1, "after a batch appending 1 entry, head() is")

        try await store.commit(
            Fixture.put(a, "a 2", expecting: .version(1)), "updating ledger/a to version 2")

        // The conflicting write comes last: the writes before it must not be applied.
        var conflictLast = WriteBatch()
        conflictLast.put(Data("c 1".utf8), at: c, expecting: .absent)
        conflictLast.put(Data("b 2".utf8), at: b, expecting: .version(1))
        conflictLast.put(Data("a 3".utf8), at: a, expecting: .version(1))
        conflictLast.append(Fixture.entry(2, kind: "moved"))
        conflictLast.append(Fixture.entry(3, kind: "moved"))
        try await expectConflict(
            .versionConflict(collection: "ledger", id: "a", expected: .version(1), actual: 2),
            committing: conflictLast,
            described: "a batch creating ledger/c, updating ledger/b, then updating ledger/a at the stale "
                + "version 1, with 2 entries", on: store)

        // The conflicting write comes first: the writes after it must not be applied.
        var conflictFirst = WriteBatch()
        conflictFirst.delete(a, expecting: 1)
        conflictFirst.delete(b, expecting: 1)
        conflictFirst.append(Fixture.entry(4, kind: "closed"))
        try await expectConflict(
            .versionConflict(collection: "ledger", id: "a", expected: .version(1), actual: 2),
            committing: conflictFirst,
            described: "a batch deleting ledger/a at the stale version 1, then ledger/b, with 1 entry",
            on: store)
    }

    /// A command retried with its idempotency key stores once: its key record, created expecting
    /// it absent, refuses the second commit before any of its entries go in.
    public static let keyedRetries = StorageCheck(
        name: "keyedRetries",
        summary: "A batch that creates a key record expecting it absent, together with entries, stores once "
            + "when committed twice: the second commit (the same batch, or the same key record with the fresh "
            + "entry ids a retried command mints) throws StorageError.versionConflict and appends nothing."
    ) { store in
        let key = RecordKey(collection: "idempotency", id: "member-1|request-42")
        func attempt(_ first: UInt64) -> WriteBatch {
            var batch = WriteBatch()
            batch.put(Data("points adjusted".utf8), at: key, indexes: ["actor": "member-1"], expecting: .absent)
            batch.put(
                Data("adjustment \(first)".utf8), at: RecordKey(collection: "adjustments", id: "adj-\(first)"),
                expecting: .absent)
            batch.append(Fixture.entry(first, kind: "pointsAdjusted"))
            batch.append(Fixture.entry(first + 1, kind: "pointsAdjusted"))
            return batch
        }
        let first = attempt(1)
        try await store.commit(first, "a batch creating idempotency/member-1|request-42 with 2 entries")
        let conflict = StorageError.versionConflict(
            collection: key.collection, id: key.id, expected: .absent, actual: 1)
        // Both creates of the same batch conflict now; a backend may name either.
        let either = [key, RecordKey(collection: "adjustments", id: "adj-1")].map {
            StorageError.versionConflict(collection: $0.collection, id: $0.id, expected: .absent, actual: 1)
        }
        try await expectRefusal(
            of: first, described: "the same batch committed again (a retry after the answer to its commit was lost)",
            throws: either.map(describe).joined(separator: " or "), where: either.contains, on: store)
        try await expectConflict(
            conflict, committing: attempt(11),
            described: "the batch of a retried command: the same key record, a new record and 2 new entries",
            on: store)
        let after = try await capture(store, "after the retries")
        try expect(after.head, equals: 2, "after one keyed batch of 2 entries committed three times, head() is")
        try expect(
            after.records.map(\.key.description), equals: ["adjustments/adj-1", "idempotency/member-1|request-42"],
            "after one keyed batch committed three times, the store holds")
    }

    /// A batch that writes one record twice, or expects version 0, is malformed.
    public static let malformedBatches = StorageCheck(
        name: "malformedBatches",
        summary: "A batch that writes the same record twice, or expects version 0, throws "
            + "StorageError.invalidBatch and changes nothing."
    ) { store in
        let key = RecordKey(collection: "drafts", id: "d-1")
        try await store.commit(Fixture.put(key, "v1", expecting: .absent), "creating drafts/d-1")
        func isInvalidBatch(_ error: StorageError) -> Bool {
            if case .invalidBatch = error { return true }
            return false
        }

        var twice = WriteBatch()
        twice.put(Data("v2".utf8), at: key, expecting: .version(1))
        twice.put(Data("v2 again".utf8), at: key, expecting: .version(1))
        twice.append(Fixture.entry(1))
        try await expectRefusal(
            of: twice, described: "a batch putting drafts/d-1 twice", throws: "StorageError.invalidBatch",
            where: isInvalidBatch, on: store)

        var putThenDelete = WriteBatch()
        putThenDelete.put(Data("v2".utf8), at: key, expecting: .version(1))
        putThenDelete.delete(key, expecting: 1)
        try await expectRefusal(
            of: putThenDelete, described: "a batch putting and deleting drafts/d-1",
            throws: "StorageError.invalidBatch",
            where: isInvalidBatch, on: store)

        try await expectRefusal(
            of: Fixture.put(RecordKey(collection: "drafts", id: "d-2"), "v1", expecting: .version(0)),
            described: "a put expecting version 0", throws: "StorageError.invalidBatch",
            where: isInvalidBatch,
            on: store)
        try await expectRefusal(
            of: Fixture.delete(key, expecting: 0), described: "a delete expecting version 0",
            throws: "StorageError.invalidBatch", where: isInvalidBatch, on: store)
    }
}
