import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@Suite("Threads, answers, feedback and reactions")
struct DiscussionTests {
    func setUp() async throws -> (TestCommunity, Board, Member, Member) {
        let community = TestCommunity()
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let board = try await community.service.board(chapter.publicBoard)
        return (community, board, try await community.learner("Asker"), try await community.learner("Helper"))
    }

    @Test("a reply to a question is an answer, and only the first response by someone else is marked first")
    func firstResponse() async throws {
        let (community, board, asker, helper) = try await setUp()
        let question = try await community.service.startThread(
            on: board.id, by: asker.id, title: "How do I pivot?", body: "In a spreadsheet", isQuestion: true)
        try await community.service.reply(to: question.id, by: asker.id, body: "Adding context")
        let answer = try await community.service.reply(to: question.id, by: helper.id, body: "Use a pivot table")
        try await community.service.reply(to: question.id, by: helper.id, body: "And a chart")
        #expect(answer.kind == .answer)
        let answers = try await community.service.activity(
            about: .thread(question.id), by: try await community.founder().id
        ).map(\.event)
            .filter { $0.kind == .answered }
        #expect(answers.map(\.details.isFirstResponse) == [false, true, false])
        #expect(answers.allSatisfy { $0.subjectOwner == asker.id })
    }

    @Test("feedback is for a peer's answer, not one's own")
    func feedbackOnPeers() async throws {
        let (community, board, asker, helper) = try await setUp()
        let question = try await community.service.startThread(
            on: board.id, by: asker.id, title: "Q", body: "?", isQuestion: true)
        let answer = try await community.service.reply(to: question.id, by: helper.id, body: "A")
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await community.service.giveFeedback(on: answer.id, by: helper.id, body: "I am great")
        }
        let feedback = try await community.service.giveFeedback(on: answer.id, by: asker.id, body: "Thanks, it worked")
        #expect(feedback.inResponseTo == answer.id)
        #expect(try await community.kinds(of: asker.id).last == .gaveFeedback)
    }

    @Test("a member reacts with each kind at most once per post, and the owner is recorded")
    func reactions() async throws {
        let (community, board, asker, helper) = try await setUp()
        let thread = try await community.service.startThread(on: board.id, by: asker.id, title: "Hello", body: "Hi all")
        try await community.service.react(.like, to: thread.openingPost, by: helper.id)
        try await community.service.react(.thanks, to: thread.openingPost, by: helper.id)
        try await community.expectRefusal({ if case .alreadyExists = $0 { true } else { false } }) {
            try await community.service.react(.like, to: thread.openingPost, by: helper.id)
        }
        let reaction = try await community.service.activity(of: helper.id, by: helper.id).last?.event
        #expect(reaction?.subjectOwner == asker.id)
        #expect(try await community.service.posts(in: thread.id, by: helper.id).count == 1)
    }

    @Test("a withdrawn reaction reverses the entry that gave it, and can be given again")
    func withdrawReaction() async throws {
        let (community, board, asker, helper) = try await setUp()
        let thread = try await community.service.startThread(on: board.id, by: asker.id, title: "Hello", body: "Hi all")
        try await community.service.react(.like, to: thread.openingPost, by: helper.id)
        let given = try #require(try await community.service.activity(of: helper.id, by: helper.id).last?.event)
        try await community.service.withdrawReaction(.like, from: thread.openingPost, by: helper.id)
        let withdrawn = try #require(try await community.service.activity(of: helper.id, by: helper.id).last?.event)
        #expect(withdrawn.kind == .reactionWithdrawn)
        #expect(withdrawn.reverses == given.id)
        #expect(withdrawn.subjectOwner == asker.id)
        try await community.expectRefusal({ if case .notFound = $0 { true } else { false } }) {
            try await community.service.withdrawReaction(.like, from: thread.openingPost, by: helper.id)
        }
        try await community.service.react(.like, to: thread.openingPost, by: helper.id)
    }
}
