import CommunityModel
import Foundation
import Gamification
import Storage
import Testing

@testable import Recognition

/// The week's excellent homework: staff picks first, then peer feedback, one entry per author
/// and programme, never an author who did not consent to the showcase.
@Suite("Excellent homework")
struct ExcellentHomeworkTests {
    static let monday = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05

    static func candidate(
        _ member: MemberID, _ programme: ProgrammeID, position: UInt64, feedback: Int, pick: Bool = false,
        consented: Bool = true
    ) -> HomeworkCandidate {
        HomeworkCandidate(
            member: member, programme: programme, position: position,
            submittedAt: monday + Double(position) * 3_600, peerFeedback: feedback, staffPick: pick,
            consented: consented)
    }

    @Test("scenario: per programme, the staff pick leads, then the most peer feedback; no consent, no listing")
    func ranking() throws {
        let candidates = [
            Self.candidate("ada", "finance", position: 1, feedback: 5),
            Self.candidate("ada", "finance", position: 2, feedback: 5),  // a second check-in: listed once
            Self.candidate("ben", "finance", position: 3, feedback: 1, pick: true),
            Self.candidate("cai", "finance", position: 4, feedback: 9, consented: false),
            Self.candidate("dee", "finance", position: 5, feedback: 0),
            Self.candidate("eve", "data", position: 6, feedback: 2),
        ]
        let list = try ExcellentHomework.rank(candidates, perProgramme: 2)
        #expect(list.map(\.programme) == ["data", "finance", "finance"])
        #expect(list.filter { $0.programme == "finance" }.map(\.member) == ["ben", "ada"])
        #expect(list.first { $0.member == "ben" }?.reason == "staff pick, 1 piece of peer feedback")
        #expect(list.first { $0.member == "ada" }?.reason == "5 pieces of peer feedback")
        #expect(!list.contains { $0.member == "cai" })
        #expect(throws: RecognitionError.self) { try ExcellentHomework.rank(candidates, perProgramme: 0) }
    }

    @Test("through the service: the week's check-ins, a staff pick and consent decide the list")
    func service() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        let community = fixture.community
        let programme = try await community.createProgramme(
            id: "finance", title: "Finance Basics", by: fixture.staff.id)
        let game = try GamificationService(community: community)
        fixture.clock.set(Self.monday + 9 * 3_600)
        for learner in fixture.learners {
            try await community.enrol(learner.id, in: programme.id, by: learner.id)
            _ = try await community.updateProfile(of: learner.id, by: learner.id) {
                $0.consents.insert(.homeworkShowcase)
            }
            try await game.checkIn(programme: programme.id, assignment: "Budget", by: learner.id)
        }
        let recognition = try RecognitionService(community: community, badges: [])
        let week = try LocalDate(year: 2026, month: 1, day: 5)
        var list = try await recognition.excellentHomework(weekStartingOn: week, by: fixture.staff.id)
        #expect(list.map(\.member) == fixture.learners.map(\.id))  // no picks, no feedback: by time
        try await recognition.pickHomework(at: list[1].position, by: fixture.staff.id)
        list = try await recognition.excellentHomework(weekStartingOn: week, by: fixture.staff.id)
        #expect(list.first?.member == fixture.learners[1].id)
        #expect(list.first?.reason == "staff pick")
        await #expect(throws: CommunityError.self) {
            try await recognition.pickHomework(at: list[0].position, by: fixture.learners[0].id)
        }
    }

    @Test("the homework projection counts check-ins for their day, takes back removed feedback, and keeps a window")
    func projection() throws {
        let ids = EntryIDGenerator(seed: 4)
        var position: UInt64 = 0
        var projection = try HomeworkProjection(retentionDays: 35)
        @discardableResult
        func apply(
            _ kind: ActivityKind, _ member: MemberID, on day: LocalDate, owner: MemberID? = nil,
            details: ActivityDetails = ActivityDetails(), reversing original: ActivityEvent? = nil
        ) -> ActivityEvent {
            position += 1
            let time = Timestamp(millisecondsSince1970: Int64(day.dayNumber) * 86_400_000 + 36_000_000)
            var context = ActivityContext(subjectOwner: owner, programme: "finance", details: details)
            context.reverse(original)
            let event = ActivityEvent(
                id: ids.next(at: time), kind: kind, member: member, time: time, localDate: day, context: context)
            projection.apply(LoggedActivity(position: position, event: event))
            return event
        }
        let monday = try LocalDate(year: 2026, month: 1, day: 5)
        // A make-up check-in on Tuesday for the Sunday before counts for that Sunday.
        apply(.checkedIn, "ada", on: monday.adding(days: 1), details: ActivityDetails(day: monday.adding(days: -1)))
        apply(.checkedIn, "ada", on: monday.adding(days: 2))
        let feedback = apply(.gaveFeedback, "ben", on: monday.adding(days: 2), owner: "ada")
        apply(.gaveFeedback, "ben", on: monday.adding(days: 3), owner: "ben")  // on their own post: not counted
        var week = projection.days(from: monday, through: monday.adding(days: 6))
        #expect(week.flatMap(\.tallies.checkIns).map(\.position) == [2])
        #expect(week.map { $0.tallies.feedbackReceived["ada|finance"] ?? 0 }.reduce(0, +) == 1)
        #expect(week.map { $0.tallies.feedbackGiven["ben|finance"] ?? 0 }.reduce(0, +) == 1)
        apply(.contentRemoved, "ben", on: monday.adding(days: 4), owner: "ada", reversing: feedback)
        week = projection.days(from: monday, through: monday.adding(days: 6))
        #expect(week.allSatisfy { $0.tallies.feedbackReceived.isEmpty && $0.tallies.feedbackGiven.isEmpty })
        // Forty days on, the first week is no longer kept, and asking for it is refused.
        apply(.replied, "cai", on: monday.adding(days: 40))
        #expect(projection.days(from: monday, through: monday.adding(days: 6)).isEmpty)
        #expect(throws: CommunityError.self) { try projection.require(from: monday) }
        #expect(throws: CommunityError.self) { try HomeworkProjection(retentionDays: 7) }
    }
}
