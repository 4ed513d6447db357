import CommunityModel
import Foundation
import Storage
import Testing

@testable import Gamification

/// Facts from the log: the boards learn a member's country, consents and chapters from log
/// entries, so a change made through one process reaches another's leaderboards at its next
/// refresh, with no call to make.
@Suite("Member facts from the log")
struct MemberFactsTests {
    @Test("a chapter joined and a consent withdrawn through one process reach the other's boards at its next refresh")
    func twoProcesses() async throws {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_772_409_600))
        // Two processes: each its own services and its own projection host, on one store.
        let first = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 1))
        let second = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 2))
        let staff = try await first.registerMember(
            NewMember(
                displayName: "Sam", email: "sam@example.org", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]))
        let amina = try await first.registerMember(
            NewMember(
                displayName: "Amina", email: "amina@example.org", country: "KE", timeZone: "Africa/Nairobi",
                consents: [.publicLeaderboards]))
        let chapter = try await first.createChapter(
            id: "nbo", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
            timeZone: "Africa/Nairobi", by: staff.id)
        let gameOne = try GamificationService(community: first)
        let gameTwo = try GamificationService(community: second)
        try await gameOne.adjustPoints(of: amina.id, points: 50, reason: "Welcome gift", by: staff.id)
        #expect(try await gameTwo.leaderboard(.global, .allTime).map(\.member) == [amina.id])
        #expect(try await gameTwo.leaderboard(.country(try CountryCode("KE")), .allTime).map(\.member) == [amina.id])

        // Through the first process: Amina joins the chapter; the second's chapter board shows her.
        try await first.join(chapter.id, member: amina.id, by: amina.id)
        #expect(try await gameTwo.leaderboard(.chapter(chapter.id), .allTime).map(\.member) == [amina.id])

        // Through the first process: she withdraws her consent; the second hides her.
        _ = try await first.updateProfile(of: amina.id, by: amina.id) { $0.consents.remove(.publicLeaderboards) }
        #expect(try await gameTwo.leaderboard(.global, .allTime).isEmpty)
        #expect(try await gameTwo.leaderboard(.chapter(chapter.id), .allTime).isEmpty)
        let rank = try await gameTwo.rank(of: amina.id, on: .global, .allTime, by: amina.id)
        #expect(!rank.isListed && rank.points == 50)

        // She moves to Germany and consents again: the country boards follow.
        _ = try await first.updateProfile(of: amina.id, by: amina.id) {
            $0.country = "DE"
            $0.consents.insert(.publicLeaderboards)
        }
        #expect(try await gameTwo.leaderboard(.country(try CountryCode("KE")), .allTime).isEmpty)
        #expect(try await gameTwo.leaderboard(.country(try CountryCode("DE")), .allTime).map(\.member) == [amina.id])
    }

    @Test("the facts projection folds the log's facts and chapters, and restores from its checkpoint")
    func projection() async throws {
        let store = InMemoryStore()
        let community = CommunityService(
            store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_772_409_600)), ids: EntryIDGenerator(seed: 4)
        )
        let staff = try await community.registerMember(
            NewMember(
                displayName: "Sam", email: "sam@example.org", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]))
        let ben = try await community.registerMember(
            NewMember(
                displayName: "Ben", email: "ben@example.org", country: "NG", timeZone: "Africa/Lagos",
                consents: [.spotlight]))
        try await community.createChapter(
            id: "lagos", name: "Lagos", focus: .city("Lagos", country: try CountryCode("NG")),
            timeZone: "Africa/Lagos", by: staff.id)
        try await community.join("lagos", member: ben.id, by: ben.id)
        let host = try ProjectionHost(store: store)
        try await host.register(MemberFactsProjection())
        try await host.catchUp()
        var facts = await host.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: ben.id)
        #expect(
            facts
                == MemberFacts(
                    country: try CountryCode("NG"), consents: [.spotlight], chapters: ["lagos"], roles: [.learner]))

        // Roles and standing come from the log too.
        try await community.grantRole(.communityManager, to: ben.id, by: staff.id)
        let until = Date(timeIntervalSince1970: 1_772_409_600 + 7 * 86_400)
        try await community.suspend(ben.id, until: until, by: staff.id, reason: "Spam in the Lagos board")
        try await host.catchUp()
        facts = await host.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: ben.id)
        #expect(facts?.roles == [.learner, .communityManager])
        #expect(facts?.suspendedUntil == until)
        #expect(facts?.isInGoodStanding(at: until - 1) == false && facts?.isInGoodStanding(at: until) == true)
        try await community.revokeRole(.communityManager, from: ben.id, by: staff.id)
        try await community.liftSuspension(of: ben.id, by: staff.id, reason: "Appeal upheld")
        try await host.catchUp()
        facts = await host.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: ben.id)
        #expect(facts?.roles == [.learner] && facts?.suspendedUntil == nil)
        await #expect(throws: CommunityError.self) {
            try await community.revokeRole(.communityManager, from: ben.id, by: staff.id)
        }
        await #expect(throws: CommunityError.self) {
            try await community.revokeRole(.learner, from: staff.id, by: ben.id)
        }
        let restarted = try ProjectionHost(store: store)
        try await restarted.register(MemberFactsProjection())
        try await restarted.catchUp()
        #expect(
            await restarted.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: ben.id) == facts)
    }
}
