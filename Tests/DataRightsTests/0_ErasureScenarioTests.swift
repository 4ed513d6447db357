import CommunityChallenge
import CommunityImport
import CommunityModel
import CommunitySimulation
import CommunityTestSupport
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import Storage
import StorageTestKit
import Surveys
import Testing

/// A member of a simulated community asks for their data, then for its erasure.
///
/// An organizer of the simulated community is given a name, a headline and texts nobody else
/// has (a thread, a reply, a thank-you note, feedback to the community manager, a homework
/// check-in); staff reply to their thread and react to their post. Their export holds every
/// record of theirs and reads back into the same values. Staff erase them: afterwards no record
/// or entry of the store holds any of their texts, their name or their email; the thread stays
/// with the staff's reply, by a former member; their awards are revoked; every projection has
/// dropped their facts; the log is whole and records the erasure.
@Suite("A member's data rights")
struct ErasureScenarioTests {
    @Test("the export reads back into every record value of the member, and a suspension does not block it")
    func exportRoundTrips() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let member = scenario.member
        try await scenario.service.suspend(
            member, until: scenario.clock.now().addingTimeInterval(7 * 86_400), by: scenario.staff,
            reason: "a test of export")
        let rights = try DataRights(modules: ErasureScenario.rights.modules, sections: [scenario.gamification])
        let export = try await scenario.service.exportMemberData(of: member, by: member, rights: rights)
        let read = try MemberDataExport(json: try export.json())
        #expect(read == export)
        // Their stream of the log, and what the points ledger folded from it.
        #expect(read.activity.contains { $0.kind == .startedThread && $0.subject == .thread(scenario.thread.id) })
        #expect(read.activity.allSatisfy { $0.member == member })
        guard case .object(let points)? = read.sections["points"], case .array(let lines)? = points["lines"] else {
            Issue.record("the export has no points lines: \(read.sections.keys.sorted())")
            return
        }
        #expect(!lines.isEmpty)
        #expect(points["streaks"] != nil)
        #expect(read.collections["members"]?.records.count == 1)
        #expect(try read.values(of: Collections.contacts)[member.rawValue]?.email == scenario.email)
        var compared = 0
        for declaration in ErasureScenario.rights.collections where declaration.exported {
            let records = try await declaration.exportedRecords(of: member, in: scenario.store)
            let exported = read.collections[declaration.name]?.records ?? []
            #expect(exported.map(\.id) == records.map(\.key.id), "\(declaration.name)")
            for (entry, record) in zip(exported, records) {
                // Records are canonical: the value read back stores as the same bytes.
                #expect(try declaration.reencode(entry.value) == record.data, "\(declaration.name) \(entry.id)")
                compared += 1
            }
        }
        #expect(compared >= 12)
        for name in [
            "members", "member-contacts", "threads", "posts", "thank-you-notes", "leader-feedback", "check-ins",
        ] {
            #expect(read.collections[name] != nil, "the export lacks \(name)")
        }
        let text = String(decoding: try export.json(), as: UTF8.self)
        for needle in scenario.needles { #expect(text.contains(needle), "the export lacks \(needle)") }
    }

    @Test("after erasure their referral code stops working and their name reads as a former member")
    func codesStopAndNamesReadAsFormer() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let names = try await scenario.service.displayNames(of: [scenario.member, scenario.staff])
        #expect(names[scenario.member] == scenario.needles[0])
        try await scenario.erase()
        let after = try await scenario.service.displayNames(of: [scenario.member, scenario.staff])
        #expect(after[scenario.member] == FormerMember.displayName)
        #expect(after[scenario.staff] == names[scenario.staff])
        let outcome = try await scenario.service.attributeReferral(
            code: scenario.referralCode, to: scenario.other, for: .signUp)
        #expect(outcome == .unattributed(.unknownCode))
    }

    @Test("an erasure repeated with its idempotency key changes nothing and says it is a repeat")
    func repeatedErasureIsARepeat() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let key = try IdempotencyKey("erase-request-1")
        let first = try await scenario.service.eraseMember(
            scenario.member, by: scenario.staff, rights: ErasureScenario.rights, idempotencyKey: key)
        #expect(!first.isRepeat)
        let before = try await StoreSnapshot(of: scenario.store)
        let again = try await scenario.service.eraseMember(
            scenario.member, by: scenario.staff, rights: ErasureScenario.rights, idempotencyKey: key)
        #expect(again.isRepeat)
        #expect(try await StoreSnapshot(of: scenario.store) == before)
        // Without the key, the member is gone: a typed error, nothing changed.
        await #expect(throws: CommunityError.notFound(kind: "member", id: scenario.member.rawValue)) {
            try await scenario.service.eraseMember(scenario.member, by: scenario.staff, rights: ErasureScenario.rights)
        }
        #expect(try await StoreSnapshot(of: scenario.store) == before)
    }

    @Test("projections folded again from the start store no reward or award of the erased member anew")
    func foldingAgainStoresNothingOfThem() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let erasure = try await scenario.service.eraseMember(
            scenario.member, by: scenario.staff, rights: ErasureScenario.rights)
        #expect(erasure.tombstoned["reward-grants", default: 0] + erasure.deleted["reward-grants", default: 0] >= 1)
        // Committing often, as a long catch-up does: effects made before the erasure entry are
        // committed before the projections meet it.
        let host = try ProjectionHost(store: scenario.store, pageSize: 1, checkpointInterval: 1)
        try await host.register(try PointsLedger(checkpointName: "points-again"))
        try await host.register(
            try RewardProjection(
                tiers: ErasureScenario.tiers, ledgerName: "points-again", checkpointName: "rewards-again"))
        try await host.register(
            try BadgeProjection(
                badges: SampleBadges.everyCriterion, checkpointName: "badges-again", sharedLedger: "points-again"))
        let report = try await host.catchUp()
        let theirs = report.stored.filter { $0.id.split(separator: "|").contains(Substring(scenario.member.rawValue)) }
        #expect(theirs.isEmpty, "\(theirs)")
        let found = try await RawScan.records(of: scenario.store, for: scenario.needles)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("someone else's export, or an erasure by anyone but staff, is refused and changes nothing")
    func othersAreRefused() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let other = scenario.other
        await #expect(throws: CommunityError.self) {
            try await scenario.service.exportMemberData(of: scenario.member, by: other, rights: ErasureScenario.rights)
        }
        let before = try await StoreSnapshot(of: scenario.store)
        await #expect(throws: CommunityError.self) {
            try await scenario.service.eraseMember(scenario.member, by: other, rights: ErasureScenario.rights)
        }
        await #expect(throws: CommunityError.self) {
            try await scenario.service.eraseMember(scenario.staff, by: scenario.staff, rights: ErasureScenario.rights)
        }
        #expect(try await StoreSnapshot(of: scenario.store) == before)
    }

    @Test("after erasure no record or entry holds their name, email or texts; others' replies stay, by a former member")
    func erasureLeavesNothingInMemory() async throws {
        let store = InMemoryStore()
        let scenario = try await ErasureScenario(store: store)
        // The scan finds what is there: before the erasure, each text is in some record.
        let before = try await RawScan.records(of: store, for: scenario.needles)
        #expect(Set(before.map { $0.components(separatedBy: " in ")[0] }) == Set(scenario.needles))
        try await scenario.erase()
        let found = try await RawScan.records(of: store, for: scenario.needles)
        #expect(found.isEmpty, "\(found)")
        try await scenario.expectTombstones()
    }
}

/// The simulated community and the member who asks.
struct ErasureScenario {
    static let rights: DataRights = {
        // A constant list: a failure here is a test's setup error.
        try! DataRights(modules: [
            .community, .gamification, .guidelines, .surveys, .leadership, .challenge, .recognition, .communityImport,
        ])
    }()

    /// A reward every active member reaches, so that the member has one.
    static let tiers = [RewardTier(id: "thanks", name: "Thank-you card", kind: .swag, threshold: 1)]

    let store: any DataStore
    let clock: ManualClock
    let service: CommunityService
    let host: ProjectionHost
    let gamification: GamificationService
    let member: MemberID
    let other: MemberID
    let staff: MemberID
    let email: String
    let thread: DiscussionThread
    let staffReply: Post
    /// The code of a share the member made.
    let referralCode: String
    /// What only this member's data holds.
    let needles: [String]

    init(store: any DataStore) async throws {
        self.store = store
        clock = ManualClock(Date(timeIntervalSince1970: 1_788_739_200))
        service = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 30))
        let simulated = try await CommunitySimulator(
            service: service, clock: clock,
            configuration: SimulationConfiguration(seed: 30, members: 40, chapters: 2, weeks: 2)
        ).run()
        staff = simulated.staff.id
        let (organizer, chapterID) = try #require(simulated.organizers.sorted { $0.key < $1.key }.first)
        member = organizer
        other = try #require(simulated.members.first { $0.id != organizer && !$0.isStaffLike }).id
        email = try await service.contact(of: member, by: staff).email
        let unique = "Qzv" + String(UInt64.random(in: 1_000_000...9_999_999))
        let needles = [
            unique + " Nameworth", unique + " headline", email, unique + " thread title", unique + " thread body",
            unique + " reply", unique + " thanks", unique + " feedback title", unique + " feedback body",
            unique + " homework",
        ]
        self.needles = needles
        _ = try await service.updateProfile(of: member, by: member) {
            $0.displayName = needles[0]
            $0.headline = needles[1]
        }
        let chapter = try await service.chapter(chapterID)
        thread = try await service.startThread(
            on: chapter.publicBoard, by: member, title: needles[3], body: needles[4])
        staffReply = try await service.reply(to: thread.id, by: staff, body: "Welcome, and thank you for asking.")
        let reply = try await service.reply(to: thread.id, by: member, body: needles[5])
        try await service.react(.like, to: reply.id, by: staff)
        let recognition = try RecognitionService(community: service, badges: SampleBadges.everyCriterion)
        _ = try await recognition.thank(staff, message: needles[6], by: member)
        _ = try await recognition.thank(member, message: "Thanks for organizing.", by: staff)
        _ = try await service.openFeedback(by: member, title: needles[7], body: needles[8], chapter: chapterID)
        let enrolment = try #require(
            try await store.fetchAll(Collections.enrolments, where: IndexQuery("member", equals: member.rawValue)).first
        )
        let gamification = try GamificationService(community: service, rewardTiers: Self.tiers)
        self.gamification = gamification
        _ = try await gamification.checkIn(
            programme: enrolment.value.programme, assignment: "week-1",
            submission: HomeworkSubmission(title: "Week one", text: needles[9]), by: member)
        _ = try await gamification.refresh()
        _ = try await service.recordCompletion(
            of: member, in: enrolment.value.programme, certificateDate: LocalDate(clock.now(), in: .utc), by: staff)
        referralCode = try await service.share(
            .certificate(enrolment.value.programme), by: member, on: "linkedin"
        ).code
        let host = try ProjectionHost(store: store)
        self.host = host
        try await host.register(MemberFactsProjection())
        try await host.register(try EngagementProjection())
        try await host.register(ValueProjection())
        try await host.register(try InsightsProjection())
        try await host.catchUp()
        let facts = await host.state(of: MemberFactsProjection.self, named: "member-facts")
        #expect(facts?.facts(of: organizer) != nil)
        _ = try await recognition.refresh()
    }

    /// Staff erase the member; the projections catch up with the erasure.
    func erase() async throws {
        let report = try await service.eraseMember(member, by: staff, rights: Self.rights)
        #expect(report.deleted["members"] == 1)
        #expect(report.tombstoned["threads", default: 0] >= 1)
        #expect(report.identitiesRemembered == 1)
        try await host.catchUp()
        let recognition = try RecognitionService(community: service, badges: SampleBadges.everyCriterion)
        _ = try await recognition.refresh()
    }

    func expectTombstones() async throws {
        await #expect(throws: CommunityError.self) { try await service.member(member) }
        await #expect(throws: CommunityError.self) {
            try await service.exportMemberData(of: member, by: staff, rights: Self.rights)
        }
        let kept = try #require(try await store.fetch(thread.id.rawValue, from: Collections.threads)).value
        #expect(kept.author == member)
        #expect(kept.title == FormerMember.erasedText)
        let reply = try #require(try await store.fetch(staffReply.id.rawValue, from: Collections.posts)).value
        #expect(reply.body == staffReply.body)
        #expect(await host.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: member) == nil)
        let engagement = try #require(await host.state(of: EngagementProjection.self, named: "engagement"))
        #expect(engagement.engagement(of: member, on: LocalDate(clock.now(), in: .utc)) == nil)
        let awards = RecordCollection<StoredAward>("badge-awards")
        for award in try await store.fetchAll(awards, where: IndexQuery("member", equals: member.rawValue)) {
            #expect(award.value.revocation?.reason == StoredAward.erasedOnRequest)
        }
        let erasures = try await store.allEntries(matching: .stream(ActivityEvent.stream(of: member)))
            .filter { $0.entry.kind == ActivityKind.memberErased.rawValue }
        #expect(erasures.count == 1)
    }
}

/// Looks for texts in the raw contents of a store through its public reads: every record's
/// collection, id and bytes, and every log entry's stream, subject, kind and payload.
enum RawScan {
    static func records(of store: any DataStore, for needles: [String]) async throws -> [String] {
        var found: [String] = []
        func look(_ bytes: some Sequence<UInt8>, _ place: @autoclosure () -> String) {
            let bytes = Array(bytes)
            for needle in needles where bytes.firstRange(of: Array(needle.utf8)) != nil {
                found.append("\(needle) in \(place())")
            }
        }
        for collection in try await store.collectionNames() {
            for record in try await store.allRecords(in: collection) {
                look(Array(record.key.id.utf8) + record.data, "\(collection)/\(record.key.id)")
                for (name, value) in record.indexes {
                    look(Array(value.utf8), "\(collection)/\(record.key.id) index \(name)")
                }
            }
        }
        for stored in try await store.allEntries() {
            let entry = stored.entry
            look(
                Array((entry.stream + (entry.subject ?? "") + entry.kind).utf8) + entry.payload,
                "entry \(stored.position) (\(entry.kind))")
        }
        return found
    }
}
