import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Surveys
import Testing

/// A survey response retried after a lost commit answer is stored once; an anonymous one keeps
/// no record of its idempotency key, which would name the respondent beside the tallies.
@Suite("Survey responses that cannot apply twice")
struct IdempotentResponseTests {
    @Test(
        "a response whose commit answer is lost is stored once; an anonymous one keeps no key record",
        arguments: [false, true], [OutcomeLosingStore.Loss.afterCommitting, .beforeCommitting])
    func lostAnswer(anonymous: Bool, loss: OutcomeLosingStore.Loss) async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        var draft = SurveyTests.questionnaire
        draft.isAnonymous = anonymous
        let survey = try await community.service.createSurvey(draft, by: staff.id)
        let member = try await community.learner("Ana")
        let lossy = OutcomeLosingStore(community.store)
        let service = CommunityService(store: lossy, clock: community.clock, secrets: SeededSecrets(seed: 3))
        let keysBefore = try await community.store.allRecords(in: "idempotency").count
        let key = try IdempotencyKey("survey-answer-1")
        lossy.lose(loss)
        try await service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(4)], idempotencyKey: key)
        #expect(lossy.lostAnswers == 1)
        #expect(try await community.kinds(of: member.id).filter { $0 == .respondedToSurvey }.count == 1)
        let keys = try await community.store.allRecords(in: "idempotency").count - keysBefore
        #expect(keys == (anonymous ? 0 : 1))
        // Repeated later with the same key: a response that is not anonymous returns as the
        // first did; an anonymous one meets the one-response guard, which says it went in.
        if anonymous {
            await #expect(throws: CommunityError.alreadyExists(kind: "survey response", id: "q|\(member.id)")) {
                try await service.respond(
                    to: survey.id, by: member.id, answers: ["mood": .scale(4)], idempotencyKey: key)
            }
        } else {
            try await service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(4)], idempotencyKey: key)
        }
        try await community.service.closeSurvey(survey.id, by: staff.id)
        let results = try await community.service.surveyResults(
            of: survey.id, policy: SurveyPolicy(minimumSegmentSize: 1), by: staff.id)
        #expect(results.responseCount == 1)
    }
}
