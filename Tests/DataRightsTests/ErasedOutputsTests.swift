import CommunityModel
import CommunityTestSupport
import Foundation
import Recognition
import Storage
import Testing

/// What others do with an erased member's content afterwards credits no one, and what the
/// library publishes about them names no one.
@Suite("Outputs after an erasure")
struct ErasedOutputsTests {
    @Test("a reply to an erased member's thread names no owner, so no projection credits them again")
    func replyToTombstoneHasNoOwner() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        func lastReply() async throws -> ActivityEvent? {
            try await scenario.store.allEntries(matching: .stream(ActivityEvent.stream(of: scenario.other)))
                .map { try ActivityEvent($0.entry) }
                .last { $0.subject == .thread(scenario.thread.id) && $0.kind == .replied }
        }
        _ = try await scenario.service.reply(to: scenario.thread.id, by: scenario.other, body: "Before.")
        #expect(try await lastReply()?.subjectOwner == scenario.member)
        try await scenario.erase()
        _ = try await scenario.service.reply(to: scenario.thread.id, by: scenario.other, body: "After.")
        let after = try #require(try await lastReply())
        #expect(after.subjectOwner == nil)
    }

    @Test("an erased member's badge assertion is revoked, as erased on request, and names no recipient")
    func assertionNamesNoOne() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        let awards = RecordCollection<StoredAward>("badge-awards")
        let award = try #require(
            try await scenario.store.fetchAll(awards, where: IndexQuery("member", equals: scenario.member.rawValue))
                .first)
        try await scenario.erase()
        let publisher = try OpenBadgesPublisher(
            issuer: IssuerProfile(
                name: "Brightpath Academy", url: URL(string: "https://brightpath.example")!,
                email: "badges@brightpath.example"),
            baseURL: URL(string: "https://school.example/openbadges")!,
            secret: Array("a secret of at least thirty-two bytes for salts".utf8))
        let recognition = try RecognitionService(community: scenario.service, badges: SampleBadges.everyCriterion)
        let document = try #require(
            try await recognition.assertion(of: award.value.award.id, publisher: publisher, by: scenario.staff))
        let object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        #expect(object["revoked"] as? Bool == true)
        #expect(object["revocationReason"] as? String == StoredAward.erasedOnRequest)
        #expect(object["recipient"] == nil)
    }

    @Test("a share names its network and spotlight month, never free text, since the log keeps them")
    func shareTakesNoFreeText() async throws {
        let scenario = try await ErasureScenario(store: InMemoryStore())
        await #expect(throws: CommunityError.self) {
            try await scenario.service.share(.spotlight("2026-11"), by: scenario.other, on: "my friend Ada's group")
        }
        await #expect(throws: CommunityError.self) {
            try await scenario.service.share(.spotlight("Ada's month"), by: scenario.other, on: "linkedin")
        }
        let share = try await scenario.service.share(.spotlight("2026-11"), by: scenario.other, on: "LinkedIn")
        #expect(share.network == "linkedin")
    }
}
