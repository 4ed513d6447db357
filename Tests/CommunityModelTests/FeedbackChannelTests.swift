import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@Suite("Feedback channel to the community manager")
struct FeedbackChannelTests {
    @Test("a leader opens an item, the manager answers and closes it; open items past the limit are listed")
    func lifecycle() async throws {
        let community = TestCommunity()
        let service = community.service
        let (staff, chapter, amina) = try await community.nairobiWithOrganizer()

        let venue = try await service.openFeedback(
            by: amina.id, title: "Venue costs", body: "Can the school cover the room?", chapter: chapter.id)
        community.clock.advance(by: 3 * 86_400)
        let swag = try await service.openFeedback(by: amina.id, title: "Stickers", body: "We ran out.")
        #expect(try await service.overdueFeedback(olderThan: 2 * 86_400, by: staff.id).map(\.id) == [venue.id])
        // Feedback is for its parties: the leader who opened it sees theirs, another member none.
        #expect(try await service.overdueFeedback(olderThan: 2 * 86_400, by: amina.id).map(\.id) == [venue.id])
        let other = try await community.learner("Zawadi")
        #expect(try await service.overdueFeedback(olderThan: 0, by: other.id).isEmpty)

        let answered = try await service.answerFeedback(venue.id, by: staff.id, body: "Yes, up to 50 EUR.")
        #expect(answered.status == .answered)
        community.clock.advance(by: 1)
        #expect(
            try await service.overdueFeedback(olderThan: 0, by: staff.id).map(\.id) == [swag.id],
            "answered items are not overdue")
        let closed = try await service.closeFeedback(venue.id, by: staff.id)
        #expect(closed.status == .closed)
        #expect(closed.answers.map(\.body) == ["Yes, up to 50 EUR."])
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            _ = try await service.answerFeedback(venue.id, by: staff.id, body: "again")
        }
        try await community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            _ = try await service.closeFeedback(swag.id, by: amina.id)
        }
        let learner = try await community.learner("Baraka")
        try await community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            _ = try await service.openFeedback(by: learner.id, title: "Hi", body: "I am not a leader")
        }
        #expect(try await community.kinds(of: amina.id).filter { $0 == .openedFeedback }.count == 2)
    }
}
