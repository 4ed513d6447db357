import Foundation
import Storage

/// An entry one projection could not use: skipped by that projection alone, on record with its
/// reason, so that one bad entry never stops the others (or the same projection at the next
/// entry).
public struct QuarantinedEntry: Hashable, Sendable, Codable {
    /// The projection's ``ActivityProjection/checkpointName``, or `*` when no projection could
    /// read the entry at all (its payload does not decode).
    public var projection: String
    public var position: UInt64
    /// The entry's kind as stored.
    public var kind: String
    public var reason: String

    public init(projection: String, position: UInt64, kind: String, reason: String) {
        self.projection = projection
        self.position = position
        self.kind = kind
        self.reason = reason
    }
}

/// Read access to the projections a ``ProjectionHost`` registered before the one being applied,
/// as they stand after the entry being applied.
public struct ProjectionReader {
    let slots: [ProjectionHost.Slot]
    let limit: Int

    /// The projection named `name`, if it is registered before the reader's and of this type.
    public func state<Projection: ActivityProjection>(of type: Projection.Type, named name: String) -> Projection? {
        slots[..<limit].first { $0.value.checkpointName == name }?.value as? Projection
    }
}

/// One host for the projections of a process and a store: it reads each page of the log once,
/// decodes each entry once, hands it to every registered projection in the order they were
/// registered (a projection that reads another's results is registered after it), and saves
/// all their checkpoints **together with the records their folding produced** (their
/// ``ActivityProjection/takeEffects()``) in one atomic commit, with the position they reflect.
///
/// A crash at any moment leaves either the old states and none of their effects, or the new
/// states and all of them: an effect is never saved without the state that produced it, nor a
/// state without its effects. Two processes that host the same projections converge: the one
/// that commits second finds the checkpoints moved, restores them, and goes on from there,
/// without storing an effect twice.
///
/// Readers see whole states only: ``state(of:named:)`` answers from the states of the last
/// commit (or the last restore), never from a catch-up under way.
///
/// ```swift
/// let host = ProjectionHost(store: store)
/// try await host.register(try EngagementProjection())
/// try await host.catchUp()
/// let engagement = await host.state(of: EngagementProjection.self, named: "engagement")
/// ```
public actor ProjectionHost {
    public nonisolated let store: any DataStore
    private let runner: ProjectionRunner
    /// The states readers see: as of the last commit or restore, in registration order.
    private var committed: [any ActivityProjection] = []
    /// The header of each projection's checkpoint as last read or written, by name.
    private var headers: [String: Versioned<ProjectionCheckpoint>] = [:]
    private var restored = false
    /// Entries quarantined by this host already (projection and position), not reported again
    /// when a projection that stayed behind one meets it at the next catch-up.
    private var quarantinedHere: Set<String> = []
    private let catchingUp = SingleFlight<Report>()
    /// Every entry at or below it was read by a catch-up (or is in a restored checkpoint).
    private var caughtUpTo: UInt64?

    /// A projection being folded, in place: the reader of the ones after it sees it as it is.
    final class Slot {
        var value: any ActivityProjection
        init(_ value: any ActivityProjection) { self.value = value }
    }

    /// Entries a projection could not use, with their reasons.
    public static let quarantine = RecordCollection<QuarantinedEntry>("projection-quarantine") {
        ["projection": $0.projection]
    }

    /// - Parameters:
    ///   - store: the store whose log the projections fold.
    ///   - pageSize: log entries read per page.
    ///   - checkpointInterval: during a long catch-up, the states and their effects are
    ///     committed after this many entries (and once at the end).
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for a page size or an interval
    ///   out of range.
    public init(store: any DataStore, pageSize: Int = 1_000, checkpointInterval: Int = 500_000)
        throws(CommunityError)
    {
        self.store = store
        runner = try ProjectionRunner(store: store, pageSize: pageSize, checkpointInterval: checkpointInterval)
    }

    /// What a catch-up did.
    public struct Report: Hashable, Sendable {
        /// Entries read from the log.
        public var read: Int
        /// The position every projection reflects at the end.
        public var position: UInt64
        /// Commits of states and effects.
        public var commits: Int
        /// Effects stored, by the keys of their records.
        public var stored: [RecordKey]
        /// The number of effects stored.
        public var effects: Int { stored.count }
        /// Entries quarantined during this catch-up.
        public var quarantined: Int
        /// Times another process had moved the checkpoints first, and they were restored.
        public var restarts: Int
        /// When this catch-up began by restoring the projections from their checkpoints (the
        /// first after registering): the lowest position a restored checkpoint held. Nil when
        /// nothing was restored, or no projection had a checkpoint.
        public var restoredPosition: UInt64?
    }

    /// Adds a projection. Its checkpoint is restored at the next catch-up. A projection that
    /// reads another's results is registered after it. Registering the same projection again
    /// (the same name, type and configuration: two services that share it) does nothing.
    ///
    /// - Throws: ``CommunityError/invalidState(_:)`` when another projection of that checkpoint
    ///   name is registered.
    public func register<Projection: ActivityProjection>(_ projection: Projection) throws(CommunityError) {
        if let existing = committed.first(where: { $0.checkpointName == projection.checkpointName }) {
            guard existing is Projection, existing.configuration == projection.configuration else {
                throw .invalidState(
                    "Another projection named \(projection.checkpointName.debugDescription) is registered already.")
            }
            return
        }
        committed.append(projection)
        restored = false
    }

    /// Whether a projection of this checkpoint name is registered.
    public func isRegistered(_ name: String) -> Bool { committed.contains { $0.checkpointName == name } }

    /// The projection named `name` as of the last commit: a whole state, never one in the
    /// middle of a catch-up. Nil when none of that name and type is registered.
    public func state<Projection: ActivityProjection>(of type: Projection.Type, named name: String) -> Projection? {
        committed.first { $0.checkpointName == name } as? Projection
    }

    /// Brings every projection up to the head of the log and commits their states with their
    /// effects. Concurrent callers share one catch-up.
    @discardableResult
    public func catchUp() async throws(CommunityError) -> Report {
        try await catchingUp.run { try await self.run() }
    }

    /// Changes one projection outside the log (a badge that the clock completes, say), then
    /// commits its state with the effects the change produced, and returns what `change`
    /// returned with the keys of the effects stored.
    ///
    /// - Throws: ``CommunityError/notFound(kind:id:)`` when no projection of that name and type is
    ///   registered; what `change` throws (nothing is then committed).
    @discardableResult
    public func modify<Projection: ActivityProjection, Result: Sendable>(
        _ type: Projection.Type, named name: String, _ change: (inout Projection) throws -> Result
    ) async throws -> (result: Result, stored: [RecordKey]) {
        _ = try await catchUp()
        for _ in 1...8 {
            guard let index = committed.firstIndex(where: { $0.checkpointName == name }),
                var projection = committed[index] as? Projection
            else { throw CommunityError.notFound(kind: "projection", id: name) }
            let result = try change(&projection)
            var working = committed
            working[index] = projection
            if let stored = try await commit(&working, quarantine: []) {
                committed = working
                return (result, stored)
            }
            // Another process moved the checkpoints: catch up with its states and change again.
            try await restoreAll()
            _ = try await catchUp()
        }
        throw CommunityError.contention("the projection \(name.debugDescription) kept changing while it was saved")
    }

    /// The entries quarantined so far (by any process), oldest first, a page at a time.
    public func quarantined(after cursor: String? = nil, limit: Int = 100) async throws(CommunityError)
        -> Page<QuarantinedEntry>
    {
        try Validate.limit(limit)
        return try await withCommunityErrors {
            let page = try await store.records(in: Self.quarantine.name, where: nil, after: cursor, limit: limit)
            let items = try page.records.map { try Self.quarantine.decode($0).value }
            return Page(
                items: items.sorted { ($0.position, $0.projection) < ($1.position, $1.projection) },
                nextCursor: page.nextCursor)
        }
    }

    // MARK: Catching up

    private func run() async throws -> Report {
        var report = Report(read: 0, position: 0, commits: 0, stored: [], quarantined: 0, restarts: 0)
        if !restored {
            try await restoreAll()
            report.restoredPosition = committed.map(\.position).filter { $0 > 0 }.min()
        } else if let caughtUpTo, let known = try? await store.knownHead(), known <= caughtUpTo {
            // Nothing was committed since the last catch-up: no page of the log is read.
            report.position = committed.map(\.position).min() ?? 0
            return report
        }
        var working = committed.map(Slot.init)
        var pending: [QuarantinedEntry] = []
        var sinceCommit = 0
        // How far this catch-up has read: a projection stays behind an entry it quarantined
        // (its position moves only with an entry it applies), but the log is not read again.
        var readUpTo: UInt64 = 0
        while true {
            let after = max(readUpTo, working.map(\.value.position).min() ?? 0)
            let page = try await withCommunityErrors {
                try await store.entries(after: after, limit: runner.pageSize)
            }
            for stored in page {
                report.read += 1
                readUpTo = stored.position
                let logged: LoggedActivity
                do {
                    logged = try LoggedActivity(stored)
                } catch {
                    pending.append(
                        QuarantinedEntry(
                            projection: "*", position: stored.position, kind: stored.entry.kind, reason: "\(error)"))
                    continue
                }
                for index in working.indices where working[index].value.position < stored.position {
                    do {
                        try working[index].value.apply(logged, reading: ProjectionReader(slots: working, limit: index))
                    } catch {
                        pending.append(
                            QuarantinedEntry(
                                projection: working[index].value.checkpointName, position: stored.position,
                                kind: stored.entry.kind, reason: "\(error)"))
                    }
                }
            }
            sinceCommit += page.count
            let atEnd = page.count < runner.pageSize
            if sinceCommit >= runner.checkpointInterval || (atEnd && (sinceCommit > 0 || !pending.isEmpty)) {
                var states = working.map(\.value)
                let fresh = pending.filter { !quarantinedHere.contains(CompositeKey.make($0.projection, $0.position)) }
                if let stored = try await commit(&states, quarantine: fresh) {
                    committed = states
                    working = states.map(Slot.init)
                    report.commits += 1
                    report.quarantined += fresh.count
                    for entry in fresh { quarantinedHere.insert(CompositeKey.make(entry.projection, entry.position)) }
                    report.stored += stored
                } else {
                    // Another process moved the checkpoints: take its states and go on from there.
                    report.restarts += 1
                    guard report.restarts <= 64 else {
                        throw CommunityError.contention("other processes kept moving the projections' checkpoints")
                    }
                    try await restoreAll()
                    working = committed.map(Slot.init)
                    readUpTo = 0
                }
                pending = []
                sinceCommit = 0
                if atEnd { continue }
            }
            if atEnd { break }
        }
        report.position = committed.map(\.position).min() ?? 0
        caughtUpTo = Swift.max(caughtUpTo ?? 0, readUpTo, committed.map(\.position).max() ?? 0)
        return report
    }

    /// Restores every projection from its checkpoint (those without one start from the
    /// beginning of the log) and remembers the headers the next commit expects.
    private func restoreAll() async throws(CommunityError) {
        var states: [any ActivityProjection] = []
        headers = [:]
        for projection in committed {
            states.append(try await restore(projection))
        }
        committed = states
        restored = true
    }

    private func restore<Projection: ActivityProjection>(_ projection: Projection) async throws(CommunityError)
        -> any ActivityProjection
    {
        let name = projection.checkpointName
        headers[name] = try await withCommunityErrors {
            try await store.fetch(name, from: ProjectionRunner.checkpointCollection)
        }
        var fresh = projection
        _ = try await runner.restore(&fresh)
        // Effects a restored state produced were committed with it.
        _ = fresh.takeEffects()
        return fresh
    }

    /// Commits every projection's state, the effects they produced and the quarantined entries
    /// in one batch, and returns the keys of the effects stored. Returns nil, committing nothing,
    /// when another process moved a checkpoint since it was read.
    ///
    /// The batch is first tried as it is, every effect expecting its record absent: the common
    /// case costs no read. When it conflicts and no checkpoint moved, some effect was stored
    /// already (by a process that folded the same entries, or by an earlier version); the batch
    /// is then built again without the effects whose records exist.
    private func commit(_ working: inout [any ActivityProjection], quarantine: [QuarantinedEntry])
        async throws -> [RecordKey]?
    {
        var effects: [[ProjectionEffect]] = []
        for index in working.indices { effects.append(Self.take(&working[index])) }
        for checkExisting in [false, true] {
            var batch = WriteBatch()
            var written: [String] = []
            var stored: [RecordKey] = []
            for index in working.indices {
                var kept = effects[index]
                if checkExisting {
                    kept = []
                    for effect in effects[index]
                    where try await withCommunityErrors({ try await store.record(effect.key) }) == nil {
                        kept.append(effect)
                    }
                }
                for effect in kept { effect.add(to: &batch) }
                stored += kept.map(\.key)
                try addCheckpoint(of: working[index], moved: !kept.isEmpty, to: &batch, written: &written)
            }
            for entry in quarantine {
                let id = CompositeKey.make(entry.projection, entry.position)
                if try await withCommunityErrors({ try await store.fetch(id, from: Self.quarantine) }) == nil {
                    try batch.put(entry, id: id, in: Self.quarantine, expecting: .absent)
                }
            }
            guard !batch.isEmpty else { return [] }
            do {
                try await store.commit(batch)
            } catch let error as StorageError {
                switch error {
                // A lost answer is settled like a conflict: the checkpoints' versions say whether
                // the commit went in, and committing again cannot store twice (every write of
                // the batch expects the versions it read).
                case .versionConflict, .outcomeUnknown: break
                default: throw CommunityService.communityError(from: error)
                }
                if checkExisting { return nil }
                if try await checkpointsMoved() { return nil }
                continue
            }
            for name in written {
                headers[name] = try await withCommunityErrors {
                    try await store.fetch(name, from: ProjectionRunner.checkpointCollection)
                }
            }
            return stored
        }
        return nil
    }

    private static func take<Projection: ActivityProjection>(_ projection: inout Projection) -> [ProjectionEffect] {
        projection.takeEffects()
    }

    /// Whether another process saved a checkpoint of one of the projections since it was read.
    private func checkpointsMoved() async throws -> Bool {
        for (name, header) in headers {
            let current = try await withCommunityErrors {
                try await store.fetch(name, from: ProjectionRunner.checkpointCollection)
            }
            if current?.version != header.version { return true }
        }
        for projection in committed where headers[projection.checkpointName] == nil {
            if try await withCommunityErrors({
                try await store.fetch(projection.checkpointName, from: ProjectionRunner.checkpointCollection)
            }) != nil {
                return true
            }
        }
        return false
    }

    /// Adds a projection's checkpoint when it moved (or produced effects).
    private func addCheckpoint<Projection: ActivityProjection>(
        of projection: Projection, moved: Bool, to batch: inout WriteBatch, written: inout [String]
    ) throws {
        let name = projection.checkpointName
        let current = headers[name]
        if !moved, let current, current.value.configuration == projection.configuration,
            current.value.position == projection.position
        {
            return  // nothing new to save for this one
        }
        var writer = BinaryWriter(capacity: 1 << 16)
        projection.encodeState(into: &writer)
        try runner.addCheckpoint(
            name: name, configuration: projection.configuration, position: projection.position,
            state: writer.bytes, replacing: current, to: &batch)
        written.append(name)
    }
}
