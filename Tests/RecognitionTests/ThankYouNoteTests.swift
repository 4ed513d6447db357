import CommunityModel
import Foundation
import Testing

@testable import Recognition

/// Thank-you notes from staff or peers stay on record and show on the thanked member's profile.
@Suite("Thank-you notes")
struct ThankYouNoteTests {
    @Test("staff and peers thank a member; the notes show newest first; bad notes are refused")
    func notes() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        let recognition = try RecognitionService(community: fixture.community, badges: [])
        let (amina, baraka) = (fixture.learners[0].id, fixture.learners[1].id)
        let fromPeer = try await recognition.thank(amina, message: "Thanks for the study group!", by: baraka)
        fixture.clock.advance(by: 60)
        let fromStaff = try await recognition.thank(amina, message: "Thank you for hosting.", by: fixture.staff.id)
        #expect(!fromPeer.fromStaff && fromStaff.fromStaff)
        #expect(
            try await recognition.thanks(of: amina, by: amina).map(\.message) == [
                "Thank you for hosting.", "Thanks for the study group!",
            ])
        #expect(try await recognition.thanks(of: amina, limit: 1, by: amina).count == 1)
        #expect(try await fixture.community.activity(of: baraka, by: baraka).map(\.event.kind).contains(.thanked))

        for (member, author, message) in [
            (amina, amina, "Me!"), (amina, baraka, "   "), (amina, baraka, String(repeating: "x", count: 1_001)),
            (amina, baraka, "a\u{0}b"), ("nobody", baraka, "Hi"),
        ] as [(MemberID, MemberID, String)] {
            await #expect(throws: CommunityError.self) {
                try await recognition.thank(member, message: message, by: author)
            }
        }
        // The same note twice at the same moment is one note.
        try await recognition.thank(baraka, message: "Great answer", by: amina)
        await #expect(throws: CommunityError.self) {
            try await recognition.thank(baraka, message: "Great answer", by: amina)
        }
    }
}
