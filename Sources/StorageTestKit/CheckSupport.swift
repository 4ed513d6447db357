import Foundation
import Storage

// The small vocabulary every check is written in: a finding (`Mismatch`), a store call that
// must succeed (`attempt`), a store call that must fail (`expectFailure`), comparisons that say
// what was found and what was expected, and descriptions short enough to read in a test log.

/// What a check found wrong. ``StorageConformance/run(_:on:)`` turns it into a
/// ``ConformanceFailure`` that names the check.
struct Mismatch: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

// MARK: Store calls

/// Runs a store call that must succeed; any error becomes a mismatch naming the call.
func attempt<T>(_ call: @autoclosure () -> String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let mismatch as Mismatch {
        throw mismatch
    } catch {
        throw Mismatch("\(call()) threw \(describe(error)), expected it to succeed")
    }
}

/// Runs a store call that must throw a ``StorageError`` accepted by `matches`.
func expectFailure(
    _ call: @autoclosure () -> String,
    throws expected: @autoclosure () -> String,
    where matches: (StorageError) -> Bool,
    _ body: () async throws -> Void
) async throws {
    do {
        try await body()
    } catch let error as StorageError where matches(error) {
        return
    } catch let mismatch as Mismatch {
        throw mismatch
    } catch {
        throw Mismatch("\(call()) threw \(describe(error)), expected \(expected())")
    }
    throw Mismatch("\(call()) succeeded, expected it to throw \(expected())")
}

/// Commits a batch that must be refused with `expected` (or with an error `matches` accepts)
/// and proves with a snapshot of the whole store that nothing changed.
func expectRefusal(
    of batch: WriteBatch,
    described call: String,
    throws expected: String,
    where matches: (StorageError) -> Bool,
    on store: any DataStore
) async throws {
    let before = try await capture(store, "before \(call)")
    try await expectFailure(call, throws: expected, where: matches) {
        try await store.commit(batch)
    }
    let after = try await capture(store, "after \(call)")
    if let difference = before.difference(from: after) {
        throw Mismatch("\(call) was refused but changed the store: \(difference)")
    }
}

/// Commits a batch that must fail with exactly `conflict`, changing nothing.
func expectConflict(
    _ conflict: StorageError, committing batch: WriteBatch, described call: String, on store: any DataStore
)
    async throws
{
    try await expectRefusal(
        of: batch, described: call, throws: describe(conflict), where: { $0 == conflict }, on: store)
}

/// Reads a snapshot, naming the moment in any error.
func capture(_ store: any DataStore, _ moment: String) async throws -> StoreSnapshot {
    do {
        return try await StoreSnapshot(of: store)
    } catch let mismatch as Mismatch {
        throw Mismatch("reading the whole store \(moment): \(mismatch.message)")
    } catch {
        throw Mismatch("reading the whole store \(moment) threw \(describe(error)), expected it to succeed")
    }
}

// MARK: Comparisons

/// Requires `found == expected`; the message reads "`what` `found`, expected `expected`".
func expect<T: Equatable>(_ found: T, equals expected: T, _ what: @autoclosure () -> String) throws {
    guard found == expected else {
        throw Mismatch("\(what()) \(found), expected \(expected)")
    }
}

/// Whether two strings hold the same UTF-8 bytes (String's `==` would also accept a
/// differently normalized spelling, which a byte-exact backend must not return).
func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.elementsEqual(rhs.utf8)
}

func sameBytes(_ lhs: String?, _ rhs: String?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): true
    case (let lhs?, let rhs?): sameBytes(lhs, rhs)
    default: false
    }
}

func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}

func sameIndexes(_ lhs: [String: String], _ rhs: [String: String]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    let left = lhs.sorted { byteOrder($0.key, $1.key) }
    let right = rhs.sorted { byteOrder($0.key, $1.key) }
    return zip(left, right).allSatisfy { sameBytes($0.key, $1.key) && sameBytes($0.value, $1.value) }
}

/// Requires a record read to return exactly `expected` (nil meaning no record), byte for byte.
func expectRecord(_ found: Record?, equals expected: Record?, _ call: @autoclosure () -> String) throws {
    switch (found, expected) {
    case (nil, nil):
        return
    case (let found?, nil):
        throw Mismatch("\(call()) returned \(describe(found)), expected nil")
    case (nil, let expected?):
        throw Mismatch("\(call()) returned nil, expected \(describe(expected))")
    case (let found?, let expected?):
        var wrong: [String] = []
        if !sameBytes(found.collection, expected.collection) || !sameBytes(found.id, expected.id) {
            wrong.append("key \(describe(found.key)) instead of \(describe(expected.key))")
        }
        if found.version != expected.version {
            wrong.append("version \(found.version) instead of \(expected.version)")
        }
        if found.data != expected.data {
            wrong.append("data \(describeDifference(found.data, expected.data))")
        }
        if !sameIndexes(found.indexes, expected.indexes) {
            wrong.append("indexes \(describe(found.indexes)) instead of \(describe(expected.indexes))")
        }
        guard wrong.isEmpty else {
            throw Mismatch("\(call()) returned a record with \(wrong.joined(separator: ", "))")
        }
    }
}

/// Requires a log read to return exactly `expected`: the same positions, and at each position
/// the same entry, every field byte for byte.
func expectEntries(_ found: [StoredEntry], equal expected: [StoredEntry], _ call: @autoclosure () -> String)
    throws
{
    let foundPositions = found.map(\.position)
    let expectedPositions = expected.map(\.position)
    guard foundPositions == expectedPositions else {
        throw Mismatch(
            "\(call()) returned positions \(describe(foundPositions)), expected \(describe(expectedPositions))"
        )
    }
    for (stored, wanted) in zip(found, expected) {
        let differences = entryDifferences(stored.entry, wanted.entry)
        guard differences.isEmpty else {
            throw Mismatch(
                "\(call()) returned at position \(stored.position) an entry with \(differences.joined(separator: ", "))"
            )
        }
    }
}

/// The fields in which `found` differs from `expected`, described; empty when they are equal.
func entryDifferences(_ found: LogEntry, _ expected: LogEntry) -> [String] {
    var wrong: [String] = []
    if found.id != expected.id { wrong.append("id \(found.id) instead of \(expected.id)") }
    if !sameBytes(found.stream, expected.stream) {
        wrong.append("stream \(describe(found.stream)) instead of \(describe(expected.stream))")
    }
    if !sameBytes(found.subject, expected.subject) {
        wrong.append("subject \(describe(found.subject)) instead of \(describe(expected.subject))")
    }
    if !sameBytes(found.kind, expected.kind) {
        wrong.append("kind \(describe(found.kind)) instead of \(describe(expected.kind))")
    }
    if found.time != expected.time {
        wrong.append(
            "time \(found.time.millisecondsSince1970) ms instead of \(expected.time.millisecondsSince1970) ms"
        )
    }
    if found.payload != expected.payload {
        wrong.append("payload \(describeDifference(found.payload, expected.payload))")
    }
    return wrong
}

/// Requires a receipt to list exactly the expected versions, appended entries and skipped ids.
/// Skipped ids are compared as a set: their order is not part of the contract.
func expectReceipt(
    _ receipt: CommitReceipt,
    versions: [RecordKey: UInt64] = [:],
    appended: [StoredEntry] = [],
    skipped: [EntryID] = [],
    _ commit: @autoclosure () -> String
) throws {
    let foundVersions = receipt.versions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    let expectedVersions = versions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    try expect(foundVersions, equals: expectedVersions, "the receipt of \(commit()) listed versions")
    try expectEntries(receipt.appended, equal: appended, "the receipt of \(commit()), as appended entries,")
    try expect(
        receipt.skipped.sorted(), equals: skipped.sorted(), "the receipt of \(commit()) listed as skipped")
}

// MARK: Descriptions

func describe(_ error: any Error) -> String {
    guard let error = error as? StorageError else { return "\(type(of: error)) (\(error))" }
    switch error {
    case .versionConflict(let collection, let id, let expected, let actual):
        let found = actual.map { "version \($0)" } ?? "no record"
        return "StorageError.versionConflict(\(describe(RecordKey(collection: collection, id: id))), "
            + "expected: \(expected), actual: \(found))"
    case .invalidName(let name, let reason):
        return "StorageError.invalidName(\(describe(name)), reason: \(describe(reason)))"
    case .invalidArgument(let message):
        return "StorageError.invalidArgument(\(describe(message)))"
    case .invalidBatch(let message):
        return "StorageError.invalidBatch(\(describe(message)))"
    case .corruptRecord(let collection, let id, let reason):
        return "StorageError.corruptRecord(\(describe(RecordKey(collection: collection, id: id))), "
            + "reason: \(describe(reason)))"
    case .backendFailure(let message):
        return "StorageError.backendFailure(\(describe(message)))"
    case .outcomeUnknown(let message):
        return "StorageError.outcomeUnknown(\(describe(message)))"
    }
}

/// A string as a Swift literal (escapes visible), shortened when long.
func describe(_ string: String) -> String {
    let bytes = string.utf8.count
    guard bytes > 60 else { return string.debugDescription }
    return String(string.prefix(24)).debugDescription + "… (\(bytes) UTF-8 bytes)"
}

func describe(_ string: String?) -> String {
    string.map { describe($0) } ?? "nil"
}

/// Strings as a list of Swift literals: `["a", "b\\n"]`.
func describe(_ strings: [String]) -> String {
    "[\(strings.map { describe($0) }.joined(separator: ", "))]"
}

/// A version from a receipt, or "no version" when the receipt lists none.
func describe(version: UInt64?) -> String {
    version.map(String.init) ?? "no version"
}

func describe(_ key: RecordKey) -> String {
    "\(describe(key.collection))/\(describe(key.id))"
}

func describe(_ indexes: [String: String]) -> String {
    let pairs = indexes.sorted { byteOrder($0.key, $1.key) }.map {
        "\(describe($0.key)): \(describe($0.value))"
    }
    return pairs.isEmpty ? "[:]" : "[\(pairs.joined(separator: ", "))]"
}

func describe(_ record: Record) -> String {
    "\(describe(record.key)) version \(record.version), \(describe(record.data)), indexes \(describe(record.indexes))"
}

func describe(_ data: Data) -> String {
    guard data.count <= 16 else { return "\(data.count) bytes" }
    return "\(data.count) bytes [\(data.map { String(format: "%02x", $0) }.joined(separator: " "))]"
}

/// "3 bytes [61 62 63], expected 6 bytes [...] (first difference at byte 3)".
func describeDifference(_ found: Data, _ expected: Data) -> String {
    let firstDifference =
        zip(found, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(found.count, expected.count)
    return "\(describe(found)), expected \(describe(expected)) (first difference at byte \(firstDifference))"
}

/// Positions as a list, shortened when long: "[1, 2, 3, … 7 more, 11]".
func describe(_ positions: [UInt64]) -> String {
    guard positions.count > 12 else { return "\(positions)" }
    let head = positions.prefix(6).map(String.init).joined(separator: ", ")
    let tail = positions.suffix(2).map(String.init).joined(separator: ", ")
    return "[\(head), … \(positions.count - 8) more, \(tail)] (\(positions.count) in all)"
}

func describe(_ range: Range<Timestamp>) -> String {
    "\(range.lowerBound)..<\(range.upperBound)"
}

func describe(_ selector: EntrySelector) -> String {
    switch selector {
    case .stream(let name): ".stream(\(describe(name)))"
    case .subject(let name): ".subject(\(describe(name)))"
    }
}

// MARK: Test data

/// Builders for the data the checks write: readable ids, fixed times, small entries.
enum Fixture {
    /// 2025-01-01T00:00:00Z: every check's clock starts here, so runs are repeatable.
    static let epoch = Timestamp(millisecondsSince1970: 1_735_689_600_000)

    static func minute(_ minutes: Int64) -> Timestamp {
        Timestamp(millisecondsSince1970: epoch.millisecondsSince1970 + minutes * 60_000)
    }

    /// An entry id that prints as its number: `entryID(3)` is 00000000-0000-0000-0000-000000000003.
    /// Ids with larger numbers sort after ids with smaller ones.
    static func entryID(_ number: UInt64) -> EntryID {
        let b = withUnsafeBytes(of: number.bigEndian) { Array($0) }
        return EntryID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])))
    }

    static func entry(
        _ number: UInt64,
        stream: String = "member-1",
        subject: String? = nil,
        kind: String = "posted",
        at time: Timestamp? = nil,
        payload: String = ""
    ) -> LogEntry {
        LogEntry(
            id: entryID(number), stream: stream, subject: subject, kind: kind,
            time: time ?? minute(Int64(number)), payload: Data(payload.utf8))
    }

    /// `count` bytes cycling through every byte value, NUL included.
    static func everyByte(count: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    }

    static func put(
        _ key: RecordKey, _ text: String, indexes: [String: String] = [:], expecting: ExpectedVersion
    )
        -> WriteBatch
    {
        var batch = WriteBatch()
        batch.put(Data(text.utf8), at: key, indexes: indexes, expecting: expecting)
        return batch
    }

    static func delete(_ key: RecordKey, expecting version: UInt64) -> WriteBatch {
        var batch = WriteBatch()
        batch.delete(key, expecting: version)
        return batch
    }
}

extension DataStore {
    /// Commits a batch that must succeed, naming it in any error.
    @discardableResult
    func commit(_ batch: WriteBatch, _ described: @autoclosure () -> String) async throws -> CommitReceipt {
        try await attempt(described()) { try await commit(batch) }
    }
}
