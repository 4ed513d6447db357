import CommunityModel
import Foundation
import Storage

extension MemberDataModule {
    /// Gamification's collections: check-ins and their homework, make-ups, reward grants,
    /// points adjustments.
    public static let gamification = MemberDataModule(
        name: "Gamification",
        collections: [
            .records(
                GamificationService.checkIns, module: "Gamification",
                holds: "homework check-ins, with the homework submitted (title, text, link)",
                found: [
                    .index("member-programme") { store, member in
                        try await store.fetchAll(Collections.programmes).map { CompositeKey.make(member, $0.value.id) }
                    }
                ],
                erasure: .delete),
            .records(
                GamificationService.makeUps, module: "Gamification",
                holds: "make-up check-ins used, per programme and month",
                found: [.idPrefix], erasure: .delete),
            .records(
                GamificationService.grants, module: "Gamification",
                holds: "rewards earned and their fulfilment: kept with the opaque id only (history cleared, an "
                    + "open reward declined), so that projections folding the log again do not grant it anew",
                found: [.index("member")],
                erasure: .tombstone { grant, _ in
                    grant.history = []
                    if grant.status != .shipped { grant.status = .declined }
                }),
            .records(
                GamificationService.adjustments, module: "Gamification",
                holds: "points staff added or took, with the reason",
                found: [.index("member")], erasure: .delete),
        ])
}

extension GamificationService: MemberDataSection {
    /// `points`.
    public nonisolated var sectionName: String { "points" }

    /// The member's balance and level, every ledger line (who gave what, staff's reasons for
    /// adjustments) and their streak in each programme they are enrolled in.
    public func exportSection(of member: MemberID, by requester: MemberID) async throws(CommunityError)
        -> JSONValue
    {
        let statement = try await points(of: member, by: requester)
        let enrolments = try await withCommunityErrors {
            try await community.store.fetchAll(
                Collections.enrolments, where: IndexQuery("member", equals: member.rawValue))
        }
        var streaks: [String: PointsSection.StreakLine] = [:]
        for enrolment in enrolments {
            let streak = try await streak(of: member, in: enrolment.value.programme, by: requester)
            streaks[enrolment.value.programme.rawValue] = .init(
                unit: streak.unit, current: streak.current, longest: streak.longest)
        }
        let section = PointsSection(
            balance: statement.balance, level: statement.level.number,
            lines: statement.lines.map { line in
                .init(
                    position: line.position, kind: line.kind, time: line.time.date, points: line.points,
                    outcome: line.outcome, reason: statement.adjustmentReasons[line.position] ?? line.reason)
            }, streaks: streaks)
        do { return try JSONValue.encoding(section) } catch {
            throw .invalidState("the points statement of \(member) could not be written as JSON: \(error)")
        }
    }

    /// The `points` section of a member's export.
    struct PointsSection: Codable {
        struct Line: Codable {
            var position: UInt64
            var kind: ActivityKind
            var time: Date
            var points: Int
            var outcome: LedgerOutcome
            var reason: String
        }

        struct StreakLine: Codable {
            var unit: StreakUnit
            var current: Int
            var longest: Int
        }

        var balance: Int
        var level: Int
        var lines: [Line]
        var streaks: [String: StreakLine]
    }
}
