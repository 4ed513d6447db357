import CommunityModel
import Foundation
import Storage

/// Brings an existing school into a new community: its members, programmes, enrolments and
/// completions with their original dates, chapters, memberships, organizers and years of
/// activity, at the speed the store allows.
///
/// ```swift
/// let importer = try await CommunityImporter.begin("school-2026", into: community)
/// try await importer.add(rows)            // in time order; as often as needed
/// let report = try await importer.finish()
/// for rejection in report.rejections { print(rejection) }   // members.csv:12: email: …
/// ```
///
/// - **Checked as the commands check**: each row goes through the validators of the command it
///   stands for (a member as `registerMember`, a completion's certificate date as
///   `recordCompletion`, a chapter as `createChapter`); a refused row is reported with its file,
///   line, field and reason, and the good rows around it go in. Historical activity is checked
///   for shape, not authorized again.
/// - **Only into a community with no live activity**: ``begin(_:into:options:)`` refuses a
///   store whose log has grown since the last import finished, and while an import runs every
///   command is refused, so log positions follow time. Rows go in time order; a row earlier
///   than one already imported is rejected.
/// - **Idempotent and resumable**: rows are committed in chunks, each with a progress record in
///   the same transaction, and every entry's id derives from the import, file and line. After
///   a kill, ``begin(_:into:options:)`` with the same source resumes, and sending the same rows
///   again skips what went in; so does running a finished import's files again.
/// - **The school's ids and emails stay out of the log**: the library mints opaque member ids;
///   the school's id is kept in a record of its own, the email in the member's contact record,
///   both erasable.
/// - **Fast**: on a store that is `BulkLoading` (SQLite, PostgreSQL) the log's secondary
///   indexes are set aside during the import and built once at ``finish()``.
///
/// An import is an integrator call: no member acts, nothing is authorized.
public actor CommunityImporter {
    /// How an import commits.
    public struct Options: Sendable {
        /// Rows per transaction (default 100,000: larger transactions load faster, see
        /// Benchmarks/RESULTS.md). A kill loses the rows not yet committed, which a resume
        /// imports again.
        public var chunkSize: Int
        /// Whether a person whose data was erased on request (recognised by a keyed hash of their
        /// email or school id) is imported again. False by default: such a row is refused.
        public var readmitsErased: Bool

        public init(chunkSize: Int = 100_000, readmitsErased: Bool = false) {
            self.chunkSize = chunkSize
            self.readmitsErased = readmitsErased
        }
    }

    /// The kinds a historical activity row may have: activity whose effects live in the log
    /// alone. Joins, enrolments, completions, memberships and appointments have rows of their
    /// own (they make records too); derived kinds, reversals, moderation and staff adjustments
    /// are not history a school brings.
    public static let historicalKinds: Set<ActivityKind> = [
        .startedThread, .askedQuestion, .replied, .answered, .answerAccepted, .gaveFeedback, .reacted, .thanked,
        .announced, .shared, .createdEvent, .cancelledEvent, .registeredForEvent, .waitlistedForEvent,
        .promotedFromWaitlist, .cancelledRegistration, .eventCancelledForRegistrant, .attendedEvent, .checkedIn,
        .attendedTraining,
    ]

    /// The import's name; resuming takes the same one.
    public let source: String
    let community: CommunityService
    let store: any DataStore
    let options: Options
    var progress: ImportProgress
    var progressVersion: UInt64?
    var state: ImportState
    var chunk = Chunk()
    var report = ImportReport()
    var origins: [String: UInt64] = [:]
    var days = LocalDayCache()
    /// Set when a commit failed: what is held in memory may be ahead of the store.
    var broken: String?
    /// The chunk being committed, and its commit.
    var inFlight: Task<CommitReceipt, any Error>?

    init(
        source: String, community: CommunityService, options: Options, progress: Versioned<ImportProgress>?,
        state: ImportState
    ) {
        self.source = source
        self.community = community
        self.store = community.store
        self.options = options
        self.progress = progress?.value ?? ImportProgress(source: source)
        self.progressVersion = progress?.version
        self.state = state
    }

    /// Begins an import, or resumes the one of the same source that a kill interrupted.
    ///
    /// - Parameters:
    ///   - source: the import's name (an id: letters, digits, `-`, `_`, `.`); rows of another
    ///     run under the same name that were already handled are skipped.
    ///   - community: the community to import into.
    ///   - options: how the import commits.
    /// - Throws: `CommunityError.invalidState` when the community has live activity (its
    ///   log grew since the last import finished) or another import is under way;
    ///   `CommunityError.invalidInput` for a malformed source.
    public static func begin(_ source: String, into community: CommunityService, options: Options = Options())
        async throws(CommunityError) -> CommunityImporter
    {
        try Validate.id(source, field: "source")
        guard options.chunkSize > 0 else {
            throw .invalidInput(field: "chunkSize", reason: "must be at least 1 row a transaction")
        }
        let store = community.store
        let progress = try await withCommunityErrors { () async throws -> Versioned<ImportProgress>? in
            let marker = try await store.fetch(ImportMarker.id, from: Collections.importMarker)
            if let marker, marker.value.source != source {
                throw CommunityError.invalidState(
                    "Another import (\(marker.value.source)) is under way; resume it with its source, or let it finish."
                )
            }
            let progress = try await store.fetch(source, from: ImportCollections.progress)
            if marker == nil {
                let status = try await store.fetch("last", from: ImportCollections.status)
                let head = try await store.head()
                guard try await Self.onlyErasures(in: store, after: status?.value.head ?? 0, through: head) else {
                    throw CommunityError.invalidState(
                        "The community already has live activity (its log holds \(head) entries"
                            + (status.map { " past the import \($0.value.source), which ended at \($0.value.head)" }
                                ?? "")
                            + "); an import goes only into a community whose log holds nothing but imports (and erasures)."
                    )
                }
                var batch = WriteBatch()
                try batch.put(
                    ImportMarker(source: source, startedAt: Timestamp(community.clock.now())), id: ImportMarker.id,
                    in: Collections.importMarker, expecting: .absent)
                try await store.commit(batch)
            }
            return progress
        }
        if let bulk = store as? any BulkLoading {
            try await withCommunityErrors { try await bulk.prepareForBulkLoad() }
        }
        let state = try await ImportState.load(from: store)
        return CommunityImporter(
            source: source, community: community, options: options, progress: progress, state: state)
    }

    /// Whether the log entries after `start` through `head` are all erasures: the only live
    /// activity an import may follow (they change no history; rows must still be later).
    private static func onlyErasures(in store: any DataStore, after start: UInt64, through head: UInt64) async throws
        -> Bool
    {
        guard head > start else { return head == start }
        guard head - start <= 10_000 else { return false }
        return try await store.entries(after: start, limit: Int(head - start)).allSatisfy {
            $0.entry.kind == ActivityKind.memberErased.rawValue
        }
    }

    /// Imports rows, in time order, committing every ``Options/chunkSize`` rows. Call it as
    /// often as needed (a file at a time, a chunk at a time); rows that an earlier run of this
    /// import handled (by file and line) are skipped.
    ///
    /// - Throws: `CommunityError.invalidInput` for a row whose location cannot name it (a file
    ///   name that is not an id, a line below 1): the rows before it are kept, nothing of it;
    ///   `CommunityError.storage` when the store fails (then begin again to resume). A refused
    ///   row is not an error but a rejection in the report.
    public func add(_ rows: some Sequence<ImportRow>) async throws(CommunityError) {
        if let broken { throw .invalidState("The import stopped (\(broken)); begin it again to resume.") }
        for row in rows {
            // Where a row came from names its entries and its refusal: it must be usable as both.
            try Validate.id(row.location.file, field: "location.file")
            guard row.location.line >= 1, row.location.line < 1 << 34 else {
                throw .invalidInput(
                    field: "location.line", reason: "\(row.location.line) is not a line: lines count from 1")
            }
            let handled = max(progress.lines[row.location.file] ?? 0, chunk.lines[row.location.file] ?? 0)
            if row.location.line <= handled {
                report.skipped += 1
                continue
            }
            do {
                try stage(row)
                chunk.imported += 1
            } catch let error as Refusal {
                chunk.rejections.append(
                    ImportRejection(
                        file: row.location.file, line: row.location.line, field: error.field, reason: error.reason))
            } catch let error as CommunityError {
                if case .storage = error { throw stop(error) }
                let (field, reason) = Self.describe(error)
                chunk.rejections.append(
                    ImportRejection(file: row.location.file, line: row.location.line, field: field, reason: reason))
            } catch {
                throw stop(.storage(.backendFailure("\(error)")))
            }
            chunk.handled(row.location)
            if chunk.rows >= options.chunkSize { try await commitChunk() }
        }
    }

    /// Commits the rows added so far and waits for the store: when it returns, every row added
    /// is stored (imported, or kept as refused), and a kill from here on loses nothing. `add`
    /// commits on its own every ``Options/chunkSize`` rows; call this to know where you stand.
    public func commit() async throws(CommunityError) {
        if let broken { throw .invalidState("The import stopped (\(broken)); begin it again to resume.") }
        try await commitChunk()
        try await settle()
    }

    /// Commits what is left, builds the log's indexes, ends the import (commands are accepted
    /// again) and returns the report: the rows this run imported and skipped, and every row
    /// refused since the import began (a kill does not lose them).
    public func finish() async throws(CommunityError) -> ImportReport {
        if let broken { throw .invalidState("The import stopped (\(broken)); begin it again to resume.") }
        try await commitChunk()
        try await settle()
        let store = self.store
        let source = self.source
        if let bulk = store as? any BulkLoading {
            try await withCommunityErrors { try await bulk.finishBulkLoad() }
        }
        let rejections = try await withCommunityErrors {
            try await store.fetchAll(ImportCollections.rejections).filter { $0.id.hasPrefix(source + "|") }
        }
        // Deleted in chunks of their own; the marker goes last, with the status.
        for start in stride(from: 0, to: rejections.count, by: 10_000) {
            var batch = WriteBatch()
            for rejection in rejections[start..<min(start + 10_000, rejections.count)] {
                batch.delete(ImportCollections.rejections.key(rejection.id), expecting: rejection.version)
            }
            _ = try await withCommunityErrors { try await store.commit(batch) }
        }
        try await withCommunityErrors {
            var batch = WriteBatch()
            let head = try await store.head()
            let status = try await store.fetch("last", from: ImportCollections.status)
            let finished = ImportStatus(source: source, head: head)
            if let status {
                try batch.update(
                    Versioned(id: "last", version: status.version, value: finished), in: ImportCollections.status)
            } else {
                try batch.put(finished, id: "last", in: ImportCollections.status, expecting: .absent)
            }
            if let marker = try await store.fetch(ImportMarker.id, from: Collections.importMarker) {
                batch.delete(Collections.importMarker.key(marker.id), expecting: marker.version)
            }
            try await store.commit(batch)
        }
        report.rejections = rejections.map(\.value).sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        return report
    }

    /// Sends the chunk, with the progress it makes, to the store as one transaction, and goes
    /// on: the next chunk is checked while this one commits (the store works on its own
    /// thread). Each commit waits for the one before it, so their versions follow; if one
    /// fails, the import stops and resumes from what the store holds.
    func commitChunk() async throws(CommunityError) {
        guard chunk.rows > 0 else { return }
        try await settle()
        try await resolveRoles()
        var next = progress
        for (file, line) in chunk.lines { next.lines[file] = max(next.lines[file] ?? 0, line) }
        next.lastTime = state.lastTime
        next.imported += chunk.imported
        report.imported += chunk.imported
        report.entries += chunk.entries.count
        next.rejected += chunk.rejections.count
        next.entries += chunk.entries.count
        var batch = WriteBatch(writes: chunk.writes.list, entries: chunk.entries)
        do {
            try batch.put(
                next, id: source, in: ImportCollections.progress,
                expecting: progressVersion.map { .version($0) } ?? .absent)
            for rejection in chunk.rejections {
                try batch.put(
                    rejection, id: CompositeKey.make(source, rejection.file, rejection.line),
                    in: ImportCollections.rejections, expecting: .absent)
            }
        } catch {
            throw stop(CommunityService.communityError(from: error))
        }
        let store = self.store
        let commit = batch
        inFlight = Task { try await store.commit(commit) }
        progressVersion = (progressVersion ?? 0) + 1
        progress = next
        chunk = Chunk()
    }

    /// Adds the roles members gained in this chunk to their records: the record this chunk
    /// writes, or the stored one (read now that the chunk before has landed).
    func resolveRoles() async throws(CommunityError) {
        let store = self.store
        for (member, roles) in chunk.roles.sorted(by: { $0.key < $1.key }) {
            if var pending = chunk.writes.member(member) {
                pending.roles.formUnion(roles)
                try withStorageErrors {
                    try chunk.writes.put(pending, id: member.rawValue, in: Collections.members, expecting: .absent)
                }
                continue
            }
            let stored = try await withCommunityErrors {
                try await store.fetch(member.rawValue, from: Collections.members)
            }
            guard var stored, !roles.isSubset(of: stored.value.roles) else { continue }
            stored.value.roles.formUnion(roles)
            try withStorageErrors {
                try chunk.writes.put(
                    stored.value, id: member.rawValue, in: Collections.members, expecting: .version(stored.version))
            }
        }
    }

    private func withStorageErrors(_ body: () throws -> Void) throws(CommunityError) {
        do { try body() } catch { throw stop(.storage(.backendFailure("\(error)"))) }
    }

    /// Waits for the chunk in flight to commit.
    func settle() async throws(CommunityError) {
        guard let task = inFlight else { return }
        inFlight = nil
        do {
            _ = try await task.value
        } catch {
            throw stop(CommunityService.communityError(from: error as? StorageError ?? .backendFailure("\(error)")))
        }
    }

    func stop(_ error: CommunityError) -> CommunityError {
        broken = "\(error)"
        return error
    }

    /// A refused row's field and reason, from the command's own error.
    static func describe(_ error: CommunityError) -> (field: String, reason: String) {
        switch error {
        case .invalidInput(let field, let reason): (field, reason)
        case .unknownCountry: ("country", error.description)
        case .unknownTimeZone: ("timeZone", error.description)
        default: ("row", error.description)
        }
    }
}

/// A row refused by the import's own checks (the commands' checks throw `CommunityError`).
struct Refusal: Error {
    var field: String
    var reason: String
}
