import CommunityModel
import Foundation
import Storage
import StorageTestKit
import Testing

/// The scenario: Kofi organizes the Accra chapter and Ama is a learner in it. Staff suspend Kofi
/// for spam. Until the suspension ends he still reads the public board and his own data, but he
/// cannot post, create events or read the chapter's roster any more; Ama may read her own
/// activity and not Kofi's; a community manager may fix Ama's headline, never her consents.
/// Every refusal names its rule and stores nothing.
@Suite("Who may do what")
struct AuthorityScenarioTests {
    @Test("scenario: a suspended organizer keeps public reads and his own data, and loses his powers")
    func suspendedOrganizer() async throws {
        let world = try await World.build(seed: 11)
        let services = Services(copying: world)
        let community = services.community
        let kofi = try await community.registerMember(
            NewMember(displayName: "Kofi", email: "kofi@school.example", country: "GH", timeZone: "Africa/Accra"))
        let ama = try await community.registerMember(
            NewMember(displayName: "Ama", email: "ama@school.example", country: "GH", timeZone: "Africa/Accra"))
        let manager = try await community.registerMember(
            NewMember(
                displayName: "Mia", email: "mia@school.example", country: "GH", timeZone: "Africa/Accra",
                roles: [.communityManager]),
            by: "root")
        try await community.appointOrganizer(kofi.id, of: "accra", by: "root")
        try await community.join("accra", member: ama.id, by: ama.id)
        try await community.suspend(kofi.id, until: World.now + 7 * 86_400, by: "root", reason: "Spam")

        // Public reads and his own data stay his.
        let accra = try await community.chapter("accra")
        _ = try await community.threads(on: accra.publicBoard, by: kofi.id)
        _ = try await community.activity(of: kofi.id, by: kofi.id)
        _ = try await community.standing(of: kofi.id, by: kofi.id)
        // Powers and taking part do not.
        let before = try await StoreSnapshot(of: services.store)
        try await expectRule(.goodStanding) {
            try await community.startThread(on: accra.publicBoard, by: kofi.id, title: "Hi", body: "Hello")
        }
        try await expectRule(.goodStanding) { try await community.roster(of: world.event, by: kofi.id) }
        try await expectRule(.themselfOrStaff) { try await community.activity(of: kofi.id, by: ama.id) }
        try await expectRule(.themselfOnly) {
            try await community.updateProfile(of: ama.id, by: manager.id) { $0.consents.insert(.newsletter) }
        }
        #expect(try await StoreSnapshot(of: services.store).difference(from: before) == nil)
        // Support powers stop at consents.
        let fixed = try await community.updateProfile(of: ama.id, by: manager.id) { $0.headline = "Data learner" }
        #expect(fixed.profile.headline == "Data learner")
    }

    /// Runs `body` and expects a refusal naming `rule`.
    func expectRule<T>(
        _ rule: AuthorityRule, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
    ) async throws {
        do {
            _ = try await body()
            Issue.record("expected a refusal by \(rule.rawValue), but it was allowed", sourceLocation: sourceLocation)
        } catch let error as CommunityError {
            #expect(error.rule == rule, "\(error)", sourceLocation: sourceLocation)
        }
    }
}
