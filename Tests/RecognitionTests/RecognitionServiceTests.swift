import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import Storage
import Testing

@testable import Recognition

/// Awards are stored once, even when two services evaluate at once, and a revoked award is
/// never granted again.
@Suite("Badge awards")
struct RecognitionServiceTests {
    static let image = URL(string: "https://school.example/badges/image.png")!
    static let badges = [
        BadgeDefinition(
            id: "welcome", name: "Welcome", description: "Joined the community.",
            criterion: .count(.joinedCommunity, atLeast: 1), image: image),
        BadgeDefinition(
            id: "local", name: "Local", description: "Joined a chapter.", tier: .bronze,
            criterion: .count(.joinedChapter, atLeast: 1), image: image),
    ]

    /// A community with staff, a Nairobi chapter and two learners who joined it.
    struct Fixture {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
        let community: CommunityService
        let staff: Member
        let learners: [Member]

        init() async throws {
            community = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 8))
            staff = try await community.registerMember(
                NewMember(
                    displayName: "Sam", email: "sam@example.org", country: "NL", timeZone: "Europe/Amsterdam",
                    roles: [.staff]))
            let chapter = try await community.createChapter(
                id: "nbo", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
                timeZone: "Africa/Nairobi", by: staff.id)
            var learners: [Member] = []
            for name in ["Amina", "Baraka"] {
                let learner = try await community.registerMember(
                    NewMember(
                        displayName: name, email: "\(name.lowercased())@example.org", country: "KE",
                        timeZone: "Africa/Nairobi"))
                try await community.join(chapter.id, member: learner.id, by: learner.id)
                learners.append(learner)
            }
            self.learners = learners
        }

        func badgeEntries() async throws -> [ActivityEvent] {
            try await store.entries(after: 0, limit: 1_000).map { try ActivityEvent($0.entry) }
                .filter { $0.kind == .badgeAwarded }
        }
    }

    @Test("scenario: learners join, the badges are awarded once with their evidence, and shown on their record")
    func scenario() async throws {
        let fixture = try await Fixture()
        let recognition = try RecognitionService(community: fixture.community, badges: Self.badges)
        let stored = try await recognition.refresh()
        // Sam (staff) joined the community too; the learners also joined the chapter.
        #expect(stored.count == 5)
        let amina = try await recognition.awards(of: fixture.learners[0].id, by: fixture.staff.id)
        #expect(amina.map(\.award.badge) == ["welcome", "local"])
        #expect(amina.allSatisfy { !$0.isRevoked && $0.award.evidence.count == 1 })
        #expect(try await recognition.refresh().isEmpty)
        #expect(try await fixture.badgeEntries().count == 5)
    }

    /// Staff, the Nairobi chapter, and two learners who joined it: five awards to make.
    static func twoLearnersInNairobi(on store: HookedStore) async throws -> CommunityService {
        let community = CommunityService(
            store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)), ids: EntryIDGenerator(seed: 8)
        )
        let staff = try await community.registerMember(
            NewMember(
                displayName: "Sam", email: "sam@example.org", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]))
        let chapter = try await community.createChapter(
            id: "nbo", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
            timeZone: "Africa/Nairobi", by: staff.id)
        for name in ["Amina", "Baraka"] {
            let learner = try await community.registerMember(
                NewMember(
                    displayName: name, email: "\(name.lowercased())@example.org", country: "KE",
                    timeZone: "Africa/Nairobi"))
            try await community.join(chapter.id, member: learner.id, by: learner.id)
        }
        return community
    }

    @Test("an award is never lost: when storing it fails, the next refresh stores every award, each once")
    func awardsSurviveAFailedCommit() async throws {
        let store = HookedStore()
        let community = try await Self.twoLearnersInNairobi(on: store)
        // The commit that would store the awards fails, as a dropped connection would.
        store.failCommits(1) { batch in batch.writes.contains { $0.key.collection == "badge-awards" } }
        let recognition = try RecognitionService(community: community, badges: Self.badges)
        await #expect(throws: (any Error).self) { try await recognition.refresh() }
        // The next refresh stores them all: the checkpoint did not move past them.
        #expect(try await recognition.refresh().count == 5)
        // A restarted service restores the checkpoint and stores none again.
        let restarted = try RecognitionService(community: community, badges: Self.badges)
        #expect(try await restarted.refresh().isEmpty)
        let entries = try await store.allEntries().map { try ActivityEvent($0.entry) }
        #expect(entries.filter { $0.kind == .badgeAwarded }.count == 5)
        #expect(try await store.fetchAll(RecognitionService.awards).count == 5)
    }

    @Test(
        "an award whose commit answer is lost is stored once: the refresh finds it went in, or commits it again",
        arguments: [HookedStore.Failing.answerLostAfterLanding, .answerLostBeforeLanding])
    func awardsSurviveALostAnswer(_ loss: HookedStore.Failing) async throws {
        let store = HookedStore()
        let community = try await Self.twoLearnersInNairobi(on: store)
        // The answer to the commit that stores the awards is lost.
        store.failCommits(1, loss) { batch in batch.writes.contains { $0.key.collection == "badge-awards" } }
        let recognition = try RecognitionService(community: community, badges: Self.badges)
        // The host reads its checkpoint: moved (the commit went in), it goes on from it; not
        // moved, it commits the same batch again.
        _ = try await recognition.refresh()
        #expect(try await recognition.refresh().isEmpty)
        let restarted = try RecognitionService(community: community, badges: Self.badges)
        #expect(try await restarted.refresh().isEmpty)
        let entries = try await store.allEntries().map { try ActivityEvent($0.entry) }
        #expect(entries.filter { $0.kind == .badgeAwarded }.count == 5)
        #expect(try await store.fetchAll(RecognitionService.awards).count == 5)
    }

    @Test("a points badge reads the points the leaderboards show, under the school's own policy")
    func oneLedger() async throws {
        let fixture = try await Fixture()
        // The school pays 60 points for joining a chapter; the default policy pays nothing for it.
        let policy = PointsPolicy(
            version: 9, rules: [.joinedChapter: PointsRule(performer: 60)], dailyCap: 1_000, pairCap: 1_000)
        let game = try GamificationService(community: fixture.community, points: policy)
        let rich = BadgeDefinition(
            id: "rich", name: "Rich", description: "Fifty points.", criterion: .points(atLeast: 50), image: Self.image)
        let recognition = try RecognitionService(community: fixture.community, badges: [rich], gamification: game)
        let awarded = try await recognition.refresh()
        #expect(Set(awarded.map(\.member)) == Set(fixture.learners.map(\.id)))
        for learner in fixture.learners { #expect(try await game.points(of: learner.id, by: learner.id).balance == 60) }
        // On a ledger of its own, under the default policy, the same badge awards no one.
        let apart = try RecognitionService(community: fixture.community, badges: [rich])
        #expect(try await apart.refresh().isEmpty)
    }

    @Test("two services evaluating the same log at once store and log each award exactly once")
    func exactlyOnceUnderConcurrency() async throws {
        let fixture = try await Fixture()
        let first = try RecognitionService(community: fixture.community, badges: Self.badges)
        let second = try RecognitionService(community: fixture.community, badges: Self.badges)
        async let a = first.refresh()
        async let b = second.refresh()
        let (fromFirst, fromSecond) = try await (a, b)
        #expect(fromFirst.count + fromSecond.count == 5)
        #expect(Set(fromFirst.map(\.id)).isDisjoint(with: fromSecond.map(\.id)))
        #expect(try await fixture.badgeEntries().count == 5)
        #expect(try await first.awards(ofBadge: "local", by: fixture.staff.id).count == 2)
    }

    @Test("a revoked award stays on record, marked, and is not granted again")
    func revocation() async throws {
        let fixture = try await Fixture()
        let recognition = try RecognitionService(community: fixture.community, badges: Self.badges)
        try await recognition.refresh()
        let awardID = AwardID("local|\(fixture.learners[1].id)|1")
        await #expect(throws: CommunityError.self) {
            try await recognition.revoke(awardID, reason: "Fraud", by: fixture.learners[0].id)
        }
        await #expect(throws: CommunityError.self) {
            try await recognition.revoke(awardID, reason: "  ", by: fixture.staff.id)
        }
        let revoked = try await recognition.revoke(awardID, reason: "Joined with a fake account", by: fixture.staff.id)
        #expect(revoked.revocation?.reason == "Joined with a fake account")
        await #expect(throws: CommunityError.self) {
            try await recognition.revoke(awardID, reason: "Again", by: fixture.staff.id)
        }
        // A fresh service (a restart) evaluates the whole log again: nothing new is granted.
        let restarted = try RecognitionService(community: fixture.community, badges: Self.badges)
        #expect(try await restarted.refresh().isEmpty)
        let awards = try await restarted.awards(of: fixture.learners[1].id, by: fixture.staff.id)
        #expect(awards.map(\.isRevoked) == [false, true])
        let kinds = try await fixture.community.activity(of: fixture.learners[1].id, by: fixture.learners[1].id).map(
            \.event.kind)
        #expect(kinds.contains(.badgeRevoked))
    }
}
