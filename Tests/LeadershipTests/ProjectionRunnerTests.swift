import CommunitySimulation
import Foundation
import Storage
import Testing

@testable import CommunityModel
@testable import Leadership

/// The story first: the school's nightly job keeps the engagement projection up to date. It
/// catches up from the log and saves a checkpoint; after a restart it restores the checkpoint
/// and applies only what arrived since, and the result is exactly what a rebuild from the first
/// event gives.
@Suite("Projection checkpoints")
struct ProjectionRunnerTests {
    let scale = ActivityLogGenerator.Scale(members: 800, countries: 30, chapters: 6, events: 6_000)

    /// A store holding the first `count` generated events.
    func store(holding count: Int, of events: [ActivityEvent]) async throws -> InMemoryStore {
        let store = InMemoryStore()
        try await append(events.prefix(count), to: store)
        return store
    }

    func append(_ events: some Collection<ActivityEvent>, to store: InMemoryStore) async throws {
        var entries: [LogEntry] = []
        for event in events { entries.append(try event.logEntry()) }
        try await store.append(entries)
    }

    var events: [ActivityEvent] { Array(ActivityLogGenerator(scale: scale, seed: 11)) }

    @Test("a restart restores the checkpoint, applies only the new events, and equals a rebuild")
    func restartContinuesFromCheckpoint() async throws {
        let events = self.events
        let store = try await store(holding: 4_000, of: events)
        let runner = try ProjectionRunner(store: store, pageSize: 500)

        var first = try EngagementProjection()
        let initial = try await runner.catchUp(&first)
        #expect(initial.restoredPosition == nil)
        #expect(initial.applied == 4_000)
        #expect(initial.checkpointsSaved == 1)
        #expect(try await runner.checkpoint(named: "engagement")?.position == 4_000)

        try await append(events.dropFirst(4_000), to: store)
        var restarted = try EngagementProjection()
        let resumed = try await runner.catchUp(&restarted)
        #expect(resumed.restoredPosition == 4_000)
        #expect(resumed.applied == 2_000)
        #expect(resumed.position == 6_000)

        var rebuilt = try EngagementProjection()
        let rebuild = try await runner.catchUp(&rebuilt, restoringCheckpoint: false)
        #expect(rebuild.applied == 6_000)
        #expect(restarted == rebuilt)
        #expect(restarted.superusers(on: try LocalDate(year: 2026, month: 12, day: 31)).count > 0)
    }

    @Test("a projection already at the head reads nothing and saves nothing")
    func upToDateProjectionIsLeftAlone() async throws {
        let store = try await store(holding: 1_000, of: events)
        let runner = try ProjectionRunner(store: store)
        var projection = try EngagementProjection()
        try await runner.catchUp(&projection)
        let header = try await store.record(ProjectionRunner.checkpointCollection.key("engagement"))
        let again = try await runner.catchUp(&projection)
        #expect(again.applied == 0)
        #expect(again.checkpointsSaved == 0)
        #expect(try await store.record(ProjectionRunner.checkpointCollection.key("engagement")) == header)
    }

    @Test("a checkpoint saved under another policy is not restored; the projection is rebuilt")
    func otherPolicyRebuilds() async throws {
        let store = try await store(holding: 2_000, of: events)
        let runner = try ProjectionRunner(store: store)
        var standard = try EngagementProjection()
        try await runner.catchUp(&standard)

        var policy = EngagementPolicy.default
        policy.halfLifeDays += 14
        var other = try EngagementProjection(policy: policy)
        let report = try await runner.catchUp(&other)
        #expect(report.restoredPosition == nil)
        #expect(report.discardedCheckpoint == "it was saved under another configuration")
        #expect(report.applied == 2_000)
        #expect(try await runner.checkpoint(named: "engagement")?.configuration == other.configuration)
    }

    @Test("a damaged checkpoint is discarded with the reason, and the rebuild gives the right state")
    func damagedCheckpointIsRebuilt() async throws {
        let store = try await store(holding: 3_000, of: events)
        let runner = try ProjectionRunner(store: store, chunkBytes: 10_000)
        var projection = try EngagementProjection()
        try await runner.catchUp(&projection)

        let chunk = try #require(try await store.allRecords(in: ProjectionRunner.chunkCollection).first)
        var damaged = chunk.data
        damaged[damaged.startIndex + 5] ^= 0xFF
        var batch = WriteBatch()
        batch.put(damaged, at: chunk.key, expecting: .version(chunk.version))
        try await store.commit(batch)

        var restarted = try EngagementProjection()
        let report = try await runner.catchUp(&restarted)
        #expect(report.discardedCheckpoint == "its state does not match the checksum saved with it")
        #expect(report.applied == 3_000)
        #expect(restarted == projection)
    }

    @Test("state larger than a chunk is split across records, and a new save removes the old chunks")
    func chunksAreReplacedWhole() async throws {
        let events = self.events
        let store = try await store(holding: 3_000, of: events)
        let runner = try ProjectionRunner(store: store, chunkBytes: 4_096)
        var projection = try EngagementProjection()
        try await runner.catchUp(&projection)
        let first = try #require(try await runner.checkpoint(named: "engagement"))
        #expect(first.chunkCount > 1)
        #expect(first.chunkCount == (first.byteCount + 4_095) / 4_096)

        try await append(events.dropFirst(3_000), to: store)
        try await runner.catchUp(&projection)
        let second = try #require(try await runner.checkpoint(named: "engagement"))
        #expect(second.generation == first.generation + 1)
        let chunks = try await store.allRecords(in: ProjectionRunner.chunkCollection)
        #expect(chunks.count == second.chunkCount)
        #expect(chunks.allSatisfy { $0.id.hasPrefix("engagement@\(second.generation)#") })

        try await runner.removeCheckpoint(named: "engagement")
        #expect(try await runner.checkpoint(named: "engagement") == nil)
        #expect(try await store.collectionNames().isEmpty)
    }

    @Test("an older state is never saved over a newer checkpoint, also by concurrent savers")
    func olderStateNeverOverwritesNewer() async throws {
        let events = self.events
        let store = try await store(holding: 6_000, of: events)
        let runner = try ProjectionRunner(store: store)
        var states: [EngagementProjection] = []
        var projection = try EngagementProjection()
        for stored in try await store.allEntries() {
            projection.apply(try LoggedActivity(stored))
            if stored.position % 1_000 == 0 { states.append(projection) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for state in states.shuffled() { group.addTask { try await runner.save(state) } }
            try await group.waitForAll()
        }
        #expect(try await runner.checkpoint(named: "engagement")?.position == 6_000)
        #expect(try await runner.save(states[2]) == false)

        var restored = try EngagementProjection()
        #expect(try await runner.restore(&restored) == .restored(6_000))
        #expect(restored == projection)
    }

    @Test("a long catch-up saves a checkpoint every interval")
    func longCatchUpSavesAlongTheWay() async throws {
        let store = try await store(holding: 6_000, of: events)
        let runner = try ProjectionRunner(store: store, pageSize: 1_000, checkpointInterval: 2_000)
        var projection = try EngagementProjection()
        let report = try await runner.catchUp(&projection)
        #expect(report.checkpointsSaved == 3)
        #expect(try await runner.checkpoint(named: "engagement")?.generation == 3)
    }

    @Test("the configuration is the policy as JSON with sorted keys, the same bytes in every process")
    func configurationIsStable() throws {
        let projection = try EngagementProjection(
            policy: EngagementPolicy(weights: [.replied: 2, .answered: 3], halfLifeDays: 60, dailyCaps: [.replied: 5]))
        #expect(projection.configuration.contains(#""weights":{"answered":3,"replied":2}"#))
        #expect(projection.configuration.contains(#""dailyCaps":{"replied":5}"#))
    }

    @Test("bad settings are refused with the setting's name")
    func badSettingsRefused() {
        let store = InMemoryStore()
        #expect(throws: CommunityError.invalidInput(field: "pageSize", reason: "must be 1 to 10000, not 0")) {
            try ProjectionRunner(store: store, pageSize: 0)
        }
        #expect(throws: CommunityError.self) { try ProjectionRunner(store: store, checkpointInterval: 0) }
        #expect(throws: CommunityError.self) { try ProjectionRunner(store: store, chunkBytes: 0) }
    }

    @Test("state bytes that end early or run long are refused, and the projection is unchanged")
    func truncatedStateRefused() throws {
        var projection = try EngagementProjection()
        projection.apply(
            LoggedActivity(
                position: 1,
                event: ActivityBuilder().event(
                    .answered, by: "amina", on: try LocalDate(year: 2026, month: 3, day: 2))))
        var writer = BinaryWriter()
        projection.encodeState(into: &writer)
        let bytes = Data(writer.bytes)

        var target = try EngagementProjection()
        var short = BinaryReader(bytes.dropLast(3), collection: "test", id: "short")
        #expect(throws: StorageError.self) { try target.restoreState(from: &short, position: 1) }
        #expect(target == (try EngagementProjection()))

        var whole = BinaryReader(bytes, collection: "test", id: "whole")
        try target.restoreState(from: &whole, position: 1)
        #expect(target == projection)
    }

    @Test("the value projection keeps each active month once and in order, late events included, through a checkpoint")
    func valueProjectionActiveMonths() throws {
        let build = ActivityBuilder()
        var projection = ValueProjection()
        let days = [
            (ActivityKind.joinedCommunity, try LocalDate(year: 2026, month: 1, day: 5)),
            (.replied, try LocalDate(year: 2026, month: 3, day: 2)),
            (.reacted, try LocalDate(year: 2026, month: 3, day: 9)),
            (.answered, try LocalDate(year: 2026, month: 1, day: 20)),
            (.replied, try LocalDate(year: 2026, month: 2, day: 1)),
            (.profileUpdated, try LocalDate(year: 2026, month: 4, day: 1)),
            (.reacted, try LocalDate(year: 2026, month: 2, day: 3)),
        ]
        for (position, (kind, day)) in days.enumerated() {
            projection.apply(
                LoggedActivity(position: UInt64(position + 1), event: build.event(kind, by: "amina", on: day)))
        }
        let facts = try #require(projection.state.members["amina"])
        let months = [1, 2, 3].map { Int32(2026 * 12 + $0 - 1) }
        // January counts through the late answer; April's profile update is bookkeeping, not activity.
        #expect(facts.activeMonths == months)
        #expect(facts.latestActiveMonth == months[2])
        // The first participation is the earliest, though it came late (the builder stamps noon UTC).
        let january20 = Int64(try LocalDate(year: 2026, month: 1, day: 20).dayNumber) * 86_400_000 + 43_200_000
        #expect(facts.firstParticipation == january20)

        var writer = BinaryWriter()
        projection.encodeState(into: &writer)
        var restored = ValueProjection()
        var reader = BinaryReader(Data(writer.bytes), collection: "test", id: "value")
        try restored.restoreState(from: &reader, position: UInt64(days.count))
        #expect(restored.state == projection.state)
    }

    @Test("an entry that reverses a counted one takes it back from the month and chapter it was counted in")
    func valueReversal() {
        let build = ActivityBuilder()
        var projection = ValueProjection()
        let march = try! LocalDate(year: 2026, month: 3, day: 2)
        var shared = build.event(.shared, by: "amina", on: march)
        shared.chapter = "nbo"
        let other = build.event(.shared, by: "baraka", on: march)
        var removal = build.event(.contentRemoved, by: "amina", on: try! LocalDate(year: 2026, month: 4, day: 1))
        removal.chapter = "nbo"
        removal.context.reverse(shared)
        for (position, event) in [shared, other, removal].enumerated() {
            projection.apply(LoggedActivity(position: UInt64(position + 1), event: event))
        }
        let month = Int32(2026 * 12 + 2)
        #expect(projection.state.counts[month]?["nbo"]?.shares == 0)
        #expect(projection.state.counts[month]?[""]?.shares == 1)
        // A removal is done to the author: it does not make them active in April.
        #expect(projection.state.members["amina"]?.activeMonths == [month])
    }
}
