import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

/// How quickly questions are answered, on hand-built timelines: time to the first answer and
/// to the accepted answer, the share answered within the target, and the queue of unanswered
/// questions, oldest first.
@Suite("Questions answered in time")
struct QuestionMetricsTests {
    @Test("scenario: four questions, answered after 1, 3 and 30 hours or never; accepted after 2 and 5 hours")
    func timeline() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let board = chapter.publicBoard
        let asker = try await community.learner("Asker")
        let helper = try await community.learner("Helper")
        let start = community.clock.now()
        var questions: [DiscussionThread] = []
        for index in 0..<4 {
            community.clock.set(start + Double(index) * 60)
            questions.append(
                try await service.startThread(on: board, by: asker.id, title: "Q\(index)", body: "?", isQuestion: true))
        }
        func at(_ hours: Double, after index: Int) { community.clock.set(start + Double(index) * 60 + hours * 3_600) }
        // The asker's own reply is no answer.
        at(0.5, after: 0)
        try await service.reply(to: questions[0].id, by: asker.id, body: "More context")
        at(1, after: 0)
        let first = try await service.reply(to: questions[0].id, by: helper.id, body: "A")
        at(2, after: 0)
        try await service.acceptAnswer(first.id, in: questions[0].id, by: asker.id)
        at(3, after: 1)
        let second = try await service.reply(to: questions[1].id, by: helper.id, body: "B")
        at(5, after: 1)
        try await service.acceptAnswer(second.id, in: questions[1].id, by: asker.id)
        at(30, after: 2)
        try await service.reply(to: questions[2].id, by: helper.id, body: "C")

        let period = DateInterval(start: start, duration: 86_400)
        let metrics = try await service.questionMetrics(
            for: .board(board), period: period, target: 24 * 3_600, by: staff.id)
        #expect(metrics.asked == 4 && metrics.answered == 3 && metrics.accepted == 2)
        #expect(metrics.timeToFirstAnswer.median == TimeInterval(3 * 3_600))
        #expect(metrics.timeToFirstAnswer.percentile90 == TimeInterval(30 * 3_600))
        #expect(metrics.timeToAcceptedAnswer.median == TimeInterval(2 * 3_600))
        #expect(metrics.timeToAcceptedAnswer.percentile90 == TimeInterval(5 * 3_600))
        #expect(metrics.shareAnsweredWithinTarget == 0.5)  // 2 of 4: one late, one never

        let queue = try await service.unansweredQuestions(in: .board(board), by: staff.id)
        #expect(queue.items.map(\.id) == [questions[3].id])

        // An empty period says so, without dividing by zero.
        let empty = try await service.questionMetrics(
            for: .board(board), period: DateInterval(start: start - 86_400 * 10, duration: 3_600), by: staff.id)
        #expect(empty.asked == 0 && empty.shareAnsweredWithinTarget == nil && empty.timeToFirstAnswer.median == nil)
    }

    @Test("the unanswered queue pages oldest first, and unknown boards and bad targets are refused")
    func queuePagesAndBadInput() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let asker = try await community.learner("Asker")
        var ids: [ThreadID] = []
        for index in 0..<5 {
            community.clock.advance(by: 60)
            ids.append(
                try await service.startThread(
                    on: chapter.publicBoard, by: asker.id, title: "Q\(index)", body: "?", isQuestion: true
                ).id)
        }
        let page = try await service.unansweredQuestions(in: .board(chapter.publicBoard), limit: 2, by: staff.id)
        #expect(page.items.map(\.id) == Array(ids[0..<2]))
        let next = try await service.unansweredQuestions(
            in: .board(chapter.publicBoard), after: ThreadID(page.nextCursor!), limit: 2, by: staff.id)
        #expect(next.items.map(\.id) == Array(ids[2..<4]))
        await #expect(throws: CommunityError.self) {
            try await service.questionMetrics(
                for: .board("nope"), period: DateInterval(start: .now, duration: 60), by: staff.id)
        }
        await #expect(throws: CommunityError.self) {
            try await service.questionMetrics(
                for: .board(chapter.publicBoard), period: DateInterval(start: .now, duration: 60), target: 0,
                by: staff.id)
        }
    }

    @Test("question figures and the queue count only the boards the reader may read")
    func filteredByReader() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let kofi = try await community.learner("Kofi")
        let amina = try await community.learner("Amina")
        for member in [kofi, amina] { try await service.join(chapter.id, member: member.id, by: member.id) }
        try await service.appointOrganizer(kofi.id, of: chapter.id, by: staff.id)
        let start = community.clock.now()
        _ = try await service.startThread(
            on: chapter.organizersBoard, by: kofi.id, title: "Who handles the venue?", body: "?", isQuestion: true)
        let period = DateInterval(start: start - 60, duration: 3_600)
        #expect(
            try await service.questionMetrics(for: .board(chapter.organizersBoard), period: period, by: staff.id).asked
                == 1)
        #expect(
            try await service.questionMetrics(for: .board(chapter.organizersBoard), period: period, by: amina.id).asked
                == 0)
        #expect(
            try await service.unansweredQuestions(in: .board(chapter.organizersBoard), by: kofi.id).items.count == 1)
        #expect(try await service.unansweredQuestions(in: .board(chapter.organizersBoard), by: amina.id).items.isEmpty)
    }
}
