import CommunityModel
import Foundation
import Gamification
import Storage
import Testing

@testable import Recognition

/// Badges are data: criteria over the activity log, evaluated as events arrive, each award
/// made once (repeatable ones once per fresh evidence) with the log entries that earned it.
@Suite("Badge evaluation")
struct BadgeProjectionTests {
    static let image = URL(string: "https://school.example/badges/image.png")!
    static let day: Int64 = 86_400_000

    /// A log built by hand: each event gets the next position, a time `day` days after the
    /// start (2026-01-01) and the local date of that time in UTC.
    struct Log {
        var entries: [LoggedActivity] = []
        let ids = EntryIDGenerator(seed: 3)

        @discardableResult
        mutating func add(
            _ kind: ActivityKind, _ member: MemberID, day: Double, subject: SubjectRef? = nil,
            subjectOwner: MemberID? = nil, chapter: ChapterID? = nil, programme: ProgrammeID? = nil,
            details: ActivityDetails = ActivityDetails(), reverses: UInt64? = nil
        ) -> UInt64 {
            let time = Timestamp(millisecondsSince1970: 1_767_225_600_000 + Int64(day * 86_400_000))
            let position = UInt64(entries.count + 1)
            entries.append(
                LoggedActivity(
                    position: position,
                    event: ActivityEvent(
                        id: ids.next(at: time), kind: kind, member: member, time: time,
                        localDate: LocalDate(time.date, in: .utc),
                        context: reversing(
                            ActivityContext(
                                subject: subject, subjectOwner: subjectOwner, chapter: chapter, programme: programme,
                                details: details),
                            reverses))))
            return position
        }

        /// `context` made to reverse the entry at `position`, if one is given.
        func reversing(_ context: ActivityContext, _ position: UInt64?) -> ActivityContext {
            var context = context
            if let position { context.reverse(entries[Int(position) - 1].event) }
            return context
        }
    }

    static func badge(_ id: String, _ criterion: BadgeCriterion, repeatable: Bool = false) -> BadgeDefinition {
        BadgeDefinition(
            id: BadgeID(id), name: id.capitalized, description: "Awarded for \(id).", criterion: criterion,
            isRepeatable: repeatable, image: image)
    }

    static func run(_ badges: [BadgeDefinition], _ log: Log) throws -> (BadgeProjection, [BadgeAward]) {
        var projection = try BadgeProjection(badges: badges)
        for entry in log.entries { projection.apply(entry) }
        let awards = projection.takeNewAwards()
        return (projection, awards)
    }

    @Test(
        "scenario: a helpful learner earns 'first answer' at once and 'helper' at the fifth answer, each once, with evidence"
    )
    func scenario() throws {
        var log = Log()
        var answers: [UInt64] = []
        for day in 0..<7 { answers.append(log.add(.answered, "ada", day: Double(day))) }
        let (projection, awards) = try Self.run(
            [
                Self.badge("first-answer", .count(.answered, atLeast: 1)),
                Self.badge("helper", .count(.answered, atLeast: 5)),
            ],
            log)
        #expect(awards.map(\.badge) == ["first-answer", "helper"])
        #expect(awards[0].evidence == [answers[0]])
        #expect(awards[1].evidence == Array(answers[0..<5]))
        #expect(awards[1].position == answers[4])
        #expect(projection.awardCount("helper", of: "ada") == 1)
    }

    @Test("a reversed entry takes back its count: the badge then needs one more, and an award made stays")
    func reversalTakesBackTheCount() throws {
        var log = Log()
        let first = log.add(.answered, "ada", day: 0)
        log.add(.answered, "ada", day: 1)
        log.add(.contentRemoved, "ada", day: 2, reverses: first)
        log.add(.answered, "ada", day: 3)
        let badges = [
            Self.badge("first-answer", .count(.answered, atLeast: 1)),
            Self.badge("three", .count(.answered, atLeast: 3)),
            Self.badge("burst", .count(.answered, atLeast: 3, withinDays: 7)),
        ]
        var (projection, awards) = try Self.run(badges, log)
        // Three answers were given, one was taken back: two count.
        #expect(awards.map(\.badge) == ["first-answer"])
        log.add(.answered, "ada", day: 4)
        (projection, awards) = try Self.run(badges, log)
        #expect(Set(awards.map(\.badge)) == ["first-answer", "three", "burst"])
        #expect(awards.first { $0.badge == "three" }?.position == 5)
        // Taking back an answer after an award leaves the award.
        log.add(.contentRemoved, "ada", day: 5, reverses: 5)
        (projection, awards) = try Self.run(badges, log)
        #expect(projection.awardCount("three", of: "ada") == 1)
    }

    @Test("a count within a window needs that many in the last days")
    func windowedCount() throws {
        var log = Log()
        for day in [0.0, 3, 6, 9, 12] { log.add(.answered, "ada", day: day) }  // never 4 within 7 days
        var (_, awards) = try Self.run([Self.badge("burst", .count(.answered, atLeast: 4, withinDays: 7))], log)
        #expect(awards.isEmpty)
        // Day 14: 6, 9, 12, 14 spans 8 days; day 15: 9, 12, 14, 15 is within 7.
        for day in [14.0, 15] { log.add(.answered, "ada", day: day) }
        (_, awards) = try Self.run([Self.badge("burst", .count(.answered, atLeast: 4, withinDays: 7))], log)
        #expect(awards.map(\.evidence) == [[4, 5, 6, 7]])
    }

    @Test("a repeatable badge is awarded again for each fresh set of evidence, never twice for the same")
    func repeatable() throws {
        var log = Log()
        for index in 0..<7 { log.add(.gaveFeedback, "ben", day: Double(index)) }
        let (_, awards) = try Self.run([Self.badge("mentor", .count(.gaveFeedback, atLeast: 3), repeatable: true)], log)
        #expect(awards.map(\.number) == [1, 2])
        #expect(awards.map(\.evidence) == [[1, 2, 3], [4, 5, 6]])
    }

    @Test("a badge that needs several counts comes with the event that completes the last of them, whatever its kind")
    func combinedCounts() throws {
        var log = Log()
        log.add(.replied, "kim", day: 0)
        log.add(.answered, "kim", day: 1)
        let kimsLast = log.add(.answered, "kim", day: 2)
        log.add(.answered, "lee", day: 0)
        log.add(.answered, "lee", day: 1)
        log.add(.answered, "lee", day: 2)
        let leesLast = log.add(.replied, "lee", day: 3)
        log.add(.replied, "lee", day: 4)
        let criterion = BadgeCriterion.all([.count(.answered, atLeast: 2), .count(.replied, atLeast: 1)])
        let (_, awards) = try Self.run([Self.badge("all-round", criterion)], log)
        #expect(awards.map(\.member) == ["kim", "lee"])
        #expect(awards.map(\.position) == [kimsLast, leesLast])
        #expect(awards.map(\.evidence) == [[1, 2, 3], [5, 6, 7]])
    }

    @Test("a check-in streak counts consecutive days in one programme, make-ups filling the gap they name")
    func streaks() throws {
        var log = Log()
        let programme: ProgrammeID = "finance"
        log.add(.checkedIn, "cai", day: 0, programme: programme)
        log.add(.checkedIn, "cai", day: 1, programme: programme)
        log.add(.checkedIn, "cai", day: 3, programme: programme)
        var (_, awards) = try Self.run([Self.badge("steady", .streak(days: 4))], log)
        #expect(awards.isEmpty)
        // A make-up on day 4 for day 2 closes the gap: days 0 to 3.
        log.add(
            .checkedIn, "cai", day: 4, programme: programme,
            details: ActivityDetails(day: try LocalDate(year: 2026, month: 1, day: 3)))
        (_, awards) = try Self.run([Self.badge("steady", .streak(days: 4))], log)
        #expect(awards.map(\.evidence) == [[1, 2, 4, 3]])
    }

    @Test("points count the ledger's balance, with its caps, and the evidence is the paid entries")
    func points() throws {
        var log = Log()
        for day in 0..<3 { log.add(.answered, "dee", day: Double(day)) }  // 10 points each
        let (_, awards) = try Self.run([Self.badge("thirty", .points(atLeast: 30))], log)
        #expect(awards.map(\.evidence) == [[1, 2, 3]])
    }

    @Test("a role held for 90 days is awarded by the clock, and stepping down stops it")
    func roleHeldByTheClock() throws {
        var log = Log()
        let granted = log.add(.becameOrganizer, "eve", day: 0, chapter: "nbo")
        log.add(.becameOrganizer, "fay", day: 0, chapter: "lagos")
        log.add(.steppedDown, "fay", day: 30, chapter: "lagos")
        log.add(.answered, "eve", day: 40)
        var (projection, awards) = try Self.run([Self.badge("steward", .roleHeld(.chapterOrganizer, days: 90))], log)
        #expect(awards.isEmpty)
        #expect(projection.evaluate(asOf: Date(timeIntervalSince1970: 1_767_225_600 + 89 * 86_400)).isEmpty)
        let later = projection.evaluate(asOf: Date(timeIntervalSince1970: 1_767_225_600 + 90 * 86_400))
        #expect(later.map(\.member) == ["eve"])
        #expect(later.first?.evidence == [granted])
        #expect(projection.evaluate(asOf: Date(timeIntervalSince1970: 1_767_225_600 + 200 * 86_400)).isEmpty)
        // Read late (on day 150), the clock dates the award when the 90 days were up.
        (projection, _) = try Self.run([Self.badge("steward", .roleHeld(.chapterOrganizer, days: 90))], log)
        let late = projection.evaluate(asOf: Date(timeIntervalSince1970: 1_767_225_600 + 150 * 86_400))
        #expect(late.first?.awardedAt == Date(timeIntervalSince1970: 1_767_225_600 + 90 * 86_400))
        let effect = try #require(projection.takeEffects().first?.entry)
        #expect(try ActivityEvent(effect).localDate == LocalDate(year: 2026, month: 4, day: 1))
    }

    @Test("events hosted count created events that were not cancelled")
    func eventsHosted() throws {
        var log = Log()
        log.add(.createdEvent, "gus", day: 0, subject: .event("e1"))
        log.add(.cancelledEvent, "gus", day: 1, subject: .event("e1"))
        let second = log.add(.createdEvent, "gus", day: 2, subject: .event("e2"))
        var (_, awards) = try Self.run([Self.badge("host", .eventsHosted(atLeast: 2))], log)
        #expect(awards.isEmpty)
        let third = log.add(.createdEvent, "gus", day: 3, subject: .event("e3"))
        (_, awards) = try Self.run([Self.badge("host", .eventsHosted(atLeast: 2))], log)
        #expect(awards.map(\.evidence) == [[second, third]])
    }

    @Test("a chapter milestone is awarded to its organizers, not to the members who joined")
    func chapterMilestone() throws {
        var log = Log()
        log.add(.becameOrganizer, "hal", day: 0, chapter: "nbo")
        log.add(.joinedChapter, "i1", day: 1, chapter: "nbo")
        log.add(.joinedChapter, "i2", day: 1, chapter: "nbo")
        log.add(.leftChapter, "i2", day: 2, chapter: "nbo")
        log.add(.joinedChapter, "i3", day: 3, chapter: "nbo")
        var (_, awards) = try Self.run([Self.badge("three", .chapterMembers(atLeast: 3))], log)
        #expect(awards.isEmpty)
        let reached = log.add(.joinedChapter, "i4", day: 4, chapter: "nbo")
        (_, awards) = try Self.run([Self.badge("three", .chapterMembers(atLeast: 3))], log)
        #expect(awards.map(\.member) == ["hal"])
        #expect(awards.first?.evidence == [reached])
    }

    @Test("a challenge placement earns the badge when it is good enough; all and any combine criteria")
    func placementsAndCombinations() throws {
        var log = Log()
        let placed = log.add(.placedInChallenge, "jo", day: 0, details: ActivityDetails(placement: 2))
        let answer = log.add(.answered, "jo", day: 1)
        let (_, awards) = try Self.run(
            [
                Self.badge("podium", .challengePlacement(atBest: 3)),
                Self.badge("winner", .challengePlacement(atBest: 1)),
                Self.badge("all-round", .all([.challengePlacement(atBest: 3), .count(.answered, atLeast: 1)])),
                Self.badge("either", .any([.challengePlacement(atBest: 1), .count(.answered, atLeast: 1)])),
            ], log)
        #expect(awards.map(\.badge).sorted() == ["all-round", "either", "podium"])
        #expect(awards.first { $0.badge == "all-round" }?.evidence == [placed, answer])
        #expect(awards.first { $0.badge == "either" }?.evidence == [answer])
    }

    @Test("an award's evidence reproduces it: replaying only those entries earns the same badge")
    func evidenceReproducesTheAward() throws {
        var log = Log()
        log.add(.answered, "lee", day: 0)
        log.add(.replied, "lee", day: 0)
        log.add(.answered, "lee", day: 1)
        log.add(.checkedIn, "lee", day: 1, programme: "finance")
        log.add(.answered, "lee", day: 2)
        log.add(.checkedIn, "lee", day: 2, programme: "finance")
        log.add(.placedInChallenge, "lee", day: 3, details: ActivityDetails(placement: 1))
        let badges = [
            Self.badge("three-answers", .count(.answered, atLeast: 3)),
            Self.badge("two-days", .streak(days: 2)),
            Self.badge("champion", .all([.challengePlacement(atBest: 1), .count(.answered, atLeast: 2)])),
        ]
        let (_, awards) = try Self.run(badges, log)
        #expect(awards.count == 3)
        for award in awards {
            var evidenceOnly = Log()
            evidenceOnly.entries = log.entries.filter { award.evidence.contains($0.position) }
            let (_, replayed) = try Self.run(badges.filter { $0.id == award.badge }, evidenceOnly)
            #expect(replayed.map(\.badge) == [award.badge], "the evidence of \(award.badge) does not reproduce it")
            #expect(replayed.first?.evidence == award.evidence)
        }
    }

    @Test("badge definitions with mistakes are refused, naming the badge")
    func badDefinitions() {
        let bad = [
            [Self.badge("streaky", .streak(days: 3), repeatable: true)],
            [Self.badge("same", .streak(days: 3)), Self.badge("same", .streak(days: 4))],
            [Self.badge("bad id!", .streak(days: 3))],
            [Self.badge("zero", .count(.answered, atLeast: 0))],
            [Self.badge("empty", .all([]))],
            // Awards are results of the log, not activity: counting them would feed on itself.
            [Self.badge("collector", .count(.badgeAwarded, atLeast: 3))],
        ]
        for badges in bad {
            #expect(throws: RecognitionError.self) { try BadgeProjection(badges: badges) }
        }
    }

    @Test("a projection restored from its checkpoint goes on exactly as one that never stopped")
    func checkpoint() throws {
        var log = Log()
        for day in 0..<4 { log.add(.answered, "kim", day: Double(day)) }
        let badges = [
            Self.badge("helper", .count(.answered, atLeast: 5)), Self.badge("thirty", .points(atLeast: 30)),
        ]
        var whole = try BadgeProjection(badges: badges)
        var first = try BadgeProjection(badges: badges)
        for entry in log.entries {
            whole.apply(entry)
            first.apply(entry)
        }
        var writer = BinaryWriter()
        first.encodeState(into: &writer)
        var restored = try BadgeProjection(badges: badges)
        var reader = BinaryReader(Data(writer.bytes), collection: "test", id: "badges")
        try restored.restoreState(from: &reader, position: first.position)
        log.add(.answered, "kim", day: 5)
        whole.apply(log.entries[4])
        restored.apply(log.entries[4])
        #expect(restored.takeNewAwards() == Array(whole.takeNewAwards().suffix(1)))
        #expect(restored.awardCount("helper", of: "kim") == 1)
    }
}
