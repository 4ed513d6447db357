import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// A question's asker (or staff) accepts one answer; the answer's author gets an entry that
/// engagement, points and badges count, and un-accepting reverses it.
@Suite("Accepted answers")
struct AcceptedAnswerTests {
    func setUp() async throws -> (TestCommunity, Board, asker: Member, helper: Member, staff: Member) {
        let community = TestCommunity()
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let board = try await community.service.board(chapter.publicBoard)
        return (community, board, try await community.learner("Asker"), try await community.learner("Helper"), staff)
    }

    @Test("scenario: the asker accepts an answer, the helper's activity records it, un-accepting reverses it")
    func acceptAndUnaccept() async throws {
        let (community, board, asker, helper, _) = try await setUp()
        let service = community.service
        let question = try await service.startThread(
            on: board.id, by: asker.id, title: "How do I pivot?", body: "In a spreadsheet", isQuestion: true)
        let answer = try await service.reply(to: question.id, by: helper.id, body: "Use a pivot table")
        let accepted = try await service.acceptAnswer(answer.id, in: question.id, by: asker.id)
        #expect(accepted.acceptedAnswer == answer.id)
        #expect(accepted.acceptedAt == community.clock.now())
        let entries = try await service.activity(of: helper.id, by: helper.id).map(\.event)
        let acceptance = try #require(entries.last)
        #expect(acceptance.kind == .answerAccepted)
        #expect(acceptance.actor == asker.id && acceptance.subject == .post(answer.id))

        let withdrawn = try await service.unacceptAnswer(in: question.id, by: asker.id)
        #expect(withdrawn.acceptedAnswer == nil)
        let reversal = try #require(try await service.activity(of: helper.id, by: helper.id).map(\.event).last)
        #expect(reversal.kind == .answerUnaccepted && reversal.reverses == acceptance.id)
        // Now another answer can be accepted.
        let second = try await service.reply(to: question.id, by: helper.id, body: "Or a query")
        #expect(try await service.acceptAnswer(second.id, in: question.id, by: asker.id).acceptedAnswer == second.id)
    }

    @Test(
        "accepting twice, an answer from another thread, a non-answer, on a discussion, or by someone else is refused")
    func refusals() async throws {
        let (community, board, asker, helper, staff) = try await setUp()
        let service = community.service
        let question = try await service.startThread(
            on: board.id, by: asker.id, title: "Q", body: "?", isQuestion: true)
        let other = try await service.startThread(on: board.id, by: asker.id, title: "Q2", body: "?", isQuestion: true)
        let discussion = try await service.startThread(on: board.id, by: asker.id, title: "Hi", body: "Chat")
        let answer = try await service.reply(to: question.id, by: helper.id, body: "A")
        let elsewhere = try await service.reply(to: other.id, by: helper.id, body: "B")
        let chat = try await service.reply(to: discussion.id, by: helper.id, body: "Hello")
        func invalidInput(_ error: CommunityError) -> Bool { if case .invalidInput = error { true } else { false } }
        func invalidState(_ error: CommunityError) -> Bool { if case .invalidState = error { true } else { false } }
        func notPermitted(_ error: CommunityError) -> Bool { if case .notPermitted = error { true } else { false } }
        try await community.expectRefusal(invalidInput) {
            try await service.acceptAnswer(elsewhere.id, in: question.id, by: asker.id)
        }
        try await community.expectRefusal(invalidState) {
            try await service.acceptAnswer(chat.id, in: discussion.id, by: asker.id)
        }
        try await community.expectRefusal(invalidInput) {
            try await service.acceptAnswer(question.openingPost, in: question.id, by: asker.id)
        }
        try await community.expectRefusal(notPermitted) {
            try await service.acceptAnswer(answer.id, in: question.id, by: helper.id)
        }
        try await community.expectRefusal(invalidState) {
            try await service.unacceptAnswer(in: question.id, by: asker.id)
        }
        // Staff may accept for the asker; a second acceptance needs an un-accept first.
        try await service.acceptAnswer(answer.id, in: question.id, by: staff.id)
        try await community.expectRefusal(invalidState) {
            try await service.acceptAnswer(answer.id, in: question.id, by: asker.id)
        }
        try await community.expectRefusal(notPermitted) {
            try await service.unacceptAnswer(in: question.id, by: helper.id)
        }
    }
}
