import CommunityModel
import Foundation
import Storage
import Testing

@testable import Gamification

/// Builds logged activity for ledger tests: who did what to whose content, on which day.
struct Log {
    let ids = EntryIDGenerator(seed: 5)
    var position: UInt64 = 0
    var entries: [LoggedActivity] = []

    @discardableResult
    mutating func add(
        _ kind: ActivityKind, by member: MemberID, owner: MemberID? = nil, on day: LocalDate,
        hour: Int = 12, reverses: EntryID? = nil, points: Int? = nil, actor: MemberID? = nil
    ) -> ActivityEvent {
        let time = Timestamp(millisecondsSince1970: Int64(day.dayNumber) * 86_400_000 + Int64(hour) * 3_600_000)
        let event = ActivityEvent(
            id: ids.next(at: time), kind: kind, member: member, time: time, localDate: day,
            context: ActivityContext(
                actor: actor, subjectOwner: owner, reverses: reverses, details: ActivityDetails(points: points)))
        position += 1
        entries.append(LoggedActivity(position: position, event: event))
        return event
    }

    func ledger(_ policy: PointsPolicy = .default) throws -> PointsLedger {
        var ledger = try PointsLedger(policy: policy)
        for entry in entries { ledger.apply(entry) }
        return ledger
    }
}

/// The story first: Amina answers questions and her answers are liked. Her balance is the sum
/// of her ledger lines, and each line says why it has the points it has, including the ones
/// that were cut by a cap and the one a moderator took back.
@Suite("Points ledger")
struct PointsLedgerTests {
    let monday = try! LocalDate(year: 2026, month: 3, day: 2)

    @Test("an accepted answer pays 15, never for one's own question, and un-accepting takes it back")
    func acceptedAnswers() throws {
        var log = Log()
        let accepted = log.add(.answerAccepted, by: "amina", owner: "bo", on: monday, actor: "bo")
        log.add(.answerAccepted, by: "bo", owner: "bo", on: monday, actor: "bo")  // his own question
        log.add(
            .answerUnaccepted, by: "amina", owner: "bo", on: monday.adding(days: 1), reverses: accepted.id, actor: "bo")
        let ledger = try log.ledger()
        #expect(ledger.lines(of: "amina").map(\.points) == [15, -15])
        #expect(ledger.lines(of: "amina").first?.counterpart == "bo")
        #expect(ledger.lines(of: "bo").map(\.outcome) == [.ownContent])
        #expect(ledger.balance(of: "amina") == 0 && ledger.balance(of: "bo") == 0)
    }

    @Test("a balance is the sum of its lines, and every line says why")
    func balanceExplained() throws {
        var log = Log()
        let answer = log.add(.answered, by: "amina", on: monday)
        log.add(.reacted, by: "bo", owner: "amina", on: monday)
        log.add(.gaveFeedback, by: "bo", owner: "amina", on: monday)
        log.add(.contentRemoved, by: "amina", on: monday.adding(days: 1), reverses: answer.id, actor: "mod")
        log.add(.pointsAdjusted, by: "amina", on: monday.adding(days: 1), points: 7, actor: "staff")
        let ledger = try log.ledger()

        let lines = ledger.lines(of: "amina")
        #expect(lines.map(\.outcome) == [.paid, .paid, .paid, .reversal, .adjustment])
        #expect(lines.map(\.points) == [10, 2, 2, -10, 7])
        #expect(ledger.balance(of: "amina") == lines.map(\.points).reduce(0, +))
        #expect(ledger.balance(of: "amina") == 11)
        #expect(lines[0].linked == 4, "the answer's line names the entry that reversed it")
        #expect(lines[3].linked == 1)
        #expect(lines[1].counterpart == "bo")
        #expect(ledger.balance(of: "bo") == 5, "feedback pays the giver 5; a reaction pays the reactor nothing")
        #expect(lines[3].reason.contains("taking back entry 1"))
    }

    @Test("reacting to or giving feedback on one's own content pays no one")
    func ownContentPaysNothing() throws {
        var log = Log()
        log.add(.reacted, by: "amina", owner: "amina", on: monday)
        log.add(.gaveFeedback, by: "amina", owner: "amina", on: monday)
        let ledger = try log.ledger()
        #expect(ledger.balance(of: "amina") == 0)
        #expect(ledger.lines(of: "amina").map(\.outcome) == [.ownContent, .ownContent])
    }

    @Test("a reaction ring pays each member at most the pair cap per period")
    func reactionRingThrottled() throws {
        var log = Log()
        for round in 0..<50 {
            let day = monday.adding(days: round / 10)
            log.add(.reacted, by: "ann", owner: "ben", on: day)
            log.add(.reacted, by: "ben", owner: "ann", on: day)
        }
        let ledger = try log.ledger()
        #expect(ledger.balance(of: "ann") == 20)
        #expect(ledger.balance(of: "ben") == 20)
        #expect(ledger.lines(of: "ann").filter { $0.outcome == .pairCap }.count == 40)
        // Next week the pair may pay each other again, and a third member is not throttled.
        var later = log
        later.add(.reacted, by: "ann", owner: "ben", on: monday.adding(days: 7))
        later.add(.reacted, by: "cy", owner: "ben", on: monday.adding(days: 1))
        let next = try later.ledger()
        #expect(next.balance(of: "ben") == 24)
    }

    @Test("a burst past the daily cap is cut, and the next local day pays again")
    func dailyCapHolds() throws {
        var log = Log()
        for hour in 0..<30 { log.add(.answered, by: "amina", on: monday, hour: hour % 24) }
        log.add(.answered, by: "amina", on: monday.adding(days: 1))
        let ledger = try log.ledger()
        let lines = ledger.lines(of: "amina")
        #expect(ledger.balance(of: "amina") == 210)
        #expect(lines.prefix(20).allSatisfy { $0.outcome == .paid })
        #expect(lines.dropFirst(20).prefix(10).allSatisfy { $0.outcome == .dailyCap && $0.points == 0 })
        #expect(lines.last?.outcome == .paid)
    }

    @Test("a kind's daily cap holds even below the daily cap")
    func kindCapHolds() throws {
        var log = Log()
        for number in 0..<30 { log.add(.reacted, by: MemberID("fan-\(number)"), owner: "amina", on: monday) }
        let ledger = try log.ledger()
        #expect(ledger.balance(of: "amina") == 40)
        #expect(ledger.lines(of: "amina").filter { $0.outcome == .kindCap }.count == 10)
    }

    @Test("undo and redo: a withdrawn reaction is taken back, so reacting again pays once, never twice")
    func undoAndRedo() throws {
        var log = Log()
        for _ in 0..<3 {
            let reaction = log.add(.reacted, by: "bo", owner: "amina", on: monday)
            log.add(.reactionWithdrawn, by: "bo", owner: "amina", on: monday, reverses: reaction.id)
        }
        log.add(.reacted, by: "bo", owner: "amina", on: monday)
        let ledger = try log.ledger()
        #expect(ledger.balance(of: "amina") == 2)
        #expect(ledger.lines(of: "amina").filter { $0.outcome == .reversal }.count == 3)
        // A second reversal of the same entry takes nothing more.
        var twice = log
        let reaction = twice.entries[0].event
        twice.add(.reactionWithdrawn, by: "bo", owner: "amina", on: monday, reverses: reaction.id)
        #expect(try twice.ledger().balance(of: "amina") == 2)
    }

    @Test("week and month totals start again in the stated time zone")
    func periodTotals() throws {
        var log = Log()
        log.add(.answered, by: "amina", on: try LocalDate(year: 2026, month: 3, day: 29), hour: 12)  // a Sunday
        log.add(.answered, by: "amina", on: try LocalDate(year: 2026, month: 3, day: 31), hour: 12)  // Tuesday
        let ledger = try log.ledger()
        let tuesday = Date(
            timeIntervalSince1970: Double(try LocalDate(year: 2026, month: 3, day: 31).dayNumber) * 86_400)
        #expect(ledger.weekPoints(of: "amina", at: tuesday) == 10)
        #expect(ledger.monthPoints(of: "amina", at: tuesday) == 20)
        #expect(ledger.monthPoints(of: "amina", at: tuesday.addingTimeInterval(2 * 86_400)) == 0)
        #expect(ledger.balance(of: "amina") == 20)
    }

    @Test("replaying in pages, restoring a checkpoint and replaying everything agree")
    func replayEqualsIncremental() throws {
        var log = Log()
        let members = (0..<12).map { MemberID("m\($0)") }
        var generator = SeededGenerator(seed: 9)
        var reactions: [ActivityEvent] = []
        for step in 0..<3_000 {
            let member = members[Int(generator.next() % 12)]
            let owner = members[Int(generator.next() % 12)]
            let day = monday.adding(days: step / 200)
            switch generator.next() % 5 {
            case 0: log.add(.answered, by: member, on: day)
            case 1: reactions.append(log.add(.reacted, by: member, owner: owner, on: day))
            case 2: log.add(.gaveFeedback, by: member, owner: owner, on: day)
            case 3:
                if let reaction = reactions.popLast() {
                    log.add(
                        .reactionWithdrawn, by: reaction.member, owner: reaction.subjectOwner, on: day,
                        reverses: reaction.id)
                }
            default: log.add(.attendedEvent, by: member, on: day)
            }
        }
        let whole = try log.ledger()
        var halfway = try PointsLedger()
        for entry in log.entries.prefix(1_500) { halfway.apply(entry) }
        var writer = BinaryWriter()
        halfway.encodeState(into: &writer)
        var restored = try PointsLedger()
        var reader = BinaryReader(Data(writer.bytes), collection: "test", id: "points")
        try restored.restoreState(from: &reader, position: halfway.position)
        #expect(restored == halfway)
        for entry in log.entries { restored.apply(entry) }
        #expect(restored == whole)
        for member in members {
            #expect(whole.lines(of: member).map(\.points).reduce(0, +) == whole.balance(of: member))
        }
    }

    @Test("a points policy that pays for a derived kind (a badge earned, a reward reached) is refused")
    func derivedKindsPayNothing() {
        for kind in [ActivityKind.badgeAwarded, .rewardEarned] {
            var rules = PointsPolicy.default.rules
            rules[kind] = PointsRule(performer: 10)
            let policy = PointsPolicy(version: 3, rules: rules, dailyCap: 200, pairCap: 20)
            #expect(throws: CommunityError.self) { try PointsLedger(policy: policy) }
        }
    }
}
