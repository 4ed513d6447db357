import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@testable import Surveys

/// The property behind complementary suppression: whatever the population and the segmentation,
/// no hidden cell can be computed from what is shown. Changing the answers of every respondent
/// in a hidden segment changes nothing in the results: a figure that does not move with them
/// cannot reveal them.
@Suite("Suppression of small segments")
struct SuppressionPropertyTests {
    static let questions = [
        SurveyQuestion(id: "rating", prompt: "How was it?", kind: .scale),
        SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter),
        SurveyQuestion(id: "format", prompt: "Format", kind: .singleChoice(["Online", "In person"])),
        SurveyQuestion(id: "say", prompt: "Say", kind: .freeText(maxLength: 50)),
    ]
    static let chapters: [ChapterID] = ["acc", "lim", "nbo"]

    static func answers(_ random: inout SeededGenerator) -> [String: SurveyAnswer] {
        [
            "rating": .scale(1 + Int(random.next() % 5)), "nps": .netPromoter(Int(random.next() % 11)),
            "format": .choice(random.next() % 2 == 0 ? "Online" : "In person"),
            "say": .text(["more", "less", "same"][Int(random.next() % 3)]),
        ]
    }

    @Test("no hidden cell can be computed from what is shown, for random populations and segmentations")
    func hiddenCellsCannotBeDerived() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        var random = SeededGenerator(seed: 26)
        for anonymous in [false, true] {
            let survey = try await community.service.createSurvey(
                NewSurvey(title: "Pulse", questions: Self.questions, isAnonymous: anonymous), by: staff.id)
            for _ in 0..<400 {
                let segmentation: SurveySegmentation = [.none, .chapter, .journeyStage][Int(random.next() % 3)]
                let policy = try SurveyPolicy(minimumSegmentSize: 1 + Int(random.next() % 6)).validated()
                var responses: [SurveyResponse] = []
                for _ in 0..<Int(random.next() % 40) {
                    responses.append(
                        SurveyResponse(
                            survey: survey.id, member: nil, respondedAt: nil,
                            chapters: Self.chapters.filter { _ in random.next() % 3 == 0 },
                            journeyStage: JourneyStage.allCases[Int(random.next() % 3)],
                            answers: Self.answers(&random)))
                }
                let shown = Self.results(responses, of: survey, by: segmentation, policy: policy, anonymous: anonymous)
                let hidden = Set(shown.segments.filter(\.isHidden).map(\.segment))
                for segment in shown.segments where segment.isHidden {
                    #expect(segment.responseCount == nil && segment.questions.isEmpty)
                }
                if !hidden.isEmpty {
                    #expect(shown.overall.isHidden && shown.responseCount == nil)
                }
                // Everyone in a hidden segment answers differently: nothing shown may move.
                let changed = responses.map { response -> SurveyResponse in
                    guard
                        hidden.contains(Self.segment(of: response, by: segmentation))
                            || shown.overall.isHidden
                                && segmentation == .none
                    else { return response }
                    var response = response
                    response.answers = Self.answers(&random)
                    return response
                }
                let again = Self.results(changed, of: survey, by: segmentation, policy: policy, anonymous: anonymous)
                #expect(again == shown, "\(segmentation), minimum \(policy.minimumSegmentSize), hidden \(hidden)")
                // What the anonymous survey stores gives the same results as the responses.
                if anonymous {
                    var named = survey
                    named.isAnonymous = false
                    let fromResponses = Self.results(
                        responses, of: named, by: segmentation, policy: policy, anonymous: false)
                    #expect(fromResponses.segments == shown.segments)
                }
            }
        }
    }

    @Test("a survey policy decoded from a file is checked as the results check it")
    func policyDecoding() throws {
        let good = try JSONDecoder().decode(SurveyPolicy.self, from: Data(#"{"minimumSegmentSize":3}"#.utf8))
        #expect(good.minimumSegmentSize == 3)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SurveyPolicy.self, from: Data(#"{"minimumSegmentSize":0}"#.utf8))
        }
    }

    static func segment(of response: SurveyResponse, by segmentation: SurveySegmentation) -> SurveySegment {
        switch segmentation {
        case .none: .all
        case .chapter: .chapterSegment(of: response.chapters)
        case .journeyStage: .journeyStage(response.journeyStage)
        }
    }

    /// The results as the service computes them: from responses, or, for an anonymous survey,
    /// from the tallies it stores instead (split in shards as the service does).
    static func results(
        _ responses: [SurveyResponse], of survey: Survey, by segmentation: SurveySegmentation, policy: SurveyPolicy,
        anonymous: Bool
    ) -> SurveyResults {
        var aggregator = SurveyAggregator(survey: survey, segmentation: segmentation, includeFreeText: true)
        if anonymous {
            var shards = Array(repeating: AnonymousTallies(survey: survey), count: AnonymousTallies.shards)
            var chunks = Array(repeating: AnonymousTexts(survey: survey.id), count: AnonymousTallies.shards)
            for (index, response) in responses.enumerated() {
                shards[index % AnonymousTallies.shards].add(response, of: survey)
                for entry in AnonymousTallies.texts(of: response, in: survey) {
                    chunks[index % AnonymousTallies.shards].insert(entry)
                }
            }
            for shard in shards { aggregator.add(shard) }
            for chunk in chunks { aggregator.add(chunk) }
        } else {
            for response in responses { aggregator.add(response) }
        }
        return aggregator.results(policy: policy)
    }
}
