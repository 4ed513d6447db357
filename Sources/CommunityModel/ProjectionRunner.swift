import Foundation
import Storage

/// A pure fold over the activity log whose state can be saved together with the log position it
/// reflects, so that a restart continues from there instead of replaying everything.
///
/// Engagement, points, streaks, leaderboards and badges are all projections. A conforming type
/// promises three things, which ``ProjectionRunner`` relies on:
///
/// - **Idempotent.** ``apply(_:)`` ignores events at or below ``position``.
/// - **Deterministic.** The state after a sequence of events depends on the events only (and on
///   ``configuration``), never on the clock or on how the sequence was cut into pages.
/// - **Round trip.** ``restoreState(from:position:)`` after ``encodeState(into:)`` gives a
///   projection equal to the one encoded.
public protocol ActivityProjection: Sendable {
    /// The name its checkpoint is saved under. Two projections of the same type with different
    /// configurations that run side by side need different names.
    var checkpointName: String { get }
    /// Everything besides the log that the state depends on (for instance the policy, as JSON).
    /// A checkpoint saved under another configuration is not restored: the projection is rebuilt
    /// from the start of the log instead.
    var configuration: String { get }
    /// The log position of the last event applied; 0 before any.
    var position: UInt64 { get }
    /// Applies one logged event, ignoring it when its position is not above ``position``.
    ///
    /// Throws when the entry holds something the projection cannot use; the state must then be
    /// as it was. ``ProjectionHost`` quarantines such an entry for this projection alone and
    /// goes on with the next (see ``QuarantinedEntry``).
    mutating func apply(_ logged: LoggedActivity) throws
    /// Applies one logged event with read access to the projections registered before this one
    /// on a ``ProjectionHost``, as they stand after the same event (the badges read the points
    /// ledger this way). The default calls ``apply(_:)``.
    mutating func apply(_ logged: LoggedActivity, reading earlier: ProjectionReader) throws
    /// The records (and log entries) the projection decided to store since the last call, such
    /// as badge awards. ``ProjectionHost`` commits them in the same batch as the checkpoint of
    /// the state that produced them, so that neither is saved without the other. The default
    /// has none.
    mutating func takeEffects() -> [ProjectionEffect]
    /// Writes the state, without the position (the checkpoint keeps that).
    func encodeState(into writer: inout BinaryWriter)
    /// Replaces the state with one that ``encodeState(into:)`` wrote at `position`.
    ///
    /// - Throws: `StorageError.corruptRecord(collection:id:reason:)` when the bytes
    ///   are not such a state; the projection is then unchanged.
    mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError)
}

extension ActivityProjection {
    public mutating func takeEffects() -> [ProjectionEffect] { [] }

    public mutating func apply(_ logged: LoggedActivity, reading earlier: ProjectionReader) throws {
        try apply(logged)
    }

    /// A policy as JSON with sorted keys: the same bytes in every process, so it can serve as
    /// (part of) a ``configuration``.
    public static func configurationText(of policy: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(policy)).map { String(decoding: $0, as: UTF8.self) } ?? "\(policy)"
    }
}

/// A record a projection decided to store, with the log entry that announces it, if any: an
/// effect of folding the log, committed atomically with the checkpoint of the state that
/// produced it (see ``ActivityProjection/takeEffects()``).
///
/// An effect creates its record only if it is absent: an effect already stored (by another
/// process that folded the same entries) is not stored again, and its entry (whose id the
/// projection derives from the record, so that it is the same in every process) is not
/// appended again.
public struct ProjectionEffect: Sendable {
    public let key: RecordKey
    let data: Data
    let indexes: [String: String]
    public let entry: LogEntry?

    /// An effect that creates `value` under `id` in `collection`, and appends `entry` with it.
    public static func create<Value>(
        _ value: Value, id: String, in collection: RecordCollection<Value>, logging entry: LogEntry? = nil
    ) throws(StorageError) -> ProjectionEffect {
        ProjectionEffect(
            key: collection.key(id), data: try collection.encode(value), indexes: collection.indexes(of: value),
            entry: entry)
    }

    func add(to batch: inout WriteBatch) {
        batch.put(data, at: key, indexes: indexes, expecting: .absent)
        if let entry { batch.append(entry) }
    }
}

/// What a saved checkpoint holds besides the state: the record a ``ProjectionRunner`` reads
/// first.
public struct ProjectionCheckpoint: Codable, Hashable, Sendable {
    /// The projection's ``ActivityProjection/checkpointName``.
    public var name: String
    /// The projection's ``ActivityProjection/configuration`` when it was saved.
    public var configuration: String
    /// The log position the state reflects.
    public var position: UInt64
    /// Increases by one with every save; the state's chunks are named after it.
    public var generation: UInt64
    /// The number of chunk records that hold the state.
    public var chunkCount: Int
    /// The state's size in bytes.
    public var byteCount: Int
    /// FNV-1a (64 bit) of the state's bytes, checked on restore.
    public var checksum: UInt64
}

/// Keeps projections up to date from the log and saves them with their position.
///
/// ```swift
/// let runner = try ProjectionRunner(store: store)
/// var engagement = try EngagementProjection()
/// let report = try await runner.catchUp(&engagement)   // restores the checkpoint, folds the rest, saves
/// let superusers = engagement.superusers(on: today)
/// ```
///
/// A checkpoint is a header record in ``checkpointCollection`` and the state in chunk records
/// of at most ``chunkBytes`` bytes, all written in one commit: a reader sees the previous
/// checkpoint or the new one, never a mix. Saving is optimistic: when another process saved a
/// newer checkpoint meanwhile, the older state is not written over it.
///
/// Rebuilding from zero (a fresh projection and `restoringCheckpoint: false`) gives a state equal
/// to the incremental one; the tests check this for every projection.
public struct ProjectionRunner: Sendable {
    /// The collection of checkpoint headers, one per projection name.
    public static let checkpointCollection = RecordCollection<ProjectionCheckpoint>("projection-checkpoints")
    /// The collection of the chunks of state.
    public static let chunkCollection = "projection-chunks"

    public let store: any DataStore
    /// Log entries read per page.
    public let pageSize: Int
    /// During a long catch-up, a checkpoint is saved after this many events (and once at the end).
    public let checkpointInterval: Int
    /// The largest chunk of state in one record.
    public let chunkBytes: Int

    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for a page size outside
    ///   `1…StorageLimits.maximumPageSize`, or an interval or chunk size below 1.
    public init(
        store: any DataStore, pageSize: Int = 1_000, checkpointInterval: Int = 500_000, chunkBytes: Int = 4 << 20
    ) throws(CommunityError) {
        guard (1...StorageLimits.maximumPageSize).contains(pageSize) else {
            throw .invalidInput(
                field: "pageSize", reason: "must be 1 to \(StorageLimits.maximumPageSize), not \(pageSize)")
        }
        guard checkpointInterval >= 1 else {
            throw .invalidInput(field: "checkpointInterval", reason: "must be at least 1, not \(checkpointInterval)")
        }
        guard chunkBytes >= 1 else {
            throw .invalidInput(field: "chunkBytes", reason: "must be at least 1, not \(chunkBytes)")
        }
        self.store = store
        self.pageSize = pageSize
        self.checkpointInterval = checkpointInterval
        self.chunkBytes = chunkBytes
    }

    /// What ``catchUp(_:restoringCheckpoint:)`` did.
    public struct Report: Hashable, Sendable {
        /// The position of the checkpoint restored, or nil when none was.
        public var restoredPosition: UInt64?
        /// Why a saved checkpoint was not used (another configuration, damaged bytes), or nil.
        public var discardedCheckpoint: String?
        /// Events applied from the log.
        public var applied: Int
        /// The projection's position at the end.
        public var position: UInt64
        /// Checkpoints written.
        public var checkpointsSaved: Int
    }

    /// Brings `projection` up to the head of the log: restores the saved checkpoint when it is
    /// newer than the projection and has the same configuration, applies every later event, and
    /// saves a checkpoint every ``checkpointInterval`` events and at the end.
    ///
    /// When it throws part-way, `projection` holds the events applied until then (its position
    /// says which), so calling again continues.
    ///
    /// - Parameters:
    ///   - projection: the projection to bring up to date, in place.
    ///   - restoringCheckpoint: false to fold from the projection's own position and ignore any
    ///     saved checkpoint (a rebuild, when given an empty projection).
    ///
    /// - Complexity: O(k) for the k entries after the projection's position, read a page at a
    ///   time; a checkpoint is saved every `checkpointInterval` entries.
    @discardableResult
    public func catchUp<Projection: ActivityProjection>(
        _ projection: inout Projection, restoringCheckpoint: Bool = true
    ) async throws(CommunityError) -> Report {
        var report = Report(
            restoredPosition: nil, discardedCheckpoint: nil, applied: 0, position: projection.position,
            checkpointsSaved: 0)
        if restoringCheckpoint {
            switch try await restore(&projection) {
            case .restored(let position): report.restoredPosition = position
            case .discarded(let reason): report.discardedCheckpoint = reason
            case .none: break
            }
        }
        var sinceSave = 0
        while true {
            let position = projection.position
            let page = try await withCommunityErrors { try await store.entries(after: position, limit: pageSize) }
            for stored in page {
                let logged: LoggedActivity
                do { logged = try LoggedActivity(stored) } catch { throw CommunityError.storage(error) }
                do { try projection.apply(logged) } catch {
                    throw CommunityError.invalidState(
                        "Log entry \(stored.position) cannot be applied to \(projection.checkpointName): \(error). "
                            + "A ProjectionHost quarantines such an entry and goes on.")
                }
            }
            report.applied += page.count
            sinceSave += page.count
            if sinceSave >= checkpointInterval {
                if try await save(projection) { report.checkpointsSaved += 1 }
                sinceSave = 0
            }
            if page.count < pageSize { break }
        }
        if sinceSave > 0 || report.discardedCheckpoint != nil, try await save(projection) {
            report.checkpointsSaved += 1
        }
        report.position = projection.position
        return report
    }

    /// What ``restore(_:)`` found.
    public enum Restoration: Hashable, Sendable {
        /// No checkpoint, or none newer than the projection.
        case none
        /// The state at this position was restored.
        case restored(UInt64)
        /// A checkpoint exists but was not used, for this reason.
        case discarded(String)
    }

    /// Replaces `projection`'s state with its saved checkpoint when that is newer and has the
    /// same configuration. A checkpoint with damaged bytes is discarded, not trusted: the log
    /// can always rebuild it.
    public func restore<Projection: ActivityProjection>(
        _ projection: inout Projection
    ) async throws(CommunityError) -> Restoration {
        guard let header = try await checkpoint(named: projection.checkpointName) else { return .none }
        guard header.configuration == projection.configuration else {
            return .discarded("it was saved under another configuration")
        }
        guard header.position > projection.position else { return .none }
        let bytes: Data
        switch try await stateBytes(of: header) {
        case .success(let found): bytes = found
        case .failure(let reason): return .discarded(reason)
        }
        var reader = BinaryReader(bytes, collection: Self.chunkCollection, id: header.name)
        var restored = projection
        do {
            try restored.restoreState(from: &reader, position: header.position)
            try reader.expectEnd()
        } catch {
            return .discarded("its state could not be read: \(error)")
        }
        projection = restored
        return .restored(header.position)
    }

    /// The saved checkpoint header for `name`, or nil.
    public func checkpoint(named name: String) async throws(CommunityError) -> ProjectionCheckpoint? {
        try await withCommunityErrors { try await store.fetch(name, from: Self.checkpointCollection)?.value }
    }

    /// Saves `projection`'s state and position in one commit.
    ///
    /// - Returns: false when a checkpoint at the same or a later position with the same
    ///   configuration is saved already (by this or another process), so nothing was written.
    @discardableResult
    public func save<Projection: ActivityProjection>(_ projection: Projection) async throws(CommunityError) -> Bool {
        let name = projection.checkpointName
        var writer = BinaryWriter(capacity: 1 << 16)
        projection.encodeState(into: &writer)
        let state = writer.bytes
        for attempt in 1...8 {
            let current = try await withCommunityErrors { try await store.fetch(name, from: Self.checkpointCollection) }
            if let current, current.value.configuration == projection.configuration,
                current.value.position >= projection.position
            {
                return false
            }
            do {
                var batch = WriteBatch()
                try addCheckpoint(
                    name: name, configuration: projection.configuration, position: projection.position,
                    state: state, replacing: current, to: &batch)
                try await store.commit(batch)
                return true
            } catch let error as StorageError {
                // A lost answer is settled by the next attempt's read: a checkpoint that went in
                // is found saved, one that did not is written again.
                switch error {
                case .versionConflict where attempt < 8, .outcomeUnknown where attempt < 8: break
                default: throw CommunityService.communityError(from: error)
                }
                await CommunityService.backOff(attempt: attempt)
            } catch {
                throw .storage(.backendFailure("\(error)"))
            }
        }
        throw .contention("the checkpoint \(name.debugDescription) kept changing while it was saved")
    }

    /// Adds to `batch` the writes that save a checkpoint: the header (expecting `current`'s
    /// version, or absent), the state's chunks under a new generation, and the deletion of the
    /// chunks of `current`.
    func addCheckpoint(
        name: String, configuration: String, position: UInt64, state: [UInt8],
        replacing current: Versioned<ProjectionCheckpoint>?, to batch: inout WriteBatch
    ) throws(StorageError) {
        let generation = (current?.value.generation ?? 0) + 1
        let chunks = stride(from: 0, to: state.count, by: chunkBytes).map {
            Data(state[$0..<min($0 + chunkBytes, state.count)])
        }
        let header = ProjectionCheckpoint(
            name: name, configuration: configuration, position: position, generation: generation,
            chunkCount: chunks.count, byteCount: state.count, checksum: Self.checksum(state))
        try batch.put(
            header, id: name, in: Self.checkpointCollection, expecting: current.map { .version($0.version) } ?? .absent)
        for (index, chunk) in chunks.enumerated() {
            batch.put(chunk, at: Self.chunkKey(name, generation, index), expecting: .absent)
        }
        if let old = current?.value {
            for index in 0..<max(0, old.chunkCount) {
                batch.delete(Self.chunkKey(name, old.generation, index), expecting: 1)
            }
        }
    }

    /// Removes the checkpoint named `name` (the next catch-up starts from the beginning of the log).
    public func removeCheckpoint(named name: String) async throws(CommunityError) {
        try await withCommunityErrors {
            guard let current = try await store.fetch(name, from: Self.checkpointCollection) else { return }
            var batch = WriteBatch()
            batch.delete(Self.checkpointCollection.key(name), expecting: current.version)
            for index in 0..<current.value.chunkCount {
                batch.delete(Self.chunkKey(name, current.value.generation, index), expecting: 1)
            }
            try await store.commit(batch)
        }
    }

    private enum StateRead {
        case success(Data)
        case failure(String)
    }

    private func stateBytes(of header: ProjectionCheckpoint) async throws(CommunityError) -> StateRead {
        var bytes = Data()
        // The header is stored data like any other: a damaged byte count must not reserve
        // exabytes. The chunks say how many bytes there really are.
        guard header.byteCount >= 0, header.chunkCount >= 0 else {
            return .failure("its header says \(header.byteCount) bytes in \(header.chunkCount) chunks")
        }
        bytes.reserveCapacity(min(header.byteCount, 1 << 24))
        for index in 0..<header.chunkCount {
            let key = Self.chunkKey(header.name, header.generation, index)
            guard let chunk = try await withCommunityErrors({ try await store.record(key) }) else {
                return .failure("its chunk \(key) is missing")
            }
            bytes.append(chunk.data)
        }
        guard bytes.count == header.byteCount, Self.checksum(bytes) == header.checksum else {
            return .failure("its state does not match the checksum saved with it")
        }
        return .success(bytes)
    }

    static func chunkKey(_ name: String, _ generation: UInt64, _ index: Int) -> RecordKey {
        RecordKey(collection: chunkCollection, id: "\(name)@\(generation)#\(index)")
    }

    static func checksum(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { FNV1a.hash(contiguous: $0) } }

    static func checksum(_ bytes: Data) -> UInt64 { bytes.withUnsafeBytes { FNV1a.hash(contiguous: $0) } }
}
