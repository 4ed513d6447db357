import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@testable import Surveys

@Suite("Member surveys")
struct SurveyTests {
    @Test("staff ask, members answer once, staff read the results")
    func scenario() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(
            NewSurvey(
                id: "meetups", title: "How are the meetups?",
                questions: [
                    SurveyQuestion(
                        id: "nps", prompt: "Would you recommend the meetups to a friend?", kind: .netPromoter,
                        isRequired: true),
                    SurveyQuestion(
                        id: "better", prompt: "What would make them better?", kind: .freeText(maxLength: 500)),
                ]),
            by: staff.id)

        let ana = try await community.learner("Ana")
        let bruno = try await community.learner("Bruno")
        try await community.service.respond(
            to: survey.id, by: ana.id, answers: ["nps": .netPromoter(10), "better": .text("More talks")])
        try await community.service.respond(to: survey.id, by: bruno.id, answers: ["nps": .netPromoter(6)])
        // A second response by the same member is refused.
        await #expect(throws: CommunityError.alreadyExists(kind: "survey response", id: "meetups|\(ana.id)")) {
            try await community.service.respond(to: survey.id, by: ana.id, answers: ["nps": .netPromoter(0)])
        }

        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        #expect(results.responseCount == 2)
        guard case .netPromoter(let nps) = results.overall.questions[0].summary else {
            Issue.record("expected Net Promoter figures")
            return
        }
        #expect((nps.promoters, nps.passives, nps.detractors) == (1, 0, 1))
        #expect(nps.score == 0)
        #expect(try await community.kinds(of: ana.id).last == .respondedToSurvey)
    }

    // MARK: Defining a survey

    struct BadSurvey: Sendable, CustomTestStringConvertible {
        var name: String
        var draft: NewSurvey
        var field: String
        var testDescription: String { name }
    }

    static let rating = SurveyQuestion(id: "rating", prompt: "How was it?", kind: .scale)

    static let badSurveys: [BadSurvey] = [
        BadSurvey(name: "empty title", draft: NewSurvey(title: "  ", questions: [rating]), field: "title"),
        BadSurvey(
            name: "over-long title", draft: NewSurvey(title: String(repeating: "a", count: 201), questions: [rating]),
            field: "title"),
        BadSurvey(name: "NUL in the title", draft: NewSurvey(title: "Hi\u{0}", questions: [rating]), field: "title"),
        BadSurvey(
            name: "NUL in the intro", draft: NewSurvey(title: "Hi", intro: "a\u{0}b", questions: [rating]),
            field: "intro"),
        BadSurvey(name: "no questions", draft: NewSurvey(title: "Hi", questions: []), field: "questions"),
        BadSurvey(
            name: "a bad survey id", draft: NewSurvey(id: "no spaces", title: "Hi", questions: [rating]),
            field: "survey id"),
        BadSurvey(
            name: "a bad question id",
            draft: NewSurvey(title: "Hi", questions: [SurveyQuestion(id: "a/b", prompt: "Q", kind: .scale)]),
            field: "questions[0].id"),
        BadSurvey(
            name: "two questions with one id", draft: NewSurvey(title: "Hi", questions: [rating, rating]),
            field: "questions[1].id"),
        BadSurvey(
            name: "an empty prompt",
            draft: NewSurvey(title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "", kind: .scale)]),
            field: "questions[0].prompt"),
        BadSurvey(
            name: "NUL in a prompt",
            draft: NewSurvey(title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "Q\u{0}", kind: .scale)]),
            field: "questions[0].prompt"),
        BadSurvey(
            name: "a choice with one option",
            draft: NewSurvey(
                title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "Q", kind: .singleChoice(["Only"]))]),
            field: "questions[0].options"),
        BadSurvey(
            name: "options that differ only in case",
            draft: NewSurvey(
                title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "Q", kind: .multipleChoice(["Yes", "yes"]))]),
            field: "questions[0].options[1]"),
        BadSurvey(
            name: "an empty option",
            draft: NewSurvey(
                title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "Q", kind: .singleChoice(["Yes", " "]))]),
            field: "questions[0].options[1]"),
        BadSurvey(
            name: "a free-text limit of 0",
            draft: NewSurvey(
                title: "Hi", questions: [SurveyQuestion(id: "q", prompt: "Q", kind: .freeText(maxLength: 0))]),
            field: "questions[0].maxLength"),
        BadSurvey(
            name: "a closing time that has passed",
            draft: NewSurvey(
                title: "Hi", questions: [rating], closesAt: Date(timeIntervalSince1970: 1_767_225_600 - 60)),
            field: "closesAt"),
    ]

    @Test("a survey with a mistake is refused, naming the field to fix", arguments: badSurveys)
    func definitionRefusals(_ bad: BadSurvey) async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        try await community.expectRefusal({ error in
            guard case .invalidInput(let field, let reason) = error else { return false }
            return field == bad.field && !reason.isEmpty
        }) {
            try await community.service.createSurvey(bad.draft, by: staff.id)
        }
    }

    @Test("only staff and community managers create surveys; an id is taken once")
    func whoCreates() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let learner = try await community.learner("Lea")
        let draft = NewSurvey(id: "pulse", title: "Pulse", questions: [Self.rating])
        try await community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            try await community.service.createSurvey(draft, by: learner.id)
        }
        let manager = try await community.service.registerMember(
            .make("Mia Manager", roles: [.communityManager]), by: staff.id)
        let survey = try await community.service.createSurvey(draft, by: manager.id)
        #expect(try await community.service.survey("pulse") == survey)
        try await community.expectRefusal({ $0 == .alreadyExists(kind: "survey", id: "pulse") }) {
            try await community.service.createSurvey(draft, by: staff.id)
        }
    }

    // MARK: Responding

    static let questionnaire = NewSurvey(
        id: "q", title: "Questionnaire",
        questions: [
            SurveyQuestion(id: "mood", prompt: "How do you feel?", kind: .scale, isRequired: true),
            SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter),
            SurveyQuestion(id: "format", prompt: "Preferred format", kind: .singleChoice(["Online", "In person"])),
            SurveyQuestion(id: "topics", prompt: "Topics", kind: .multipleChoice(["Swift", "Rust", "Go"])),
            SurveyQuestion(id: "comment", prompt: "Anything else?", kind: .freeText(maxLength: 20)),
        ])

    struct BadAnswer: Sendable, CustomTestStringConvertible {
        var name: String
        var answers: [String: SurveyAnswer]
        var field: String
        /// Part of the reason the refusal gives.
        var says: String
        var testDescription: String { name }
    }

    static let badAnswers: [BadAnswer] = [
        BadAnswer(
            name: "an unknown question", answers: ["mood": .scale(3), "nope": .scale(3)], field: "answers[nope]",
            says: "has no question"),
        BadAnswer(
            name: "an answer of the wrong kind", answers: ["mood": .netPromoter(3)], field: "answers[mood]",
            says: "does not fit"),
        BadAnswer(
            name: "a choice for a scale", answers: ["mood": .choice("3")], field: "answers[mood]",
            says: "does not fit"),
        BadAnswer(name: "a scale of 0", answers: ["mood": .scale(0)], field: "answers[mood]", says: "1 to 5"),
        BadAnswer(name: "a scale of 6", answers: ["mood": .scale(6)], field: "answers[mood]", says: "1 to 5"),
        BadAnswer(
            name: "a Net Promoter answer of 11", answers: ["mood": .scale(3), "nps": .netPromoter(11)],
            field: "answers[nps]", says: "0 to 10"),
        BadAnswer(
            name: "a Net Promoter answer of -1", answers: ["mood": .scale(3), "nps": .netPromoter(-1)],
            field: "answers[nps]", says: "0 to 10"),
        BadAnswer(
            name: "an unknown option", answers: ["mood": .scale(3), "format": .choice("Hybrid")],
            field: "answers[format]", says: "not one of the options"),
        BadAnswer(
            name: "an option in the wrong case", answers: ["mood": .scale(3), "format": .choice("online")],
            field: "answers[format]", says: "not one of the options"),
        BadAnswer(
            name: "an unknown option among several",
            answers: ["mood": .scale(3), "topics": .choices(["Go", "Kotlin"])],
            field: "answers[topics]", says: "not one of the options"),
        BadAnswer(
            name: "one option chosen twice", answers: ["mood": .scale(3), "topics": .choices(["Go", "Go"])],
            field: "answers[topics]", says: "chosen twice"),
        BadAnswer(
            name: "a required question left out", answers: ["nps": .netPromoter(9)], field: "answers[mood]",
            says: "required"),
        BadAnswer(name: "no answers at all", answers: [:], field: "answers[mood]", says: "required"),
        BadAnswer(
            name: "text that is too long",
            answers: ["mood": .scale(3), "comment": .text(String(repeating: "é", count: 21))],
            field: "answers[comment]", says: "at most 20 characters"),
        BadAnswer(
            name: "text with NUL", answers: ["mood": .scale(3), "comment": .text("a\u{0}b")],
            field: "answers[comment]", says: "NUL"),
    ]

    @Test("every kind of bad answer is refused with its own reason", arguments: badAnswers)
    func answerRefusals(_ bad: BadAnswer) async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(Self.questionnaire, by: staff.id)
        let member = try await community.learner("Ana")
        try await community.expectRefusal({ error in
            guard case .invalidInput(let field, let reason) = error else { return false }
            return field == bad.field && reason.contains(bad.says)
        }) {
            try await community.service.respond(to: survey.id, by: member.id, answers: bad.answers)
        }
        // The member can still respond properly afterwards.
        try await community.service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(4)])
    }

    @Test("a response to an unknown survey, by an unknown member or after closing is refused")
    func respondingRefusals() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let member = try await community.learner("Ana")
        let closing = community.clock.now() + 3_600
        let survey = try await community.service.createSurvey(
            NewSurvey(id: "s", title: "Closing soon", questions: [Self.rating], closesAt: closing), by: staff.id)
        try await community.expectRefusal({ $0 == .notFound(kind: "survey", id: "nope") }) {
            try await community.service.respond(to: "nope", by: member.id, answers: ["rating": .scale(3)])
        }
        try await community.expectRefusal({ $0 == .notFound(kind: "member", id: "ghost") }) {
            try await community.service.respond(to: survey.id, by: "ghost", answers: ["rating": .scale(3)])
        }
        try await community.expectRefusal({ error in
            guard case .invalidInput(let field, let reason) = error else { return false }
            return field == "answers" && reason.contains("at least one")
        }) {
            // Every question is optional, but an empty response says nothing.
            try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .choices([])])
        }
        community.clock.set(closing)
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .scale(3)])
        }
    }

    @Test("a member's second response is refused and changes nothing")
    func secondResponse() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(Self.questionnaire, by: staff.id)
        let member = try await community.learner("Ana")
        #expect(try await community.service.hasResponded(member.id, to: survey.id, by: member.id) == false)
        try await community.service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(5)])
        #expect(try await community.service.hasResponded(member.id, to: survey.id, by: member.id))
        try await community.expectRefusal({ $0 == .alreadyExists(kind: "survey response", id: "q|\(member.id)") }) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(1)])
        }
        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        #expect(results.responseCount == 1)
    }

    @Test("of two responses a member sends at once, exactly one is stored", arguments: [false, true])
    func concurrentResponses(anonymous: Bool) async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        var draft = Self.questionnaire
        draft.isAnonymous = anonymous
        let survey = try await community.service.createSurvey(draft, by: staff.id)
        let service = community.service
        let members = try await Self.learners(10, in: community)
        for member in members {
            let outcomes = await withTaskGroup(of: Result<Void, CommunityError>.self) { group in
                for mood in [1, 5] {
                    group.addTask {
                        do throws(CommunityError) {
                            try await service.respond(to: survey.id, by: member.id, answers: ["mood": .scale(mood)])
                            return .success(())
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let refusals = outcomes.compactMap { outcome -> CommunityError? in
                if case .failure(let error) = outcome { error } else { nil }
            }
            #expect(refusals == [.alreadyExists(kind: "survey response", id: "q|\(member.id)")])
            #expect(try await community.kinds(of: member.id).filter { $0 == .respondedToSurvey }.count == 1)
        }
        try await service.closeSurvey(survey.id, by: staff.id)
        let results = try await service.surveyResults(of: survey.id, by: staff.id)
        #expect(results.responseCount == members.count)
        // An anonymous survey stores tallies, not responses.
        #expect(try await community.store.allRecords(in: "survey-responses").count == (anonymous ? 0 : members.count))
        #expect(try await community.store.allRecords(in: "survey-respondents").count == members.count)
    }

    @Test("the log records who responded, never what they answered")
    func logHoldsNoAnswers() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(Self.questionnaire, by: staff.id)
        let member = try await community.learner("Ana")
        try await community.service.respond(
            to: survey.id, by: member.id, answers: ["mood": .scale(2), "comment": .text("Secret remark")])
        let logged = try await community.service.activity(about: .survey(survey.id), by: staff.id)
        #expect(logged.map(\.event.kind) == [.respondedToSurvey])
        #expect(logged.first?.event.member == member.id)
        for stored in try await community.store.allEntries() {
            #expect(!String(decoding: stored.entry.payload, as: UTF8.self).contains("Secret"))
        }
    }

    // MARK: Results

    @Test("the Net Promoter Score is percent promoters (9–10) minus percent detractors (0–6)")
    func netPromoterScore() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey(
            [SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter)], in: community, by: staff)
        let members = try await Self.learners(10, in: community)
        for (member, score) in zip(members, [10, 10, 9, 9, 9, 8, 7, 7, 3, 0]) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["nps": .netPromoter(score)])
        }
        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        let question = results.overall.questions[0]
        guard case .netPromoter(let nps) = question.summary else {
            Issue.record("expected Net Promoter figures, got \(question.summary)")
            return
        }
        #expect(question.responseCount == 10)
        #expect((nps.promoters, nps.passives, nps.detractors) == (5, 3, 2))
        #expect(nps.counts == [1, 0, 0, 1, 0, 0, 0, 2, 1, 3, 2])
        #expect(nps.score == 30)
        #expect(nps.roundedScore == 30)
        #expect(results.csv().contains("all,10,nps,Recommend us?,nps,,30.0\r\n"))
        #expect(results.csv().contains("all,10,nps,Recommend us?,nps_rounded,,30\r\n"))
    }

    @Test("a Net Promoter Score rounds halves away from zero, and a negative score stays a number in CSV")
    func netPromoterRounding() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let members = try await Self.learners(8, in: community)
        // One promoter and seven passives: 12.5; one detractor and seven passives: -12.5.
        for (id, single) in [("up", 10), ("down", 0)] {
            let survey = try await community.service.createSurvey(
                NewSurvey(
                    id: SurveyID(id), title: id, questions: [SurveyQuestion(id: "nps", prompt: "?", kind: .netPromoter)]
                ),
                by: staff.id)
            for (index, member) in members.enumerated() {
                try await community.service.respond(
                    to: survey.id, by: member.id, answers: ["nps": .netPromoter(index == 0 ? single : 8)])
            }
        }
        let up = try await community.service.surveyResults(of: "up", by: staff.id)
        let down = try await community.service.surveyResults(of: "down", by: staff.id)
        guard case .netPromoter(let upScore) = up.overall.questions[0].summary,
            case .netPromoter(let downScore) = down.overall.questions[0].summary
        else {
            Issue.record("expected Net Promoter figures")
            return
        }
        #expect(upScore.score == 12.5 && upScore.roundedScore == 13)
        #expect(downScore.score == -12.5 && downScore.roundedScore == -13)
        #expect(down.csv().contains(",nps,,-12.5\r\n"))
        #expect(down.csv().contains(",nps_rounded,,-13\r\n"))
    }

    @Test("a scale question reports how many chose each value and the mean")
    func scaleDistribution() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey([Self.rating], in: community, by: staff)
        let members = try await Self.learners(5, in: community)
        for (member, value) in zip(members, [1, 2, 2, 3, 5]) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .scale(value)])
        }
        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        guard case .scale(let scale) = results.overall.questions[0].summary else {
            Issue.record("expected scale figures")
            return
        }
        #expect(scale.counts == [1, 2, 1, 0, 1])
        #expect(scale.count(of: 2) == 2 && scale.count(of: 7) == 0)
        #expect(scale.mean == 2.6)
        #expect(results.csv().contains(",rating,How was it?,mean,,2.60\r\n"))
        #expect(results.csv().contains(",rating,How was it?,count,2,2\r\n"))
    }

    @Test("multiple choice counts each option in the survey's order, and the members who answered")
    func multipleChoiceCounts() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey(
            [
                SurveyQuestion(
                    id: "formats", prompt: "What do you enjoy?",
                    kind: .multipleChoice(["Talks", "Workshops", "Socials"])),
                Self.rating,
            ], in: community, by: staff)
        let members = try await Self.learners(4, in: community)
        let picks: [[String]] = [["Talks", "Workshops"], ["Talks"], ["Socials", "Talks"], []]
        for (member, chosen) in zip(members, picks) {
            try await community.service.respond(
                to: survey.id, by: member.id, answers: ["formats": .choices(chosen), "rating": .scale(4)])
        }
        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        #expect(results.responseCount == 4)
        let formats = results.overall.questions[0]
        #expect(formats.responseCount == 3)
        #expect(
            formats.summary
                == .multipleChoice(
                    [
                        OptionCount(option: "Talks", count: 3), OptionCount(option: "Workshops", count: 1),
                        OptionCount(option: "Socials", count: 1),
                    ], respondents: 3))
    }

    @Test(
        "results by chapter hide chapters with fewer than five responses, size and figures, and then the overall figures"
    )
    func segmentsByChapter() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        try await community.city("lis", "Lisbon", country: "PT", timeZone: "Europe/Lisbon", by: staff)
        let survey = try await Self.survey([Self.rating], in: community, by: staff)
        let nairobi = try await Self.learners(6, in: community, named: "Nairobi")
        let lisbon = try await Self.learners(2, in: community, named: "Lisbon")
        let unattached = try await Self.learners(1, in: community, named: "Solo")
        for member in nairobi { try await community.service.join("nbo", member: member.id, by: member.id) }
        for member in lisbon { try await community.service.join("lis", member: member.id, by: member.id) }
        // A member of both chapters counts in "several chapters", never in both: segments that
        // overlap could be subtracted from each other.
        try await community.service.join("lis", member: nairobi[0].id, by: nairobi[0].id)
        for member in nairobi + lisbon + unattached {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .scale(4)])
        }

        let results = try await community.service.surveyResults(of: survey.id, segmentBy: .chapter, by: staff.id)
        // A segment is hidden, so the overall figures are too: 9 overall less Nairobi's 5 would
        // give the hidden segments' answers (the finding of issue 26).
        #expect(results.responseCount == nil)
        #expect(results.overall.isHidden && results.overall.responseCount == nil && results.overall.questions == [])
        #expect(
            results.segments.map(\.segment) == [.chapter("lis"), .chapter("nbo"), .severalChapters, .noChapter])
        #expect(results.segments.map(\.isHidden) == [true, false, true, true])
        #expect(results.segments.map(\.responseCount) == [nil, 5, nil, nil])
        #expect(results.results(for: .chapter("lis"))?.questions == [])
        #expect(results.results(for: .chapter("nbo"))?.questions.first?.responseCount == 5)

        let csv = results.csv()
        #expect(csv.contains("all,hidden,,,,,\r\n"))
        #expect(csv.contains("chapter lis,hidden,,,,,\r\n"))
        #expect(csv.contains("no chapter,hidden,,,,,\r\n"))
        #expect(!csv.contains("chapter lis,2"))
        #expect(csv.contains("chapter nbo,5,rating,How was it?,count,4,5\r\n"))
        let markdown = results.markdown()
        #expect(markdown.contains("## chapter lis\n\nHidden: fewer than 5 responses."))
        #expect(!markdown.contains("chapter lis (3"))

        // A policy may set a lower minimum.
        let lenient = try await community.service.surveyResults(
            of: survey.id, segmentBy: .chapter, policy: SurveyPolicy(minimumSegmentSize: 1), by: staff.id)
        #expect(lenient.segments.map(\.responseCount) == [2, 5, 1, 1])
        #expect(lenient.responseCount == 9)
        try await community.expectRefusal({
            if case .invalidInput("minimumSegmentSize", _) = $0 { true } else { false }
        }) {
            _ = try await community.service.surveyResults(
                of: survey.id, policy: SurveyPolicy(minimumSegmentSize: 0), by: staff.id)
        }
    }

    @Test("results by journey stage hide a stage with fewer than five responses")
    func segmentsByJourneyStage() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let programme = try await community.service.createProgramme(id: "swift", title: "Swift", by: staff.id)
        let survey = try await Self.survey(
            [SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter)], in: community, by: staff)
        let prospects = try await Self.learners(5, in: community, named: "Prospect")
        let learners = try await Self.learners(5, in: community, named: "Learner")
        let alumni = try await Self.learners(2, in: community, named: "Alumnus")
        for member in learners + alumni {
            try await community.service.enrol(member.id, in: programme.id, by: member.id)
        }
        for member in alumni {
            try await community.service.recordCompletion(
                of: member.id, in: programme.id, certificateDate: try LocalDate(year: 2026, month: 1, day: 1),
                by: staff.id)
        }
        for member in prospects {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["nps": .netPromoter(6)])
        }
        for member in learners + alumni {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["nps": .netPromoter(10)])
        }
        let results = try await community.service.surveyResults(of: survey.id, segmentBy: .journeyStage, by: staff.id)
        #expect(
            results.segments.map(\.segment) == [
                .journeyStage(.prospect), .journeyStage(.enrolled), .journeyStage(.alumnus),
            ])
        #expect(results.segments.map(\.responseCount) == [5, 5, nil])
        guard case .netPromoter(let prospectsNPS) = results.segments[0].questions[0].summary,
            case .netPromoter(let learnersNPS) = results.segments[1].questions[0].summary
        else {
            Issue.record("expected Net Promoter figures")
            return
        }
        #expect(prospectsNPS.roundedScore == -100)
        #expect(learnersNPS.roundedScore == 100)
        #expect(results.csv().contains("stage alumnus,hidden,,,,,\r\n"))
    }

    @Test("free text stays out of the exports unless asked for, and is then escaped")
    func freeTextInExports() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey(
            [SurveyQuestion(id: "say", prompt: "Say | anything", kind: .freeText(maxLength: 200))], in: community,
            by: staff)
        let texts = [
            "He said \"hi\", then left", "line one\r\nline two", "=SUM(A1:A9)", "a | b <script>alert(1)</script>",
            "*bold* [link](https://evil.example)",
        ]
        let members = try await Self.learners(texts.count, in: community)
        for (member, text) in zip(members, texts) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["say": .text(text)])
        }

        let counted = try await community.service.surveyResults(of: survey.id, by: staff.id)
        #expect(counted.overall.questions[0].responseCount == 5)
        #expect(counted.overall.questions[0].summary == .freeText(nil))
        for export in [counted.csv(), counted.markdown()] {
            for fragment in ["said", "line one", "SUM", "script", "bold"] { #expect(!export.contains(fragment)) }
        }

        let withText = try await community.service.surveyResults(of: survey.id, includeFreeText: true, by: staff.id)
        #expect(
            withText.overall.questions[0].summary
                == .freeText(texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }))
        let csv = withText.csv()
        #expect(csv.contains("\"He said \"\"hi\"\", then left\""))
        #expect(csv.contains("\"line one\r\nline two\""))
        let rows = try #require(Self.parseCSV(csv))
        try #require(rows.allSatisfy { $0.count == 7 })
        let exported = rows.filter { $0[4] == "text" }.map { $0[6] }
        // The formula is neutralised with a leading apostrophe; every other text comes back as written.
        #expect(Set(exported) == Set(texts.map { $0.hasPrefix("=") ? "'" + $0 : $0 }))
        #expect(rows.contains { $0[3] == "Say | anything" })

        let markdown = withText.markdown()
        #expect(markdown.contains("- a \\| b &lt;script&gt;alert(1)&lt;/script&gt;\n"))
        #expect(markdown.contains("- line one<br>line two\n"))
        #expect(markdown.contains("- \\*bold\\* \\[link\\](https://evil.example)\n"))
        #expect(markdown.contains("### Say \\| anything (say)"))
        #expect(!markdown.contains("<script>"))
    }

    @Test("an anonymous survey stores no response: tallies in byte order that name nobody, read once it closes")
    func anonymousResponses() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(
            NewSurvey(
                id: "anon", title: "Honest feedback",
                questions: [Self.rating, SurveyQuestion(id: "say", prompt: "Say", kind: .freeText(maxLength: 100))],
                isAnonymous: true),
            by: staff.id)
        let members = try await Self.learners(6, in: community)
        let texts = ["zebra", "apple", "mango", "kiwi", "banana", "cherry"]
        for (member, text) in zip(members, texts) {
            try await community.service.respond(
                to: survey.id, by: member.id, answers: ["rating": .scale(2), "say": .text(text)])
            community.clock.advance(by: 60)
        }
        #expect(try await community.store.allRecords(in: "survey-responses").isEmpty)
        let tallies = try await community.store.allRecords(in: "survey-tallies")
        #expect((1...8).contains(tallies.count))
        for record in tallies {
            let text = String(decoding: record.data, as: UTF8.self)
            for member in members { #expect(!text.contains(member.id.rawValue)) }
            // Counts only: the texts live in chunks of their own, so a tally stays small.
            for answer in texts { #expect(!text.contains(answer)) }
            #expect(record.indexes == ["survey": "anon"])
        }
        let chunks = try await community.store.allRecords(in: "survey-texts")
        #expect(!chunks.isEmpty && chunks.count <= 8)
        var stored: [String] = []
        for record in chunks {
            let text = String(decoding: record.data, as: UTF8.self)
            for member in members { #expect(!text.contains(member.id.rawValue)) }
            // Free text is kept in byte order, never in the order it arrived.
            let chunk = try RecordDecoder().decode(AnonymousTexts.self, from: record.data)
            let inChunk = chunk.entries.map(\.text)
            #expect(inChunk == inChunk.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            stored += inChunk
        }
        #expect(stored.sorted() == texts.sorted())
        // Who responded is known (one per member), but those records hold no answer.
        let respondents = try await community.store.allRecords(in: "survey-respondents")
        #expect(respondents.map(\.id).sorted() == members.map { "anon|\($0.id)" }.sorted())
        for respondent in respondents {
            let text = String(decoding: respondent.data, as: UTF8.self)
            for answer in texts { #expect(!text.contains(answer)) }
        }
        // Live figures around one response would give it away: results wait for the close.
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            _ = try await community.service.surveyResults(of: survey.id, by: staff.id)
        }
        try await community.service.closeSurvey(survey.id, by: staff.id)
        let results = try await community.service.surveyResults(of: survey.id, includeFreeText: true, by: staff.id)
        #expect(results.responseCount == 6)
        #expect(results.overall.questions[1].summary == .freeText(texts.sorted()))
        // Closed means closed.
        let late = try await community.learner("Late")
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await community.service.respond(to: survey.id, by: late.id, answers: ["rating": .scale(5)])
        }
    }

    @Test("an anonymous survey's free text fills bounded chunks, and every text comes back once")
    func textChunksStayBounded() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(
            NewSurvey(
                id: "big", title: "Big",
                questions: [SurveyQuestion(id: "say", prompt: "Say", kind: .freeText(maxLength: 20))],
                isAnonymous: true),
            by: staff.id)
        let count = 2_400
        for index in 0..<count {
            let member = try await community.service.registerMember(
                NewMember(
                    displayName: "M\(index)", email: "m\(index)@example.org", country: "KE", timeZone: "Africa/Nairobi")
            )
            try await community.service.respond(
                to: survey.id, by: member.id, answers: ["say": .text("answer \(index)")])
        }
        let chunks = try await community.store.allRecords(in: "survey-texts")
        #expect(chunks.count > AnonymousTallies.shards)
        var total = 0
        for record in chunks {
            let chunk = try RecordDecoder().decode(AnonymousTexts.self, from: record.data)
            #expect(chunk.entries.count <= AnonymousTexts.capacity)
            total += chunk.entries.count
        }
        #expect(total == count)
        try await community.service.closeSurvey(survey.id, by: staff.id)
        let results = try await community.service.surveyResults(of: survey.id, includeFreeText: true, by: staff.id)
        guard case .freeText(let texts?) = results.overall.questions[0].summary else {
            Issue.record("no texts")
            return
        }
        #expect(Set(texts) == Set((0..<count).map { "answer \($0)" }))
    }

    @Test("an anonymous survey with fewer responses than the minimum withholds even its overall figures and count")
    func fewAnonymousResponses() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await community.service.createSurvey(
            NewSurvey(id: "anon", title: "Honest feedback", questions: [Self.rating], isAnonymous: true),
            by: staff.id)
        for member in try await Self.learners(3, in: community) {
            try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .scale(2)])
        }
        try await community.service.closeSurvey(survey.id, by: staff.id)
        let results = try await community.service.surveyResults(of: survey.id, by: staff.id)
        #expect(results.responseCount == nil)
        #expect(results.overall.isHidden && results.overall.questions.isEmpty)
    }

    @Test("a non-anonymous response keeps its member and time")
    func namedResponses() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey([Self.rating], in: community, by: staff)
        let member = try await community.learner("Ana")
        try await community.service.respond(to: survey.id, by: member.id, answers: ["rating": .scale(5)])
        let record = try #require(try await community.store.allRecords(in: "survey-responses").first)
        let response = try RecordDecoder().decode(SurveyResponse.self, from: record.data)
        #expect(response.member == member.id)
        #expect(response.respondedAt == community.clock.now())
        #expect(response.journeyStage == .prospect && response.chapters == [])
    }

    @Test("only staff and community managers read results")
    func resultsForStaffOnly() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey([Self.rating], in: community, by: staff)
        let learner = try await community.learner("Lea")
        try await community.service.respond(to: survey.id, by: learner.id, answers: ["rating": .scale(5)])
        await #expect(throws: CommunityError.self) {
            _ = try await community.service.surveyResults(of: survey.id, by: learner.id)
        }
        do {
            _ = try await community.service.surveyResults(of: survey.id, by: learner.id)
        } catch {
            guard case .notPermitted(let member, _, _, _) = error else {
                Issue.record("expected notPermitted, got \(error)")
                return
            }
            #expect(member == learner.id)
        }
        await #expect(throws: CommunityError.notFound(kind: "survey", id: "nope")) {
            _ = try await community.service.surveyResults(of: "nope", by: staff.id)
        }
    }

    @Test("an empty survey's results say zero responses and no score")
    func emptySurvey() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let survey = try await Self.survey(
            [
                SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter), Self.rating,
                SurveyQuestion(id: "pick", prompt: "Pick", kind: .singleChoice(["A", "B"])),
            ], in: community, by: staff)
        let results = try await community.service.surveyResults(of: survey.id, segmentBy: .chapter, by: staff.id)
        #expect(results.responseCount == 0)
        #expect(results.overall.responseCount == 0 && !results.overall.isHidden)
        #expect(results.segments.isEmpty)
        #expect(results.overall.questions.map(\.responseCount) == [0, 0, 0])
        guard case .netPromoter(let nps) = results.overall.questions[0].summary,
            case .scale(let scale) = results.overall.questions[1].summary
        else {
            Issue.record("expected Net Promoter and scale figures")
            return
        }
        #expect(nps.score == nil && nps.roundedScore == nil)
        #expect(scale.mean == nil)
        #expect(results.csv().contains("all,0,nps,Recommend us?,nps,,\r\n"))
        #expect(results.markdown().contains("0 responses"))
    }

    @Test("results and exports are the same whatever order the responses came in")
    func deterministicResults() async throws {
        func export(reversed: Bool) async throws -> (String, String) {
            let community = TestCommunity()
            let staff = try await community.staff()
            try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
            try await community.city("lis", "Lisbon", country: "PT", timeZone: "Europe/Lisbon", by: staff)
            let survey = try await community.service.createSurvey(Self.questionnaire, by: staff.id)
            let members = try await Self.learners(12, in: community)
            for (index, member) in members.enumerated() {
                try await community.service.join(index % 3 == 0 ? "lis" : "nbo", member: member.id, by: member.id)
            }
            let answers: [[String: SurveyAnswer]] = (0..<12).map { index in
                [
                    "mood": .scale(index % 5 + 1), "nps": .netPromoter(index % 11),
                    "format": .choice(["Online", "In person"][index % 2]),
                    "topics": .choices(Array(["Swift", "Rust", "Go"].prefix(index % 3 + 1))),
                    "comment": .text("note \(index % 4)"),
                ]
            }
            let order = reversed ? Array(members.indices.reversed()) : Array(members.indices)
            for index in order {
                try await community.service.respond(to: survey.id, by: members[index].id, answers: answers[index])
            }
            let results = try await community.service.surveyResults(
                of: survey.id, segmentBy: .chapter, includeFreeText: true, by: staff.id)
            return (results.csv(), results.markdown())
        }
        let forward = try await export(reversed: false)
        let backward = try await export(reversed: true)
        #expect(forward.0 == backward.0)
        #expect(forward.1 == backward.1)
    }

    // MARK: Helpers

    /// `count` learners named `name 1`, `name 2`…
    static func learners(_ count: Int, in community: TestCommunity, named name: String = "Member") async throws
        -> [Member]
    {
        var members: [Member] = []
        for index in 1...count { members.append(try await community.learner("\(name) \(index)")) }
        return members
    }

    /// A survey `s` with these questions.
    static func survey(_ questions: [SurveyQuestion], in community: TestCommunity, by staff: Member) async throws
        -> Survey
    {
        try await community.service.createSurvey(
            NewSurvey(id: "s", title: "Survey", questions: questions), by: staff.id)
    }

    /// The rows of an RFC 4180 text (CRLF line ends, quoted cells), or nil when it is malformed.
    static func parseCSV(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        cell.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && cell.isEmpty {
                quoted = true
            } else if scalar == "," {
                row.append(cell)
                cell = ""
            } else if scalar == "\r" {
                guard scalars.popFirst() == "\n" else { return nil }
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else if scalar == "\n" || scalar == "\"" {
                return nil
            } else {
                cell.unicodeScalars.append(scalar)
            }
        }
        guard !quoted, row.isEmpty, cell.isEmpty else { return nil }
        return rows
    }
}
