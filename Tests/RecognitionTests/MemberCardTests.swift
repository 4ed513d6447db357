import CommunityModel
import Foundation
import Testing

@testable import Recognition

/// Member cards: identity labels from roles, chapters and journey, the badges held (revoked
/// ones left out), rendered with every string escaped.
@Suite("Member cards")
struct MemberCardTests {
    @Test("an organizer's card names their chapter and badges; a revoked badge is left out; text is escaped")
    func card() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        let amina = fixture.learners[0].id
        try await fixture.community.appointOrganizer(amina, of: "nbo", by: fixture.staff.id)
        _ = try await fixture.community.updateProfile(of: amina, by: amina) {
            $0.headline = "Data <em>nerd</em> & \"mentor\""
            $0.consents.insert(.spotlight)
        }
        let recognition = try RecognitionService(community: fixture.community, badges: RecognitionServiceTests.badges)
        try await recognition.refresh()
        try await recognition.revoke(AwardID("welcome|\(amina)|1"), reason: "Test", by: fixture.staff.id)
        let card = try await recognition.memberCard(of: amina)
        #expect(card.labels == ["Chapter organizer, Nairobi", "Member"])
        #expect(card.badges == ["Local"])
        let html = card.html()
        #expect(html.contains("Data &lt;em&gt;nerd&lt;/em&gt; &amp; &quot;mentor&quot;"))
        #expect(!html.contains("<em>"))
        #expect(card.markdown().contains("Data &lt;em&gt;nerd&lt;/em&gt; &amp; \"mentor\""))
        let staff = try await recognition.memberCard(of: fixture.staff.id)
        #expect(staff.labels.first == "Staff")
        await #expect(throws: CommunityError.self) { try await recognition.memberCard(of: "nobody") }
    }

    /// Issue 26: a card listed the badges of a member who never agreed to be featured.
    @Test("a member who did not agree to be featured shows no badges on their card")
    func badgesNeedConsent() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        let baraka = fixture.learners[1].id
        let recognition = try RecognitionService(community: fixture.community, badges: RecognitionServiceTests.badges)
        try await recognition.refresh()
        #expect(try await !recognition.awards(of: baraka, by: baraka).isEmpty)
        #expect(try await recognition.memberCard(of: baraka).badges == [])
    }
}
