import CommunityModel
import Foundation
import Gamification
import Testing

@testable import Recognition

/// The benchmark member: per programme and month, the member whose homework and help others
/// should model, chosen by the policy's weights, only with their consent and never when hidden
/// from public boards, with the reason, and not again within the cooldown once featured.
@Suite("Benchmark member")
struct BenchmarkMemberTests {
    static let january = try! LocalDate(year: 2026, month: 1, day: 1)

    static func candidate(
        _ member: MemberID, _ programme: ProgrammeID = "finance", checkIns: Int = 0, excellent: Int = 0,
        accepted: Int = 0, feedback: Int = 0, shows: Bool = true, isPublic: Bool = true,
        lastFeatured: LocalDate? = nil
    ) -> BenchmarkCandidate {
        BenchmarkCandidate(
            member: member, programme: programme, checkInDays: checkIns, excellentHomework: excellent,
            acceptedAnswers: accepted, feedbackGiven: feedback, showsHomework: shows, isPublic: isPublic,
            lastFeatured: lastFeatured)
    }

    @Test("scenario: each programme's highest score under the policy, with the contributions as its reason")
    func choice() throws {
        let candidates = [
            Self.candidate("ada", checkIns: 12, excellent: 1, accepted: 3, feedback: 5),  // 12 + 5 + 12 + 10 = 39
            Self.candidate("ben", checkIns: 20, feedback: 1),  // 22
            Self.candidate("cai", "data", checkIns: 3, accepted: 2),  // 11
            Self.candidate("dee", "data", checkIns: 9),  // 9
        ]
        let picks = try BenchmarkSelection.choose(candidates, month: Self.january, policy: BenchmarkPolicy())
        #expect(picks.map(\.programme) == ["data", "finance"])
        #expect(picks.map(\.member) == ["cai", "ada"])
        #expect(
            picks[1].reason
                == "checked in homework on 12 days, 1 excellent-homework pick, 3 accepted answers, "
                + "5 pieces of feedback to peers (score 39)")
        #expect(picks[0].reason == "checked in homework on 3 days, 2 accepted answers (score 11)")
        // A school that values steady homework above all picks Ben instead.
        let steady = BenchmarkPolicy(
            checkInWeight: 3, excellentHomeworkWeight: 0, acceptedAnswerWeight: 0, feedbackWeight: 0)
        #expect(try BenchmarkSelection.choose(candidates, month: Self.january, policy: steady).last?.member == "ben")
    }

    @Test(
        "no showcase consent, hidden from public boards, featured within the cooldown or below the minimum: not chosen")
    func exclusions() throws {
        let candidates = [
            Self.candidate("ada", checkIns: 30, shows: false),
            Self.candidate("ben", checkIns: 29, isPublic: false),
            Self.candidate("cai", checkIns: 28, lastFeatured: try LocalDate(year: 2025, month: 9, day: 1)),
            Self.candidate("dee", checkIns: 7),  // below the minimum score of 8
            Self.candidate("eve", checkIns: 27, lastFeatured: try LocalDate(year: 2025, month: 6, day: 1)),
        ]
        let picks = try BenchmarkSelection.choose(candidates, month: Self.january, policy: BenchmarkPolicy())
        // Cai was featured in September (within six months of January); Eve in June (just outside).
        #expect(picks.map(\.member) == ["eve"])
        #expect(
            try BenchmarkSelection.choose(
                [Self.candidate("dee", checkIns: 7)], month: Self.january, policy: BenchmarkPolicy()
            ).isEmpty)
    }

    @Test("one member is the example of one programme a month, the next best takes the other")
    func oneProgrammeEach() throws {
        let candidates = [
            Self.candidate("ada", "data", checkIns: 20), Self.candidate("ada", "finance", checkIns: 20),
            Self.candidate("ben", "finance", checkIns: 10),
        ]
        let picks = try BenchmarkSelection.choose(candidates, month: Self.january, policy: BenchmarkPolicy())
        #expect(picks.map(\.member) == ["ada", "ben"])
    }

    @Test("a policy out of range is refused, in code and when decoded")
    func badPolicies() throws {
        for policy in [
            BenchmarkPolicy(checkInWeight: -1), BenchmarkPolicy(minimumScore: 0), BenchmarkPolicy(cooldownMonths: 61),
            BenchmarkPolicy(
                checkInWeight: 0, excellentHomeworkWeight: 0, acceptedAnswerWeight: 0, feedbackWeight: 0),
        ] {
            #expect(throws: RecognitionError.self) {
                try BenchmarkSelection.choose([], month: Self.january, policy: policy)
            }
        }
        let json =
            Data(
                #"{"checkInWeight":1,"excellentHomeworkWeight":5,"acceptedAnswerWeight":4,"feedbackWeight":2,"#
                    .utf8) + Data(#""minimumScore":0,"cooldownMonths":6}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BenchmarkPolicy.self, from: json) }
        let good = try JSONEncoder().encode(BenchmarkPolicy())
        #expect(try JSONDecoder().decode(BenchmarkPolicy.self, from: good) == BenchmarkPolicy())
    }

    @Test(
        "through the service: the month's check-ins, an accepted answer and feedback decide; once featured, the next month passes them by"
    )
    func service() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        let community = fixture.community
        let (amina, baraka) = (fixture.learners[0], fixture.learners[1])
        let programme = try await community.createProgramme(
            id: "finance", title: "Finance Basics", by: fixture.staff.id)
        let game = try GamificationService(community: community)
        let recognition = try RecognitionService(community: community, badges: [])
        fixture.clock.set(
            Date(timeIntervalSince1970: Double(try LocalDate(year: 2026, month: 1, day: 5).dayNumber) * 86_400))
        for learner in [amina, baraka] {
            try await community.enrol(learner.id, in: programme.id, by: learner.id)
            _ = try await community.updateProfile(of: learner.id, by: learner.id) {
                $0.consents.formUnion([.homeworkShowcase, .publicLeaderboards])
            }
        }
        // Amina checks in on five days; Baraka on three, answers Amina's question (accepted) and
        // gives feedback on her answer to his.
        for day in 0..<5 {
            fixture.clock.set(fixture.clock.now() + 86_400)
            try await game.checkIn(programme: programme.id, assignment: "Budget", by: amina.id)
            if day < 3 { try await game.checkIn(programme: programme.id, assignment: "Budget", by: baraka.id) }
        }
        let question = try await community.startThread(
            on: programme.learnersBoard, by: amina.id, title: "Fixed or variable costs?", body: "Which first?",
            isQuestion: true)
        let answer = try await community.reply(to: question.id, by: baraka.id, body: "Fixed costs first.")
        try await community.acceptAnswer(answer.id, in: question.id, by: amina.id)
        let theirs = try await community.startThread(
            on: programme.learnersBoard, by: baraka.id, title: "Rent in the budget?", body: "Monthly?",
            isQuestion: true)
        let hers = try await community.reply(to: theirs.id, by: amina.id, body: "Yes, monthly.")
        try await community.giveFeedback(on: hers.id, by: baraka.id, body: "Thanks, that helped.")

        let january = try LocalDate(year: 2026, month: 1, day: 20)
        var picks = try await recognition.benchmarkMembers(for: january, by: fixture.staff.id)
        // Baraka: 3 + 4 + 2 = 9; Amina: 5 (no accepted answer of hers, no feedback given).
        #expect(picks.map(\.member) == [baraka.id])
        #expect(
            picks.first?.reason
                == "checked in homework on 3 days, 1 accepted answer, 1 piece of feedback to peers (score 9)")
        #expect(
            try await recognition.benchmarkMembers(
                for: try LocalDate(year: 2026, month: 2, day: 1), by: fixture.staff.id
            )
            .isEmpty)

        // Hidden from public boards: Baraka is passed over.
        _ = try await community.updateProfile(of: baraka.id, by: baraka.id) { $0.consents.remove(.publicLeaderboards) }
        #expect(try await recognition.benchmarkMembers(for: january, by: fixture.staff.id).isEmpty)
        _ = try await community.updateProfile(of: baraka.id, by: baraka.id) { $0.consents.insert(.publicLeaderboards) }

        picks = try await recognition.benchmarkMembers(for: january, by: fixture.staff.id)
        await #expect(throws: CommunityError.self) {
            try await recognition.featureBenchmarkMembers(picks, by: amina.id)
        }
        try await recognition.featureBenchmarkMembers(picks, by: fixture.staff.id)
        try await recognition.featureBenchmarkMembers(picks, by: fixture.staff.id)  // again: harmless
        #expect(try await recognition.featuredBenchmarkMembers(for: january) == picks)
        // Another member for the same programme and month is refused.
        var other = picks[0]
        other.member = amina.id
        await #expect(throws: CommunityError.self) {
            try await recognition.featureBenchmarkMembers([other], by: fixture.staff.id)
        }
        // The cooldown: in the same month's list again, Baraka is passed by (Amina is below the minimum).
        #expect(try await recognition.benchmarkMembers(for: january, by: fixture.staff.id).isEmpty)
        #expect(
            try await recognition.benchmarkMembers(
                for: january, policy: BenchmarkPolicy(minimumScore: 5, cooldownMonths: 6), by: fixture.staff.id
            ).map(\.member) == [amina.id])
    }
}
