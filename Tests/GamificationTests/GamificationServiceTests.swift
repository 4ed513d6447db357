import CommunityModel
import Foundation
import Storage
import Testing

@testable import Gamification

/// A community with gamification on an in-memory store and a clock the test moves.
struct Fixture {
    let store = InMemoryStore()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_772_409_600))  // 2026-03-02T00:00:00Z, a Monday
    let community: CommunityService
    let game: GamificationService

    init(rewardTiers: [RewardTier] = RewardTier.defaults) throws {
        community = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 8))
        game = try GamificationService(community: community, rewardTiers: rewardTiers)
    }

    func member(
        _ name: String, country: String = "KE", timeZone: String = "Africa/Nairobi", roles: Set<Role> = [.learner],
        consents: Set<Consent> = [.publicLeaderboards]
    ) async throws -> Member {
        let handle = name.lowercased().filter(\.isLetter)
        return try await community.registerMember(
            NewMember(
                displayName: name, email: "\(handle)@example.org", country: country, timeZone: timeZone,
                languages: ["en"], consents: consents, roles: roles))
    }

    /// Expects a refusal that changes nothing.
    func expectRefusal(
        _ matches: (CommunityError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws {
        let before = try await store.allEntries().count
        do {
            try await body()
            Issue.record("expected a refusal", sourceLocation: sourceLocation)
        } catch let error as CommunityError {
            #expect(matches(error), "unexpected: \(error)", sourceLocation: sourceLocation)
        }
        #expect(try await store.allEntries().count == before, sourceLocation: sourceLocation)
    }
}

/// The story first: Amina answers a question on her chapter's board, Bo likes the answer and
/// then withdraws the like. Amina's points say exactly why she has them; she leads the
/// chapter's board this week; she checks in homework daily and keeps a streak.
@Suite("Gamification service")
struct GamificationServiceTests {
    @Test("a removed answer takes back its own points and those it drew: reactions, feedback, its acceptance")
    func removalTakesBackWhatThePostDrew() async throws {
        let fixture = try Fixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let chapter = try await fixture.community.createChapter(
            id: "nbo", name: "Nairobi", focus: .country(try CountryCode("KE")), timeZone: "Africa/Nairobi",
            by: staff.id)
        let amina = try await fixture.member("Amina")
        let bo = try await fixture.member("Bo")
        let cai = try await fixture.member("Cai")
        for member in [amina, bo, cai] {
            try await fixture.community.join(chapter.id, member: member.id, by: member.id)
        }
        let question = try await fixture.community.startThread(
            on: chapter.publicBoard, by: bo.id, title: "Pivot tables?", body: "How?", isQuestion: true)
        let answer = try await fixture.community.reply(to: question.id, by: amina.id, body: "Buy my course")
        try await fixture.community.react(.like, to: answer.id, by: cai.id)
        try await fixture.community.giveFeedback(on: answer.id, by: cai.id, body: "Thanks, clear.")
        try await fixture.community.acceptAnswer(answer.id, in: question.id, by: bo.id)
        let before = try await fixture.game.points(of: amina.id, by: amina.id).balance
        let caiBefore = try await fixture.game.points(of: cai.id, by: cai.id).balance
        // Amina: 10 for the answer, 2 for the like, 2 for the feedback she received, 15 for the acceptance.
        #expect(before == 29)
        #expect(caiBefore > 0)

        try await fixture.community.removePost(answer.id, by: staff.id, reason: "Advertising")
        let statement = try await fixture.game.points(of: amina.id, by: amina.id)
        #expect(statement.balance == 0)
        // Each taking-back is a line of the explanation.
        #expect(statement.lines.filter { $0.outcome == .reversal }.count == 4)
        // Cai's points for the feedback on the removed answer go too; her own like paid her nothing.
        #expect(try await fixture.game.points(of: cai.id, by: cai.id).balance == 0)
    }

    @Test("points from the community's activity, explained, on the boards, and taken back on withdrawal")
    func endToEnd() async throws {
        let fixture = try Fixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let chapter = try await fixture.community.createChapter(
            id: "nbo", name: "Nairobi", focus: .country(try CountryCode("KE")), timeZone: "Africa/Nairobi",
            by: staff.id)
        let amina = try await fixture.member("Amina")
        let bo = try await fixture.member("Bo", consents: [])
        for member in [amina, bo] { try await fixture.community.join(chapter.id, member: member.id, by: member.id) }
        let question = try await fixture.community.startThread(
            on: chapter.publicBoard, by: bo.id, title: "Pivot tables?", body: "How?", isQuestion: true)
        let answer = try await fixture.community.reply(to: question.id, by: amina.id, body: "Like this")
        try await fixture.community.react(.like, to: answer.id, by: bo.id)

        var statement = try await fixture.game.points(of: amina.id, by: amina.id)
        #expect(statement.balance == 12)
        #expect(statement.lines.map(\.kind) == [.answered, .reacted])
        #expect(statement.level.level.name == "Newcomer" && statement.level.pointsToNext == 88)

        let board = try await fixture.game.leaderboard(.chapter(chapter.id), .week)
        #expect(board.map(\.member) == [amina.id], "Bo did not consent to public boards")
        let hidden = try await fixture.game.rank(of: bo.id, on: .chapter(chapter.id), .week, by: bo.id)
        #expect(hidden.isListed == false && hidden.rank == 2)

        try await fixture.community.withdrawReaction(.like, from: answer.id, by: bo.id)
        statement = try await fixture.game.points(of: amina.id, by: amina.id)
        #expect(statement.balance == 10)
        #expect(statement.lines.last?.outcome == .reversal)

        try await fixture.game.adjustPoints(of: amina.id, points: 5, reason: "Ran the study group", by: staff.id)
        statement = try await fixture.game.points(of: amina.id, by: amina.id)
        #expect(statement.balance == 15)
        #expect(statement.adjustmentReasons.values.sorted() == ["Ran the study group"])
        try await fixture.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            try await fixture.game.adjustPoints(of: amina.id, points: 500, reason: "I deserve it", by: bo.id)
        }
    }

    /// Enrols `member` in a new programme and returns it.
    func programme(_ fixture: Fixture, for members: [Member]) async throws -> ProgrammeID {
        let staff = try await fixture.member("Staff \(members.count)", roles: [.staff])
        let programme = try await fixture.community.createProgramme(title: "Data analysis", by: staff.id)
        for member in members { _ = try await fixture.community.enrol(member.id, in: programme.id, by: member.id) }
        return programme.id
    }

    @Test("learners at UTC+13 and UTC−10 keep their streaks by their own calendar days")
    func streaksInOwnTimeZones() async throws {
        let fixture = try Fixture()
        let tonga = try await fixture.member("Sione", country: "TO", timeZone: "Pacific/Tongatapu")
        let hawaii = try await fixture.member("Leilani", country: "US", timeZone: "Pacific/Honolulu")
        let programme = try await programme(fixture, for: [tonga, hawaii])
        // Each checks in at 19:00 local for five days. 19:00 in Tonga is 06:00 UTC the same day;
        // in Honolulu it is 05:00 UTC the next day.
        fixture.clock.set(Date(timeIntervalSince1970: 1_772_409_600 + 6 * 3_600))
        for day in 0..<5 {
            try await fixture.game.checkIn(programme: programme, assignment: "Week 1, day \(day + 1)", by: tonga.id)
            fixture.clock.advance(by: 23 * 3_600)
            try await fixture.game.checkIn(programme: programme, assignment: "Week 1, day \(day + 1)", by: hawaii.id)
            fixture.clock.advance(by: 3_600)
        }
        let tongaStreak = try await fixture.game.streak(of: tonga.id, in: programme, by: tonga.id)
        let hawaiiStreak = try await fixture.game.streak(of: hawaii.id, in: programme, by: hawaii.id)
        #expect(tongaStreak.current == 5 && tongaStreak.longest == 5)
        #expect(hawaiiStreak.current == 5 && hawaiiStreak.longest == 5)
        // Checking in again the same local day is refused, also one second before local midnight.
        try await fixture.expectRefusal({ if case .alreadyExists = $0 { true } else { false } }) {
            try await fixture.game.checkIn(programme: programme, assignment: "Again", by: hawaii.id)
        }
    }

    @Test("a streak survives the change to summer time, where a day has 23 hours")
    func streakAcrossDST() async throws {
        let fixture = try Fixture()
        let berlin = try await fixture.member("Lena", country: "DE", timeZone: "Europe/Berlin")
        let programme = try await programme(fixture, for: [berlin])
        // 2026-03-29 02:00 → 03:00 in Berlin. Check in at 23:30 local on the 28th, 29th and 30th.
        let march28 = Date(
            timeIntervalSince1970: Double(try LocalDate(year: 2026, month: 3, day: 28).dayNumber) * 86_400)
        for (day, offset) in [(0, 1.0), (1, 2.0), (2, 2.0)] {
            fixture.clock.set(march28.addingTimeInterval(Double(day) * 86_400 + 23.5 * 3_600 - offset * 3_600))
            let checkIn = try await fixture.game.checkIn(programme: programme, assignment: "Daily", by: berlin.id)
            #expect(try checkIn.day == LocalDate(year: 2026, month: 3, day: 28 + day))
        }
        #expect(try await fixture.game.streak(of: berlin.id, in: programme, by: berlin.id).current == 3)
    }

    @Test("make-ups fill missed days until the month's allowance is used; future days are refused")
    func makeUps() async throws {
        let fixture = try Fixture()
        let amina = try await fixture.member("Amina")
        let programme = try await programme(fixture, for: [amina])
        let today = try LocalDate(year: 2026, month: 3, day: 11)
        for day in [6, 8, 11] {
            // Noon UTC is 15:00 in Nairobi: each check-in is for that day, on that day.
            let date = try LocalDate(year: 2026, month: 3, day: day)
            fixture.clock.set(Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400 + 12 * 3_600))
            try await fixture.game.checkIn(programme: programme, assignment: "Daily", by: amina.id)
        }
        #expect(try await fixture.game.streak(of: amina.id, in: programme, by: amina.id).current == 1)
        try await fixture.game.checkIn(
            programme: programme, assignment: "Daily", for: today.adding(days: -1), by: amina.id)
        let made = try await fixture.game.checkIn(
            programme: programme, assignment: "Daily", for: try LocalDate(year: 2026, month: 3, day: 9),
            submission: HomeworkSubmission(title: "Pivot practice", link: URL(string: "https://example.org/h")),
            by: amina.id)
        #expect(made.isMakeUp)
        var streak = try await fixture.game.streak(of: amina.id, in: programme, by: amina.id)
        #expect(streak.current == 4 && streak.makeUpsLeftThisMonth == 0)
        try await fixture.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await fixture.game.checkIn(
                programme: programme, assignment: "Daily", for: try LocalDate(year: 2026, month: 3, day: 7),
                by: amina.id)
        }
        try await fixture.expectRefusal({ if case .invalidInput(field: "day", _) = $0 { true } else { false } }) {
            try await fixture.game.checkIn(
                programme: programme, assignment: "Daily", for: today.adding(days: 1), by: amina.id)
        }
        let notEnrolled = try await fixture.member("Bo")
        try await fixture.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await fixture.game.checkIn(programme: programme, assignment: "Daily", by: notEnrolled.id)
        }
        streak = try await fixture.game.streak(of: amina.id, in: programme, by: amina.id)
        #expect(streak.longest == 4 && streak.isDoneToday)
    }

    @Test("weekly streaks count weeks with a check-in")
    func weeklyStreaks() throws {
        let policy = try StreakPolicy(unit: .week, makeUpsPerMonth: 0)
        let mondays = try [2, 9, 16].map { try LocalDate(year: 2026, month: 3, day: $0 + 2) }  // Wednesdays
        let streak = Streak.compute(
            periods: mondays, today: try LocalDate(year: 2026, month: 3, day: 22), policy: policy, makeUpsUsed: 0)
        #expect(streak.current == 3 && streak.isDoneToday)
    }

    @Test("each reward is granted once, also when many ask at the same time, and moves only forward")
    func rewardsOnce() async throws {
        let fixture = try Fixture(rewardTiers: [
            RewardTier(id: "stickers", name: "Stickers", kind: .swag, threshold: 20),
            RewardTier(id: "beta", name: "Beta", kind: .betaInvitation, threshold: 1_000),
        ])
        let staff = try await fixture.member("Sam", roles: [.staff])
        let amina = try await fixture.member("Amina")
        try await fixture.game.adjustPoints(of: amina.id, points: 25, reason: "Welcome bonus", by: staff.id)
        let grants = try await withThrowingTaskGroup(of: [RewardGrant].self) { group in
            for _ in 0..<8 { group.addTask { try await fixture.game.grantRewards(to: amina.id, by: amina.id) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        // Callers that share one catch-up each see the one grant it stored.
        #expect(Set(grants.map(\.tier.id)) == ["stickers"])
        #expect(try await fixture.game.rewards(of: amina.id, by: amina.id).count == 1)
        let earned = try await fixture.store.allEntries().filter { $0.entry.kind == ActivityKind.rewardEarned.rawValue }
        #expect(earned.count == 1)

        try await fixture.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await fixture.game.moveReward("stickers", of: amina.id, to: .shipped, by: staff.id)
        }
        try await fixture.game.moveReward("stickers", of: amina.id, to: .offered, by: staff.id)
        try await fixture.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            try await fixture.game.moveReward("stickers", of: amina.id, to: .claimed, by: staff.id)
        }
        try await fixture.game.moveReward("stickers", of: amina.id, to: .claimed, by: amina.id)
        let shipped = try await fixture.game.moveReward("stickers", of: amina.id, to: .shipped, by: staff.id)
        #expect(shipped.history.map(\.to) == [.offered, .claimed, .shipped])
        try await fixture.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await fixture.game.moveReward("stickers", of: amina.id, to: .declined, by: amina.id)
        }
    }

    @Test(
        "a reward is an effect of the host: granted by the entry that reaches the threshold, once, seen by every process"
    )
    func rewardsAreHostEffects() async throws {
        let tiers = [RewardTier(id: "stickers", name: "Stickers", kind: .swag, threshold: 20)]
        let fixture = try Fixture(rewardTiers: tiers)
        let staff = try await fixture.member("Sam", roles: [.staff])
        let amina = try await fixture.member("Amina")
        try await fixture.game.adjustPoints(of: amina.id, points: 10, reason: "Welcome bonus", by: staff.id)
        fixture.clock.advance(by: 3_600)
        try await fixture.game.adjustPoints(of: amina.id, points: 15, reason: "Helped at the meetup", by: staff.id)
        let reaching = try #require(try await fixture.store.allEntries().last)
        fixture.clock.advance(by: 86_400)
        // Another process (its own host) catches up with the same log: nothing is granted twice.
        let other = try GamificationService(community: fixture.community, rewardTiers: tiers)
        let first = try await other.refresh()
        try await fixture.game.refresh()
        let grants = try await fixture.game.rewards(of: amina.id, by: amina.id)
        #expect(grants.map(\.tier.id) == ["stickers"])
        #expect(first.effects == 1)
        // Dated by the adjustment that reached 20 points, not by the catch-up a day later.
        #expect(grants.first?.earnedAt == reaching.entry.time.date)
        #expect(grants.first?.pointsAtGrant == 25)
        let earned = try await fixture.store.allEntries().filter { $0.entry.kind == ActivityKind.rewardEarned.rawValue }
        #expect(earned.count == 1)
        // Points taken back later leave the grant.
        try await fixture.game.adjustPoints(of: amina.id, points: -20, reason: "Duplicate bonus", by: staff.id)
        try await fixture.game.refresh()
        #expect(try await fixture.game.rewards(of: amina.id, by: amina.id).count == 1)
        #expect(throws: CommunityError.self) {
            try GamificationService(
                community: fixture.community,
                rewardTiers: (0...64).map {
                    RewardTier(id: RewardTierID("t\($0)"), name: "T", kind: .swag, threshold: $0)
                })
        }
    }

    @Test(
        "a points statement is the member's and staff's; a hidden member's rank too; Int.min points are refused, not a trap"
    )
    func pointsReaders() async throws {
        let fixture = try Fixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let amina = try await fixture.member("Amina")
        let bo = try await fixture.member("Bo", consents: [])
        try await fixture.game.adjustPoints(of: bo.id, points: 5, reason: "Welcome", by: staff.id)
        #expect(try await fixture.game.points(of: bo.id, by: staff.id).balance == 5)
        #expect(try await fixture.game.points(of: bo.id, by: bo.id).adjustmentReasons.values.contains("Welcome"))
        await #expect(throws: CommunityError.self) { try await fixture.game.points(of: bo.id, by: amina.id) }
        await #expect(throws: CommunityError.self) {
            try await fixture.game.rank(of: bo.id, on: .global, .allTime, by: amina.id)
        }
        #expect(try await fixture.game.rank(of: bo.id, on: .global, .allTime, by: bo.id).isListed == false)
        _ = try await fixture.game.rank(of: amina.id, on: .global, .allTime, by: bo.id)
        for points in [Int.min, Int.max, -100_001] {
            try await fixture.expectRefusal({ if case .invalidInput = $0 { true } else { false } }) {
                try await fixture.game.adjustPoints(of: amina.id, points: points, reason: "x", by: amina.id)
            }
        }
    }

    @Test("levels: thresholds, progress to the next, and the top")
    func levels() throws {
        let levels = LevelPolicy.default
        #expect(levels.progress(for: 0).level.name == "Newcomer")
        let helper = levels.progress(for: 650)
        #expect(helper.level.name == "Helper" && helper.pointsToNext == 350 && helper.percentToNext == 50)
        #expect(levels.progress(for: 20_000).next == nil && levels.progress(for: 20_000).percentToNext == 100)
        #expect(try LevelPolicy(levels: levels.levels) == levels, "the default ladder passes its own checks")
        #expect(try StreakPolicy() == StreakPolicy.daily)
        #expect(throws: CommunityError.self) { try LevelPolicy(levels: [Level(name: "A", threshold: 5)]) }
        #expect(throws: CommunityError.self) {
            try LevelPolicy(levels: [Level(name: "A", threshold: 0), Level(name: "B", threshold: 0)])
        }
    }
}
