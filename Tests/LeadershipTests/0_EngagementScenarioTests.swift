import CommunityModel
import CommunitySimulation
import Foundation
import Storage
import Testing

@testable import Leadership

/// Builds activity events for engagement tests: who, what, on which local day.
struct ActivityBuilder {
    let ids = EntryIDGenerator(seed: 77)

    func event(
        _ kind: ActivityKind, by member: MemberID, on date: LocalDate, firstResponse: Bool? = nil,
        owner: MemberID? = nil, shared: SharedItem? = nil
    ) -> ActivityEvent {
        let time = Timestamp(millisecondsSince1970: Int64(date.dayNumber) * 86_400_000 + 43_200_000)
        return ActivityEvent(
            id: ids.next(at: time), kind: kind, member: member, time: time, localDate: date,
            context: ActivityContext(
                subjectOwner: owner, details: ActivityDetails(isFirstResponse: firstResponse, shared: shared)))
    }
}

/// The story first: a school looks for superusers early. Veterans who joined last year have far
/// more activity than anyone who joined this month, yet the newcomer who has been answering
/// peers' questions for three weeks is flagged, because newcomers are compared with newcomers.
@Suite("Engagement and superusers")
struct EngagementScenarioTests {
    @Test("a strong newcomer is flagged in their cohort although veterans have more activity in total")
    func newcomerFlaggedEarly() throws {
        let build = ActivityBuilder()
        var projection = try EngagementProjection()
        let veteranStart = try LocalDate(year: 2025, month: 6, day: 2)
        for number in 0..<30 {
            let veteran = MemberID("veteran-\(number)")
            projection.apply(build.event(.joinedCommunity, by: veteran, on: veteranStart))
            for week in 0..<40 {
                let day = veteranStart.adding(days: week * 7 + number % 7)
                projection.apply(build.event(.answered, by: veteran, on: day))
                projection.apply(build.event(.replied, by: veteran, on: day))
            }
        }
        let joined = try LocalDate(year: 2026, month: 3, day: 2)
        for number in 0..<25 {
            let newcomer = MemberID("newcomer-\(number)")
            projection.apply(build.event(.joinedCommunity, by: newcomer, on: joined))
            projection.apply(build.event(.enrolled, by: newcomer, on: joined))
        }
        let amina = MemberID("newcomer-7")
        for day in 0..<21 {
            let date = joined.adding(days: day)
            projection.apply(build.event(.answered, by: amina, on: date, firstResponse: true, owner: "veteran-1"))
            if day.isMultiple(of: 3) { projection.apply(build.event(.gaveFeedback, by: amina, on: date)) }
        }
        projection.apply(
            build.event(.shared, by: amina, on: joined.adding(days: 20), shared: .certificate("data-analytics")))

        let today = try LocalDate(year: 2026, month: 3, day: 23)
        let flagged = projection.superusers(on: today)
        let newcomers = flagged.filter { $0.cohort.contains(CohortMonth(year: 2026, month: 3)) }
        #expect(newcomers.map(\.engagement.member) == [amina])
        // Every veteran has answered about twice as often as the newcomer, over their longer time.
        let veterans = (0..<30).compactMap { projection.engagement(of: MemberID("veteran-\($0)"), on: today) }
        #expect(veterans.count == 30)
        #expect(veterans.allSatisfy { $0.signals[.answersGiven] == 40 })

        let explanation = try #require(newcomers.first)
        #expect(explanation.rank == 1)
        #expect(explanation.cohortSize == 25)
        #expect(explanation.percentile == 96)  // 24 of 25 newcomers score lower
        let answers = try #require(explanation.signals.first { $0.signal == .answersGiven })
        #expect(answers.value == 21)
        #expect(answers.percentile == 96)
        #expect(explanation.engagement.signals[.firstResponses] == 21)
        #expect(explanation.engagement.signals[.certificatesShared] == 1)
        #expect(explanation.explanation.contains("answersGiven 21 (96th percentile)"))
    }
}

/// Derived kinds carry no weight: a badge earned is a result of activity, not activity.
@Suite("Engagement policy")
struct EngagementPolicyTests {
    @Test("a policy that weighs a derived kind is refused")
    func derivedKinds() {
        #expect(throws: CommunityError.self) {
            try EngagementProjection(policy: EngagementPolicy(weights: [.badgeAwarded: 5], halfLifeDays: 10))
        }
    }
}

/// Reversals take back what the reversed entry gave.
@Suite("Engagement reversals")
struct EngagementReversalTests {
    @Test("a removed answer and a withdrawn reaction take back their engagement, decayed from their day")
    func reversals() throws {
        let build = ActivityBuilder()
        var projection = try EngagementProjection(
            policy: EngagementPolicy(weights: [.answered: 8, .reacted: 2], halfLifeDays: 10))
        let day = try LocalDate(year: 2026, month: 1, day: 1)
        let answer = build.event(.answered, by: "m", on: day)
        let reaction = build.event(.reacted, by: "m", on: day)
        let other = build.event(.answered, by: "m", on: day)
        projection.apply(answer)
        projection.apply(reaction)
        projection.apply(other)
        #expect(projection.engagement(of: "m", on: day)?.score == 18_000)
        #expect(projection.engagement(of: "m", on: day)?.signals[.answersGiven] == 2)
        // Ten days later a moderator removes the first answer, and the reaction is withdrawn.
        let later = day.adding(days: 10)
        var removal = build.event(.contentRemoved, by: "m", on: later)
        removal.context.reverse(answer)
        var withdrawal = build.event(.reactionWithdrawn, by: "m", on: later)
        withdrawal.context.reverse(reaction)
        projection.apply(removal)
        projection.apply(withdrawal)
        // What is left is the other answer, decayed by half over the ten days.
        #expect(projection.engagement(of: "m", on: later)?.score == 4_000)
        #expect(projection.engagement(of: "m", on: later)?.signals[.answersGiven] == 1)
    }
}

@Suite("Engagement projection")
struct EngagementProjectionTests {
    @Test("a superuser's explanation adds up to their score")
    func explanationsAddUp() throws {
        let build = ActivityBuilder()
        var projection = try EngagementProjection(
            policy: EngagementPolicy(
                weights: [.answered: 5, .reacted: 1, .enrolled: 1], halfLifeDays: 7, dailyCaps: [.reacted: 3],
                firstResponseBonus: 2, secondProgrammeBonus: 4, minimumCohortSize: 1, topBandPercent: 50,
                minimumScore: 1))
        let day = try LocalDate(year: 2026, month: 5, day: 4)
        for offset in 0..<10 {
            projection.apply(build.event(.answered, by: "m", on: day.adding(days: offset), firstResponse: offset < 4))
            projection.apply(build.event(.reacted, by: "m", on: day.adding(days: offset)))
        }
        projection.apply(build.event(.enrolled, by: "m", on: day))
        projection.apply(build.event(.enrolled, by: "m", on: day.adding(days: 2)))
        for date in [day, day.adding(days: 9), day.adding(days: 40)] {
            let engagement = try #require(projection.engagement(of: "m", on: date))
            #expect(engagement.score == engagement.contributions.reduce(0) { $0 + $1.milliPoints })
        }
        let superuser = try #require(projection.superusers(on: day.adding(days: 9)).first)
        #expect(superuser.engagement.score == superuser.engagement.contributions.map(\.milliPoints).reduce(0, +))
        #expect(superuser.engagement.contributions.map(\.source).contains("bonus:secondProgramme"))
    }

    @Test("more of a kind than its daily cap counts as a signal but earns nothing")
    func dailyCap() throws {
        let build = ActivityBuilder()
        var projection = try EngagementProjection(
            policy: EngagementPolicy(weights: [.reacted: 1], halfLifeDays: 30, dailyCaps: [.reacted: 10]))
        let day = try LocalDate(year: 2026, month: 2, day: 10)
        for _ in 0..<15 { projection.apply(build.event(.reacted, by: "m", on: day)) }
        #expect(projection.engagement(of: "m", on: day)?.score == 10_000)
        projection.apply(build.event(.reacted, by: "m", on: day.adding(days: 1)))
        #expect(projection.engagement(of: "m", on: day.adding(days: 1))!.score > 10_000)
    }

    @Test("a contribution is worth half after one half-life and nothing after 24")
    func decay() throws {
        let build = ActivityBuilder()
        var projection = try EngagementProjection(policy: EngagementPolicy(weights: [.answered: 8], halfLifeDays: 10))
        let day = try LocalDate(year: 2026, month: 1, day: 1)
        projection.apply(build.event(.answered, by: "m", on: day))
        #expect(projection.engagement(of: "m", on: day)?.score == 8_000)
        #expect(projection.engagement(of: "m", on: day.adding(days: 10))?.score == 4_000)
        #expect(projection.engagement(of: "m", on: day.adding(days: 20))?.score == 2_000)
        #expect(projection.engagement(of: "m", on: day.adding(days: 240))?.score == 0)
    }

    @Test("replaying the whole log gives exactly the state built page by page, also when pages repeat")
    func replayEqualsIncremental() async throws {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
        let service = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 3))
        _ = try await CommunitySimulator(
            service: service, clock: clock,
            configuration: SimulationConfiguration(seed: 3, members: 120, chapters: 3, weeks: 6)
        ).run()
        let log = try await store.allEntries().map { try LoggedActivity($0) }
        #expect(log.count > 500)

        var replayed = try EngagementProjection()
        for logged in log { replayed.apply(logged) }

        var incremental = try EngagementProjection()
        var generator = SeededGenerator(seed: 9)
        var start = 0
        while start < log.count {
            let end = min(log.count, start + Int.random(in: 1...97, using: &generator))
            // A reader that re-reads part of the previous page applies nothing twice.
            for logged in log[max(0, start - 5)..<end] { incremental.apply(logged) }
            start = end
        }
        #expect(incremental == replayed)
        #expect(incremental.position == log.last?.position)
        let date = try LocalDate(year: 2026, month: 2, day: 15)
        #expect(incremental.superusers(on: date) == replayed.superusers(on: date))
    }

    @Test("day numbers agree with the Gregorian calendar across centuries and leap days")
    func dayNumbers() throws {
        #expect(try LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(try LocalDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        var date = try LocalDate(year: 1900, month: 1, day: 1)
        var number = date.dayNumber
        for _ in 0..<2_000 {
            let next = date.adding(days: 53)
            #expect(next.dayNumber == number + 53, "\(next)")
            date = next
            number += 53
        }
    }

    @Test("a policy out of range is refused with the field named")
    func invalidPolicy() {
        var policy = EngagementPolicy.default
        policy.halfLifeDays = 0
        #expect(throws: CommunityError.self) { try EngagementProjection(policy: policy) }
        policy = .default
        policy.weights[.reacted] = -1
        #expect(throws: CommunityError.self) { try EngagementProjection(policy: policy) }
        policy = .default
        policy.topBandPercent = 80
        #expect(throws: CommunityError.self) { try EngagementProjection(policy: policy) }
    }
}
