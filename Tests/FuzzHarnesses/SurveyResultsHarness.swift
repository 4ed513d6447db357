import CommunityModel
import Foundation
import Surveys

/// Survey results from random surveys (every kind of question) and random responses (answers
/// that fit and answers that do not), with every segmentation and minimum segment size.
///
/// Properties: the tallies an anonymous survey stores, in any number of shards, give the same
/// results as the responses themselves; a segment is shown exactly when it has at least the
/// minimum (segments counted from the responses: no chapter, one, several; each journey stage),
/// and the overall figures only when no segment is hidden (and, for an anonymous survey, when it
/// has the minimum); counts of a question add up to those who answered it; the CSV reads back.
enum SurveyResultsHarness {
    static let target = FuzzTarget(
        name: "survey-results",
        summary:
            "random surveys and responses: anonymous tallies in shards equal the responses, segments hidden below the minimum"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let options = ["a", "b", "c", "d"]
        var questions: [SurveyQuestion] = []
        for index in 0..<(1 + Int(input.byte() % 5)) {
            let kind: SurveyQuestion.Kind = input.pick([
                .scale, .netPromoter, .singleChoice(Array(options.prefix(2 + index % 3))),
                .multipleChoice(options), .freeText(maxLength: 100),
            ])
            questions.append(SurveyQuestion(id: "q\(index)", prompt: input.text(maxBytes: 20), kind: kind))
        }
        let anonymous = input.bool()
        let survey = Survey(
            id: "s1", title: input.text(maxBytes: 20), questions: questions, isAnonymous: anonymous, createdBy: "sam",
            createdAt: Date(timeIntervalSince1970: 1_767_225_600))
        let chapters: [ChapterID] = ["nbo", "lagos", "lima"]
        var responses: [SurveyResponse] = []
        for _ in 0..<Int(input.byte() % 40) {
            guard !input.isExhausted else { break }
            var answers: [String: SurveyAnswer] = [:]
            for question in questions where input.byte() % 4 != 0 {
                answers[question.id] = input.pick([
                    .scale(input.anyInt()), .scale(1 + Int(input.byte() % 5)), .netPromoter(Int(input.byte() % 12)),
                    .choice(input.pick(options + ["z"])),
                    .choices((0..<Int(input.byte() % 4)).map { _ in input.pick(options) }),
                    .text(input.text(maxBytes: 30)),
                ])
            }
            let memberChapters = (0..<Int(input.byte() % 3)).map { _ in input.pick(chapters) }
            responses.append(
                SurveyResponse(
                    survey: "s1", member: nil, respondedAt: nil, chapters: memberChapters,
                    journeyStage: input.pick(JourneyStage.allCases), answers: answers))
        }
        let policy = SurveyPolicy(minimumSegmentSize: 1 + Int(input.byte() % 8))
        let shards = 1 + Int(input.byte() % 8)
        var tallies = (0..<shards).map { _ in AnonymousTallies(survey: survey) }
        for response in responses { tallies[Int(input.byte()) % shards].add(response, of: survey) }

        for segmentation in SurveySegmentation.allCases {
            var direct = SurveyAggregator(survey: survey, segmentation: segmentation, includeFreeText: false)
            for response in responses { direct.add(response) }
            var fromTallies = SurveyAggregator(survey: survey, segmentation: segmentation, includeFreeText: false)
            for shard in tallies { fromTallies.add(shard) }
            let results = direct.results(policy: policy)
            try expect(
                results == fromTallies.results(policy: policy),
                "\(segmentation): the stored tallies give other results than the responses")
            try check(results, responses: responses, policy: policy, anonymous: anonymous)
            var withTexts = SurveyAggregator(survey: survey, segmentation: segmentation, includeFreeText: true)
            for response in responses { withTexts.add(response) }
            _ = withTexts.results(policy: policy).markdown()
            let csv = results.csv()
            do { _ = try CSVProperties.parse(csv) } catch { throw PropertyViolation("the results' CSV: \(error)") }
            _ = results.markdown()
        }
    }

    static func check(
        _ results: SurveyResults, responses: [SurveyResponse], policy: SurveyPolicy, anonymous: Bool
    ) throws(PropertyViolation) {
        let minimum = policy.minimumSegmentSize
        let anyHidden = results.segments.contains { $0.isHidden }
        let total = responses.count
        let overallShown = !anyHidden && !(anonymous && total > 0 && total < minimum)
        try expect(
            results.responseCount == (overallShown ? total : nil),
            "the overall count is \(String(describing: results.responseCount)) for \(total) responses")
        try expect(results.overall.isHidden == !overallShown, "the overall figures are shown when they must not be")
        // The segments, counted from the responses as the results documentation states them: a
        // member of no chapter, of one, or of several; each journey stage.
        var expected: [SurveySegment: Int] = [:]
        for response in responses {
            switch results.segmentation {
            case .none: break
            case .chapter:
                let chapters = Set(response.chapters)
                let key: SurveySegment =
                    chapters.isEmpty ? .noChapter : chapters.count == 1 ? .chapter(chapters.first!) : .severalChapters
                expected[key, default: 0] += 1
            case .journeyStage: expected[.journeyStage(response.journeyStage), default: 0] += 1
            }
        }
        try expect(
            Set(results.segments.map(\.segment)) == Set(expected.keys),
            "the segments are \(results.segments.map(\.segment)), not \(expected.keys.sorted())")
        for segment in results.segments {
            let count = expected[segment.segment] ?? 0
            try expect(segment.isHidden == (count < minimum), "a segment of \(count) is hidden: \(segment.isHidden)")
            try expect(
                segment.responseCount == (segment.isHidden ? nil : count), "a segment of \(count) shows another count")
            for question in segment.questions {
                try expect(question.responseCount <= count, "a question has more answers than its segment")
            }
        }
        for question in results.overall.questions {
            switch question.summary {
            case .scale(let summary):
                try expect(summary.counts.reduce(0, +) == question.responseCount, "scale counts do not add up")
            case .netPromoter(let summary):
                try expect(summary.counts.reduce(0, +) == question.responseCount, "0–10 counts do not add up")
            case .singleChoice(let counts):
                try expect(counts.reduce(0) { $0 + $1.count } == question.responseCount, "choice counts do not add up")
            case .multipleChoice(let counts, let respondents):
                try expect(respondents == question.responseCount, "a multiple choice counts other respondents")
                try expect(counts.allSatisfy { $0.count <= respondents }, "an option has more votes than respondents")
            case .freeText: break
            }
        }
    }
}
