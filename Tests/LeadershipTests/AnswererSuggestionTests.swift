import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

/// Suggested answerers for an open question: those who answered here before (accepted answers
/// weigh more), awake now in their own time zone, who agreed to be suggested; never the asker.
@Suite("Answerer suggestions")
struct AnswererSuggestionTests {
    @Test("scenario: at 12:00 UTC, Berlin and Tokyo are awake, Honolulu is asleep; consent and the asker are respected")
    func suggestions() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.berlin(by: staff)
        let board = chapter.publicBoard
        let asker = try await community.learner("Asker", country: "DE", timeZone: "Europe/Berlin")
        let ada = try await community.learner("Ada", country: "DE", timeZone: "Europe/Berlin")
        let ben = try await community.learner("Ben", country: "US", timeZone: "Pacific/Honolulu")
        let cai = try await community.learner("Cai", country: "JP", timeZone: "Asia/Tokyo")
        let dee = try await community.learner("Dee", country: "DE", timeZone: "Europe/Berlin")
        for member in [asker, ada, ben, cai] {
            _ = try await service.updateProfile(of: member.id, by: member.id) {
                $0.consents.insert(.answererSuggestions)
            }
        }
        // Past questions: Ada answers two (one accepted), Ben three, Cai one, Dee five, and the
        // asker answers one of Ada's.
        func question(by author: Member, answeredBy helpers: [Member], accept: Bool = false) async throws {
            let thread = try await service.startThread(
                on: board, by: author.id, title: "Q", body: "?", isQuestion: true)
            for helper in helpers {
                let answer = try await service.reply(to: thread.id, by: helper.id, body: "A")
                if accept && helper.id == helpers[0].id {
                    try await service.acceptAnswer(answer.id, in: thread.id, by: author.id)
                }
            }
        }
        try await question(by: asker, answeredBy: [ada, ben, dee], accept: true)
        try await question(by: asker, answeredBy: [ada, ben, cai, dee])
        try await question(by: asker, answeredBy: [ben, dee, dee, dee])
        try await question(by: ada, answeredBy: [asker])
        community.clock.set(Date(timeIntervalSince1970: 1_767_225_600 + 12 * 3_600))  // 2026-01-01 12:00 UTC
        let open = try await service.startThread(on: board, by: asker.id, title: "Open", body: "?", isQuestion: true)

        let suggestions = try await service.suggestAnswerers(for: open.id, by: staff.id)
        #expect(suggestions.map(\.member) == [ada.id, cai.id])
        #expect(
            suggestions[0].reason
                == "answered 2 questions on this board (1 accepted); it is 13:00 for them (Europe/Berlin)")
        #expect(suggestions[1].reason == "answered 1 question on this board; it is 21:00 for them (Asia/Tokyo)")
        // Ben (02:00 in Honolulu), Dee (no consent) and the asker are never suggested.
        #expect(!suggestions.contains { [ben.id, dee.id, asker.id].contains($0.member) })

        // Not for discussions or answered questions.
        let chat = try await service.startThread(on: board, by: asker.id, title: "Hi", body: "Chat")
        await #expect(throws: CommunityError.self) { try await service.suggestAnswerers(for: chat.id, by: staff.id) }
        let answer = try await service.reply(to: open.id, by: ada.id, body: "A")
        try await service.acceptAnswer(answer.id, in: open.id, by: asker.id)
        await #expect(throws: CommunityError.self) { try await service.suggestAnswerers(for: open.id, by: staff.id) }
    }
}
