import CommunityChallenge
import CommunityModel
import CommunitySimulation
import Foundation
import Storage
import Surveys

extension Demo {
    /// A small Community Challenge: fourteen members register, teams form across countries
    /// with their shared working hours, teams submit, judges score, the winners are announced.
    /// The clock moves through the phases, so this runs after everything that reads "now".
    func showChallenge() async throws {
        let seed = options.seed
        let day: TimeInterval = 86_400
        let start = clock.now()
        let schedule = ChallengeSchedule(
            announced: start, registrationOpens: start + 3_600, teamFormationBegins: start + 7 * day,
            buildingBegins: start + 8 * day, pitchingBegins: start + 29 * day, judgingBegins: start + 31 * day,
            winnersAnnounced: start + 33 * day)
        let judges = [staff] + community.organizers.keys.sorted().prefix(1)
        let challenge = try await service.createChallenge(
            NewChallenge(
                year: Calendar(identifier: .gregorian).component(.year, from: start), title: "Clean Water Challenge",
                partner: NonprofitPartner(name: "Water for All", website: "https://water.example"),
                problemStatement: "Help rural clinics record and share the water quality of their wells.",
                schedule: schedule,
                teams: TeamFormationPolicy(minimumSize: 3, maximumSize: 4, minimumSharedHours: 4),
                rubric: Rubric(criteria: [
                    RubricCriterion("Impact", weight: 3), RubricCriterion("Feasibility", weight: 2),
                    RubricCriterion("Pitch", weight: 1),
                ]),
                judges: Set(judges)),
            by: staff)
        print("Community Challenge \(challenge.year): “\(challenge.title)” with \(challenge.partner.name)")

        // Registration: fourteen members who are not judges; the first two ask for each other.
        clock.set(schedule.registrationOpens + 60)
        let skills = ChallengeRegistrants.skills
        let registrants = community.members.map(\.id).filter { !judges.contains($0) }.sorted().prefix(14)
        for (index, member) in registrants.enumerated() {
            let teammates = index < 2 ? [registrants[registrants.startIndex + 1 - index]] : []
            try await service.register(
                for: challenge.id,
                ChallengeRegistrationForm(
                    skills: [skills[index % skills.count], skills[(index * 3 + 1) % skills.count]],
                    teammates: teammates),
                by: member)
        }

        // Team formation.
        clock.set(schedule.teamFormationBegins + 60)
        let report = try await service.formTeams(for: challenge.id, seed: seed, by: staff)
        print("  \(report.registrants) registered; \(report.teams.count) teams")
        for team in report.teams {
            var members: [String] = []
            for member in team.members {
                members.append(
                    "\(try await names(member)) (\(try await names.member(member)?.profile.country.code ?? "?"))")
            }
            print("  team \(team.number): \(members.joined(separator: ", "))")
            print(
                "    \(team.countries.count) countries, \(String(format: "%g", team.sharedHours)) shared hours "
                    + "(\(team.sharedWindowUTC ?? "none")), skills \(team.skills.joined(separator: ", "))"
                    + (team.meetsEveryConstraint
                        ? "" : "; breaks \(team.unmet.map(\.description).joined(separator: ", "))"))
        }
        let pair = Array(registrants.prefix(2))
        if let together = report.teams.first(where: { Set(pair).isSubset(of: $0.members) }) {
            print(
                "  \(try await names(pair[0])) and \(try await names(pair[1])) asked to team together: "
                    + "both in team \(together.number)")
        }
        for left in report.unplaced { print("  not placed: \(try await names(left.member)): \(left.reason)") }
        for note in report.requestNotes { print("  request: \(note)") }

        // Building: every team submits.
        clock.set(schedule.buildingBegins + 5 * day)
        let teams = try await service.teams(of: challenge.id)
        for team in teams {
            try await service.submit(
                ChallengeSubmissionDraft(
                    solution: "A text-message logger for well tests, team \(team.formed.number)",
                    pitch: "Clinics text a reading; the district sees the wells that need care."),
                for: team.id, by: team.members[0])
        }

        // Judging: each judge scores every team they have no conflict with.
        clock.set(schedule.judgingBegins + 60)
        var random = SeededGenerator(seed: seed)
        for judge in judges {
            for team in teams where !team.members.contains(judge) {
                let scores = challenge.rubric.criteria.map { ($0.name, 4 + Int(random.next() % 7)) }
                try await service.score(team.id, by: judge, Dictionary(uniqueKeysWithValues: scores))
            }
        }

        // Winners.
        clock.set(schedule.winnersAnnounced + 60)
        let results = try await service.announceWinners(of: challenge.id, places: 1, by: staff)
        print("  ranking (weights: impact 3, feasibility 2, pitch 1)")
        let numbers = Dictionary(uniqueKeysWithValues: teams.map { ($0.id, $0.formed.number) })
        for ranked in results.ranking {
            var winners: [String] = []
            if ranked.place <= results.winningPlaces {
                for member in ranked.members { winners.append(try await names(member)) }
            }
            print(
                "    \(ranked.place). team \(numbers[ranked.team] ?? 0): \(String(format: "%.1f", ranked.percent))% "
                    + "from \(ranked.judges) judges"
                    + (winners.isEmpty ? "" : " — winners: \(winners.joined(separator: ", "))"))
        }
        print("")
    }

    /// A member survey with a Net Promoter question, answered by the first sixty members, with
    /// its results overall and by journey stage (stages with fewer than five responses hidden).
    func showSurvey() async throws {
        let seed = options.seed
        let survey = try await service.createSurvey(
            NewSurvey(
                title: "How is the community working for you?",
                questions: [
                    SurveyQuestion(
                        id: "recommend", prompt: "How likely are you to recommend the community to a friend?",
                        kind: .netPromoter, isRequired: true),
                    SurveyQuestion(id: "events", prompt: "How useful are your chapter's events?", kind: .scale),
                    SurveyQuestion(
                        id: "value", prompt: "What do you value most?",
                        kind: .multipleChoice(["Answers to questions", "Events", "Friends", "Recognition"])),
                    SurveyQuestion(id: "change", prompt: "What should we change?", kind: .freeText(maxLength: 500)),
                ],
                isAnonymous: true),
            by: staff)
        var random = SeededGenerator(seed: seed ^ 0x5EED)
        let options = ["Answers to questions", "Events", "Friends", "Recognition"]
        for member in community.members.map(\.id).sorted().prefix(60) {
            let stage = try await service.journey(of: member, by: staff).stage
            // Alumni lean towards recommending; prospects are less sure.
            let base = stage == .alumnus ? 6 : stage == .enrolled ? 5 : 3
            try await service.respond(
                to: survey.id, by: member,
                answers: [
                    "recommend": .netPromoter(min(10, base + Int(random.next() % 5))),
                    "events": .scale(1 + Int(random.next() % 5)),
                    "value": .choices([options[Int(random.next() % 4)]]),
                    "change": .text("More evening events"),
                ])
        }
        // An anonymous survey's results are read once it has closed.
        try await service.closeSurvey(survey.id, by: staff)
        let results = try await service.surveyResults(
            of: survey.id, segmentBy: .journeyStage, by: staff)
        print(
            "Survey: “\(survey.title)” (anonymous, closed), "
                + (results.responseCount.map { "\($0) responses" } ?? "responses hidden while a segment is"))
        func nps(_ segment: SurveySegmentResults) -> String {
            guard !segment.isHidden else { return "hidden (fewer than \(results.minimumSegmentSize) responses)" }
            for question in segment.questions {
                if case .netPromoter(let summary) = question.summary, let score = summary.roundedScore {
                    return "NPS \(score) (\(summary.promoters) promoters, \(summary.passives) passives, "
                        + "\(summary.detractors) detractors)"
                }
            }
            return "no answers"
        }
        print("  overall: \(nps(results.overall))")
        for segment in results.segments { print("  \(segment.segment): \(nps(segment))") }
        print("")
    }
}
