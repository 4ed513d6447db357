import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import StorageTestKit
import Testing

/// The projection host: one pass over the log feeds every projection, a projection's effects
/// are committed with the state that produced them or not at all, two hosts on one store
/// converge without doubling an effect, an entry a projection cannot use is quarantined for it
/// alone, and readers never see a state half-way through a catch-up.
@Suite("Projection host")
struct ProjectionHostTests {
    /// Counts entries by kind; every third enrolment is a milestone it stores (an effect, with an
    /// entry announcing it); entries of kind `poison` it cannot use.
    struct Counter: ActivityProjection, Equatable {
        let checkpointName: String
        var configuration: String { "counter-v1" }
        private(set) var position: UInt64 = 0
        private(set) var counts: [String: Int] = [:]
        private var pending: [ProjectionEffect] = []

        init(_ name: String = "counter") { checkpointName = name }

        static func == (lhs: Self, rhs: Self) -> Bool { lhs.position == rhs.position && lhs.counts == rhs.counts }

        static let milestones = RecordCollection<Int>("milestones")

        struct Poisoned: Error, CustomStringConvertible {
            var description: String { "a poison entry" }
        }

        mutating func apply(_ logged: LoggedActivity) throws {
            guard logged.position > position else { return }
            if logged.event.kind.rawValue == "poison" { throw Poisoned() }
            position = logged.position
            let kind = logged.event.kind.rawValue
            counts[kind, default: 0] += 1
            if kind == "enrolled", counts[kind]! % 3 == 0 {
                let number = counts[kind]!
                let id = "\(checkpointName)-\(number)"
                // The announcing entry's id is derived from the record, the same in every process.
                let entryID = EntryID(bytes: Array(SHA256Digest.of(id).prefix(16)))!
                pending.append(
                    try ProjectionEffect.create(
                        number, id: id, in: Self.milestones,
                        logging: try ActivityEvent(
                            id: entryID, kind: ActivityKind("milestone"), member: logged.event.member,
                            time: logged.event.time,
                            localDate: logged.event.localDate
                        ).logEntry()))
            }
        }

        mutating func takeEffects() -> [ProjectionEffect] {
            defer { pending = [] }
            return pending
        }

        func encodeState(into writer: inout BinaryWriter) {
            writer.unsigned(UInt64(counts.count))
            for (kind, count) in counts.sorted(by: { $0.key < $1.key }) {
                writer.string(kind)
                writer.integer(Int64(count))
            }
        }

        mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
            var counts: [String: Int] = [:]
            for _ in 0..<(try reader.count()) { counts[try reader.string()] = Int(try reader.integer()) }
            self.counts = counts
            self.position = position
        }
    }

    /// SHA-256 through the package's own implementation, for deterministic entry ids.
    enum SHA256Digest {
        static func of(_ text: String) -> [UInt8] { Array(SHA256.hash(text.utf8)) }
    }

    static let ids = EntryIDGenerator(seed: 11)

    static func entry(_ kind: String, _ n: Int) throws -> LogEntry {
        let time = Timestamp(millisecondsSince1970: 1_767_225_600_000 + Int64(n) * 1_000)
        return try ActivityEvent(
            id: ids.next(at: time), kind: ActivityKind(kind), member: MemberID("m\(n % 7)"), time: time,
            localDate: try LocalDate(year: 2026, month: 1, day: 1)
        ).logEntry()
    }

    /// Appends `count` entries, every other one an enrolment.
    static func fill(_ store: any DataStore, _ count: Int, from start: Int = 0) async throws {
        try await store.append((start..<start + count).map { try entry($0 % 2 == 0 ? "enrolled" : "replied", $0) })
    }

    static func milestones(in store: any DataStore) async throws -> [Int] {
        try await store.fetchAll(Counter.milestones).map(\.value).sorted()
    }

    @Test("a host reads no page of the log while nothing was committed, and catches up after a commit")
    func noReadWithoutCommit() async throws {
        let base = InMemoryStore()
        try await Self.fill(base, 10)
        let store = CountingStore(base)
        let host = try ProjectionHost(store: store)
        try await host.register(Counter())
        try await host.catchUp()
        let reads = store.reads
        for _ in 1...5 { #expect(try await host.catchUp().read == 0) }
        #expect(store.reads == reads, "the host read the log though nothing was committed")
        // A reply (entry 11 is the milestone the first catch-up stored).
        try await Self.fill(base, 1, from: 11)
        #expect(try await host.catchUp().read == 1)
        #expect(await host.state(of: Counter.self, named: "counter")?.position == 12)
    }

    @Test("scenario: one pass over the log feeds every projection, and their effects are stored with their states")
    func onePass() async throws {
        let store = HookedStore()
        try await Self.fill(store, 30)
        let host = try ProjectionHost(store: store, pageSize: 7)
        try await host.register(Counter("a"))
        try await host.register(Counter("b"))
        let report = try await host.catchUp()
        // The log was read once for both projections (and once more after their effects were
        // committed, to read the entries the effects appended).
        #expect(store.reads.entries == report.read)
        #expect(report.read == 30 + 10)
        let a = try #require(await host.state(of: Counter.self, named: "a"))
        let b = try #require(await host.state(of: Counter.self, named: "b"))
        #expect(a.counts["enrolled"] == 15 && b.counts["enrolled"] == 15)
        #expect(a.position == (try await store.head()))
        // Five milestones each, stored once, each with its announcing entry.
        #expect(try await Self.milestones(in: store) == [3, 3, 6, 6, 9, 9, 12, 12, 15, 15])
        #expect(report.effects == 10)
        // A new host (a restart) restores the checkpoints and stores nothing again.
        let restarted = try ProjectionHost(store: store)
        try await restarted.register(Counter("a"))
        try await restarted.register(Counter("b"))
        let again = try await restarted.catchUp()
        #expect(again.effects == 0 && again.read == 0)
        #expect(await restarted.state(of: Counter.self, named: "a") == a)
    }

    @Test("a commit that fails leaves neither the state nor its effects; the next catch-up stores each effect once")
    func effectsAreNotLost() async throws {
        let store = HookedStore()
        try await Self.fill(store, 12)
        let host = try ProjectionHost(store: store)
        try await host.register(Counter())
        store.failCommits(1)
        await #expect(throws: (any Error).self) { try await host.catchUp() }
        // Nothing was stored: no milestone, no checkpoint; the readers still see the empty state.
        #expect(try await Self.milestones(in: store).isEmpty)
        #expect(try await ProjectionRunner(store: store).checkpoint(named: "counter") == nil)
        #expect(await host.state(of: Counter.self, named: "counter")?.position == 0)
        try await host.catchUp()
        #expect(try await Self.milestones(in: store) == [3, 6])
        #expect(try await ProjectionRunner(store: store).checkpoint(named: "counter")?.position != nil)
    }

    @Test(
        "a checkpoint save whose answer is lost is settled by reading it again: saved once, no error",
        arguments: [HookedStore.Failing.answerLostAfterLanding, .answerLostBeforeLanding])
    func checkpointAnswerLost(_ loss: HookedStore.Failing) async throws {
        let store = HookedStore()
        try await Self.fill(store, 12)
        var counter = Counter()
        for stored in try await store.allEntries() { try counter.apply(try LoggedActivity(stored)) }
        let runner = try ProjectionRunner(store: store)
        store.failCommits(1, loss)
        let saved = try await runner.save(counter)
        // Found saved by the retry's read (false), or written by the retry (true).
        #expect(saved == (loss == .answerLostBeforeLanding))
        #expect(try await runner.checkpoint(named: "counter")?.position == counter.position)
        #expect(try await runner.checkpoint(named: "counter")?.generation == 1)
    }

    @Test("two hosts on one store converge, and neither stores an effect the other stored")
    func twoHosts() async throws {
        let store = HookedStore()
        try await Self.fill(store, 20)
        let first = try ProjectionHost(store: store, pageSize: 5)
        let second = try ProjectionHost(store: store, pageSize: 3)
        try await first.register(Counter())
        try await second.register(Counter())
        async let one = first.catchUp()
        async let two = second.catchUp()
        _ = try await (one, two)
        try await Self.fill(store, 9, from: 20)
        try await second.catchUp()
        try await first.catchUp()
        #expect(try await Self.milestones(in: store) == [3, 6, 9, 12, 15])
        let a = await first.state(of: Counter.self, named: "counter")
        #expect(a == (await second.state(of: Counter.self, named: "counter")))
        #expect(a?.counts["enrolled"] == 15)
    }

    @Test("an entry a projection cannot use is quarantined for it alone, with its reason; the others go on")
    func quarantine() async throws {
        let store = HookedStore()
        try await Self.fill(store, 6)
        try await store.append([try Self.entry("poison", 6)])
        try await Self.fill(store, 6, from: 7)
        let host = try ProjectionHost(store: store)
        try await host.register(Counter())
        let report = try await host.catchUp()
        #expect(report.quarantined == 1)
        let counter = try #require(await host.state(of: Counter.self, named: "counter"))
        #expect(counter.counts["enrolled"] == 6 && counter.counts["replied"] == 6)
        let quarantined = try await host.quarantined().items
        #expect(
            quarantined == [
                QuarantinedEntry(projection: "counter", position: 7, kind: "poison", reason: "a poison entry")
            ])
        // Catching up again neither fails nor records it twice.
        try await host.catchUp()
        #expect(try await host.quarantined().items.count == 1)
    }

    @Test("an unusable entry at the very end of the log is quarantined once, and the catch-up ends")
    func quarantineAtTheEnd() async throws {
        let store = HookedStore()
        try await Self.fill(store, 4)
        try await store.append([try Self.entry("poison", 4)])
        let host = try ProjectionHost(store: store)
        try await host.register(Counter())
        let catchingUp = Task { try await host.catchUp() }
        let finished = Task {
            try await Task.sleep(for: .seconds(10))
            catchingUp.cancel()
        }
        let report = try await catchingUp.value
        finished.cancel()
        #expect(report.quarantined == 1)
        #expect(store.reads.entries < 20, "the host read the poisoned entry again and again")
        #expect(try await host.quarantined().items.map(\.position) == [5])
        // The next catch-up meets it again (the projection stays behind it) but reports nothing new.
        #expect(try await host.catchUp().quarantined == 0)
    }

    @Test("while a catch-up is under way, readers see the last whole state")
    func readersSeeWholeStates() async throws {
        let store = HookedStore()
        try await Self.fill(store, 10)
        let host = try ProjectionHost(store: store, pageSize: 4)
        try await host.register(Counter())
        try await host.catchUp()
        let before = try #require(await host.state(of: Counter.self, named: "counter"))
        try await Self.fill(store, 10, from: 10)
        let gate = AsyncGate()
        store.holdReads(until: gate)
        let catchingUp = Task { try await host.catchUp() }
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(await host.state(of: Counter.self, named: "counter") == before)
        store.holdReads(until: nil)
        gate.open()
        _ = try await catchingUp.value
        #expect(await host.state(of: Counter.self, named: "counter")?.counts["enrolled"] == 10)
    }
}
