public import CommunityModel
public import Foundation
import Storage

/// A staff adjustment of a member's points, with its reason (kept in a record: the log holds
/// only the amount).
public struct PointsAdjustment: Hashable, Sendable, Codable {
    public var id: String
    public var member: MemberID
    public var points: Int
    public var reason: String
    public var by: MemberID
    public var at: Date
}

/// A member's points: the balance, the level, and every line that explains it.
public struct PointsStatement: Hashable, Sendable {
    public var member: MemberID
    public var balance: Int
    public var level: LevelProgress
    /// Oldest first; their points add up to `balance`.
    public var lines: [LedgerLine]
    /// The reasons staff gave for adjustments, by the adjustment's log position.
    public var adjustmentReasons: [UInt64: String]
}

/// Points, levels, leaderboards, homework check-ins and rewards for one community.
///
/// The ``PointsLedger`` is hosted by a `ProjectionHost` (pass the one the process's other
/// services use, so the log is read once for all of them): the host folds the log into it and
/// saves its checkpoint. Before every read the service catches up and takes the ledger as of
/// the host's last commit, then rebuilds the ``Leaderboards`` aside and swaps both in at once:
/// a reader never sees an empty ledger or a board half rebuilt. Commands write through
/// `CommunityService.perform(by:idempotencyKey:command:replay:_:)`: records and activity entries together.
public actor GamificationService {
    public nonisolated let community: CommunityService
    public nonisolated let levels: LevelPolicy
    public nonisolated let rewardTiers: [RewardTier]
    public nonisolated let streakPolicy: StreakPolicy
    /// Programmes whose streaks follow another policy (weekly homework).
    public nonisolated let programmeStreakPolicies: [ProgrammeID: StreakPolicy]
    /// The host that folds the log into the ledger.
    public nonisolated let host: ProjectionHost
    /// The ledger as registered: its name, policy and time zone.
    private let prototype: PointsLedger
    /// Members' country, consents and chapters, folded from the log: what decides on which
    /// boards a member appears, the same in every process.
    private let factsPrototype = MemberFactsProjection()
    /// The reward tiers' projection: grants are effects of folding the ledger.
    private let rewardsPrototype: RewardProjection
    /// The ledger as of the last refresh: a whole state.
    private var ledger: PointsLedger
    private var boards = Leaderboards()
    private var boardPeriods: (week: Int32, month: Int32)?
    private let refreshing = SingleFlight<ProjectionHost.Report>()

    static let checkIns = RecordCollection<CheckIn>("check-ins") {
        ["member-programme": CompositeKey.make($0.member, $0.programme)]
    }
    static let makeUps = RecordCollection<Int>("check-in-make-ups")
    static let grants = RecordCollection<RewardGrant>("reward-grants") { ["member": $0.member.rawValue] }
    static let adjustments = RecordCollection<PointsAdjustment>("points-adjustments") {
        ["member": $0.member.rawValue]
    }

    /// - Parameters:
    ///   - community: the community service whose store and clock the service shares.
    ///   - points: the points rules.
    ///   - levels: the levels and their thresholds.
    ///   - rewardTiers: the rewards members earn on reaching a number of points.
    ///   - streakPolicy: how homework check-ins make a streak (daily by default).
    ///   - programmeStreakPolicies: programmes whose streaks follow another policy (weekly homework).
    ///   - leaderboardTimeZone: where weeks (Monday to Sunday) and months begin for the boards.
    ///   - host: the projection host shared by the process's services on this store; a host of
    ///     its own when nil.
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a policy out of
    ///   range, or reward tiers with a repeated id or a negative threshold (or more than
    ///   ``RewardProjection/maximumTiers``).
    public init(
        community: CommunityService, points: PointsPolicy = .default, levels: LevelPolicy = .default,
        rewardTiers: [RewardTier] = RewardTier.defaults, streakPolicy: StreakPolicy = .daily,
        programmeStreakPolicies: [ProgrammeID: StreakPolicy] = [:], leaderboardTimeZone: TimeZoneID = .utc,
        host: ProjectionHost? = nil
    ) throws(CommunityError) {
        self.community = community
        self.levels = levels
        self.rewardTiers = rewardTiers.sorted { ($0.threshold, $0.id) < ($1.threshold, $1.id) }
        self.streakPolicy = streakPolicy
        self.programmeStreakPolicies = programmeStreakPolicies
        prototype = try PointsLedger(policy: points, periodTimeZone: leaderboardTimeZone)
        rewardsPrototype = try RewardProjection(tiers: rewardTiers, ledgerName: prototype.checkpointName)
        ledger = prototype
        if let host { self.host = host } else { self.host = try ProjectionHost(store: community.store) }
    }

    // MARK: Points and levels

    /// Brings the ledger and the boards up to date with the log. Concurrent callers share one
    /// refresh.
    @discardableResult
    public func refresh() async throws(CommunityError) -> ProjectionHost.Report {
        try await refreshing.run { try await self.catchUp() }
    }

    /// The checkpoint name of the points ledger on the host: what badges with point criteria
    /// read (see `RecognitionService.init(community:badges:gamification:)`).
    public nonisolated var pointsLedgerName: String { prototype.checkpointName }

    /// The school's points policy.
    public nonisolated var pointsPolicy: PointsPolicy { prototype.policy }

    /// Registers the points ledger on the host, if it is not yet: done before the first
    /// refresh, and by the services that read the ledger (badges) before they register.
    public func registerLedger() async throws(CommunityError) {
        try await host.register(factsPrototype)
        try await host.register(prototype)
        try await host.register(rewardsPrototype)
    }

    private func catchUp() async throws -> ProjectionHost.Report {
        try await registerLedger()
        let report = try await host.catchUp()
        // The members whose points, or whose facts, changed since the last refresh, drained from
        // the host's projections.
        let touched = try await host.modify(PointsLedger.self, named: prototype.checkpointName) {
            $0.takeTouched()
        }.result
        let changedFacts = try await host.modify(MemberFactsProjection.self, named: factsPrototype.checkpointName) {
            $0.takeTouched()
        }.result
        let latest = await host.state(of: PointsLedger.self, named: prototype.checkpointName) ?? prototype
        let known =
            await host.state(of: MemberFactsProjection.self, named: factsPrototype.checkpointName) ?? factsPrototype
        func fromLog(_ member: MemberID) -> LeaderboardFacts? {
            known.facts(of: member).map {
                LeaderboardFacts(
                    country: $0.country, chapters: $0.chapters, isPublic: $0.consents.contains(.publicLeaderboards))
            }
        }
        let now = community.clock.now()
        let day = latest.localDay(of: Timestamp(now))
        let periods = (PointsLedger.weekKey(day), PointsLedger.monthKey(day))
        // The boards are rebuilt aside and swapped in with the ledger, after the last suspension.
        var rebuilt = boards
        var members = touched
        if boardPeriods.map({ $0 != periods }) ?? true {
            // A new week or month (or the first build): every member's period totals change.
            rebuilt = Leaderboards()
            members = latest.standings(at: now).map(\.member)
            for (member, facts) in try await allFacts() { rebuilt.update(member, facts: fromLog(member) ?? facts) }
        }
        // Facts the log changed (a withdrawn consent, a chapter joined or left), in every process.
        for member in changedFacts {
            if let facts = fromLog(member) { rebuilt.update(member, facts: facts) }
        }
        for member in members where !rebuilt.hasFacts(of: member) {
            if let logged = fromLog(member) {
                rebuilt.update(member, facts: logged)
            } else {
                rebuilt.update(member, facts: try await self.facts(of: member))
            }
        }
        for member in members {
            rebuilt.update(
                member,
                points: (
                    latest.weekPoints(of: member, at: now), latest.monthPoints(of: member, at: now),
                    latest.balance(of: member)
                ))
        }
        ledger = latest
        boards = rebuilt
        boardPeriods = periods
        return report
    }

    /// Reloads a member's country, chapters and consent from their records.
    ///
    /// The boards learn these facts from the log (`joinedCommunity` and `profileUpdated` carry
    /// country and consents, `joinedChapter` and `leftChapter` the chapters), in every process,
    /// at its next refresh: no call is needed. This remains for members whose facts a log begun
    /// by an earlier version does not hold, until `CommunityService.recordMemberFacts(by:after:limit:)`
    /// has written them.
    public func memberChanged(_ member: MemberID) async throws(CommunityError) {
        try await refresh()
        boards.update(member, facts: try await facts(of: member))
    }

    /// Every member's facts, read a page at a time (members, then each chapter's roster):
    /// a full rebuild of the boards costs a few thousand reads, not two per member.
    private func allFacts() async throws(CommunityError) -> [MemberID: LeaderboardFacts] {
        var facts: [MemberID: LeaderboardFacts] = [:]
        var cursor: String?
        repeat {
            let page = try await community.memberRecords(after: cursor, limit: Self.factsPageSize)
            for member in page.items {
                facts[member.id] = LeaderboardFacts(
                    country: member.profile.country, chapters: [], isPublic: member.consents(to: .publicLeaderboards))
            }
            cursor = page.nextCursor
        } while cursor != nil
        for chapter in try await community.chapters() {
            var cursor: String?
            repeat {
                let page = try await community.chapterMemberships(
                    of: chapter.id, after: cursor, limit: Self.factsPageSize)
                for membership in page.items { facts[membership.member]?.chapters.insert(chapter.id) }
                cursor = page.nextCursor
            } while cursor != nil
        }
        return facts
    }

    private static let factsPageSize = 1_000

    private func facts(of member: MemberID) async throws(CommunityError) -> LeaderboardFacts {
        let record: Member
        do {
            record = try await community.member(member)
        } catch {
            // A former member (erased) is never shown.
            if case .notFound = error { return LeaderboardFacts(country: nil, chapters: [], isPublic: false) }
            throw error
        }
        let chapters = try await community.membershipRecords(of: member).map(\.chapter)
        return LeaderboardFacts(
            country: record.profile.country, chapters: Set(chapters), isPublic: record.consents(to: .publicLeaderboards)
        )
    }

    /// A member's balance, level and the ledger lines that explain it (who gave what, staff's
    /// reasons for adjustments): for the member themself and for staff and community managers.
    ///
    /// - Throws: `CommunityError.notPermitted(member:action:rule:reason:)` for any other reader.
    public func points(of member: MemberID, by readerID: MemberID) async throws(CommunityError) -> PointsStatement {
        _ = try await community.member(member)
        try await community.authorize(
            .partiesOrStaff([member]), by: readerID, to: "read the points statement of \(member)")
        try await refresh()
        let lines = ledger.lines(of: member)
        var reasons: [UInt64: String] = [:]
        if lines.contains(where: { $0.outcome == .adjustment }) {
            let adjustments = try await withCommunityErrors {
                try await community.store.fetchAll(
                    Self.adjustments, where: IndexQuery("member", equals: member.rawValue))
            }
            let byTime = Dictionary(adjustments.map { (Timestamp($0.value.at), $0.value.reason) }) { first, _ in first }
            for line in lines where line.outcome == .adjustment { reasons[line.position] = byTime[line.time] }
        }
        let balance = ledger.balance(of: member)
        return PointsStatement(
            member: member, balance: balance, level: levels.progress(for: balance), lines: lines,
            adjustmentReasons: reasons)
    }

    /// Adds (or, negative, takes away) points by hand. Staff only; the reason is required.
    ///
    /// - Parameters:
    ///   - member: who gets or loses the points.
    ///   - points: how many; negative takes away.
    ///   - reason: why, for the member's statement.
    ///   - staff: who acts: staff or a community manager.
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    /// - Throws: `CommunityError.notPermitted(member:action:rule:reason:)` for
    ///   non-staff, `CommunityError.invalidInput(field:reason:)` for 0 points, more
    ///   than 100,000, or an empty reason.
    @discardableResult
    public func adjustPoints(
        of member: MemberID, points: Int, reason: String, by staff: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> PointsAdjustment
    {
        // Compared without abs(_:), which traps on Int.min.
        guard points != 0, points >= -Limits.pointsPerAdjustment, points <= Limits.pointsPerAdjustment else {
            throw .invalidInput(
                field: "points",
                reason:
                    "must be −\(Limits.pointsPerAdjustment)…\(Limits.pointsPerAdjustment) (Limits.pointsPerAdjustment) and not 0, not \(points)"
            )
        }
        let trimmed = try Validate.reason(reason)
        return try await community.perform(
            by: staff, idempotencyKey: idempotencyKey,
            replay: .record(Self.adjustments, kind: "points adjustment", id: { $0.id })
        ) { tx in
            let staffMember = try await tx.member(staff)
            try await tx.requireStaff(staffMember.value, to: "adjust points")
            let receiver = try await tx.member(member)
            let event = try tx.log(
                .pointsAdjusted, member: receiver.value,
                .init(actor: staff, subject: .member(member), details: ActivityDetails(points: points)))
            let adjustment = PointsAdjustment(
                id: event.id.description, member: member, points: points, reason: trimmed, by: staff, at: tx.now)
            try tx.create(adjustment, id: adjustment.id, in: Self.adjustments)
            return adjustment
        }
    }

    // MARK: Leaderboards

    /// The first `limit` public members of a board.
    public func leaderboard(_ scope: LeaderboardScope, _ period: LeaderboardPeriod, limit: Int = 10)
        async throws(CommunityError) -> [LeaderboardRow]
    {
        guard (1...1_000).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1…1,000, not \(limit)")
        }
        try await refresh()
        return boards.top(limit, of: scope, for: period)
    }

    /// A member's rank on a board; for a hidden member, the rank they would have. A public
    /// member's rank is anyone's to read; a hidden member's (one who did not consent to public
    /// leaderboards) is theirs and staff's.
    ///
    /// - Throws: `CommunityError.notPermitted(member:action:rule:reason:)` when another reader asks
    ///   for a hidden member's rank.
    public func rank(
        of member: MemberID, on scope: LeaderboardScope, _ period: LeaderboardPeriod, by readerID: MemberID
    ) async throws(CommunityError) -> MemberRank {
        let subject = try await community.member(member)
        try await community.authorize(
            subject.consents(to: .publicLeaderboards) ? .anyone : .partiesOrStaff([member]), by: readerID,
            to: "read the rank of \(member)")
        try await refresh()
        return boards.rank(of: member, on: scope, for: period)
    }

    // MARK: Homework check-ins

    /// The streak policy of a programme.
    public nonisolated func streakPolicy(of programme: ProgrammeID) -> StreakPolicy {
        programmeStreakPolicies[programme] ?? streakPolicy
    }

    /// Checks in homework for a programme's assignment, for today in the member's own time zone
    /// or, as a make-up, for a missed day (week) within the policy's window.
    ///
    /// - Throws:
    ///   - `CommunityError.invalidInput(field:reason:)` for a day in the member's
    ///     future, or further back than the make-up window, or an empty assignment;
    ///   - `CommunityError.alreadyExists(kind:id:)` for a second check-in for
    ///     the same day (week);
    ///   - `CommunityError.invalidState(_:)` when the member is not enrolled, or has no
    ///     make-ups left this month;
    ///   - `CommunityError.notPermitted(member:action:rule:reason:)` while they are suspended.
    ///
    /// - Parameters:
    ///   - programme: the programme whose homework it is.
    ///   - assignment: the assignment's title.
    ///   - day: the day (week) checked in; today when nil.
    ///   - submission: what the member hands in, if anything.
    ///   - memberID: who checks in: the member themself (a self-service command).
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    @discardableResult
    public func checkIn(
        programme: ProgrammeID, assignment: String, for day: LocalDate? = nil,
        submission: HomeworkSubmission? = nil, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> CheckIn {
        let assignment = try Validate.name(assignment, field: "assignment")
        var submission = submission
        if let given = submission {
            submission?.title = try Validate.name(given.title, field: "submission.title")
            if let text = given.text { try Validate.text(text, field: "submission.text", limit: Limits.freeText) }
            if let link = given.link { try Validate.url(link, field: "submission.link") }
        }
        let policy = streakPolicy(of: programme)
        return try await community.perform(
            by: memberID, idempotencyKey: idempotencyKey, command: "checkInHomework",
            replay: .record(
                Self.checkIns, kind: "check-in",
                id: { CompositeKey.make($0.member, $0.programme, policy.period(of: $0.day)) })
        ) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(.goodStanding, by: member.value, to: "check in homework for \(programme)")
            guard try await tx.find(CompositeKey.make(memberID, programme), in: Collections.enrolments) != nil else {
                throw CommunityError.invalidState(
                    "Member \(memberID) is not enrolled in programme \(programme); homework is checked in once enrolled."
                )
            }
            let today = LocalDate(tx.now, in: member.value.profile.timeZone)
            let day = day ?? today
            guard day.isValid else { throw CommunityError.invalidInput(field: "day", reason: "\(day) is not a date") }
            guard day <= today else {
                throw CommunityError.invalidInput(
                    field: "day",
                    reason:
                        "\(day) is in the future for this member (it is \(today) in \(member.value.profile.timeZone))")
            }
            let period = policy.period(of: day)
            let isMakeUp = period < policy.period(of: today)
            let id = CompositeKey.make(memberID, programme, period)
            if try await tx.find(id, in: Self.checkIns) != nil {
                throw CommunityError.alreadyExists(
                    kind: "check-in", id: "\(memberID) for \(programme) on \(period)")
            }
            if isMakeUp {
                guard today.dayNumber - day.dayNumber <= policy.makeUpWindowDays else {
                    throw CommunityError.invalidInput(
                        field: "day",
                        reason: "\(day) is more than \(policy.makeUpWindowDays) days back; make-ups reach only that far"
                    )
                }
                let month = String(today.description.prefix(7))
                let usageID = CompositeKey.make(memberID, programme, month)
                let used = try await tx.find(usageID, in: Self.makeUps)
                guard (used?.value ?? 0) < policy.makeUpsPerMonth else {
                    throw CommunityError.invalidState(
                        "Member \(memberID) used all \(policy.makeUpsPerMonth) make-ups of \(month) for \(programme).")
                }
                if var used {
                    used.value += 1
                    try tx.update(used, in: Self.makeUps)
                } else {
                    try tx.create(1, id: usageID, in: Self.makeUps)
                }
            }
            let checkIn = CheckIn(
                member: memberID, programme: programme, assignment: assignment, day: period, checkedInAt: tx.now,
                isMakeUp: isMakeUp, submission: submission)
            try tx.create(checkIn, id: id, in: Self.checkIns)
            try tx.log(
                .checkedIn, member: member.value,
                .init(subject: .programme(programme), programme: programme, details: ActivityDetails(day: period)))
            return checkIn
        }
    }

    /// A member's streak in a programme, as of today in their time zone: for the member
    /// themself and for staff and community managers.
    public func streak(of memberID: MemberID, in programme: ProgrammeID, by readerID: MemberID)
        async throws(CommunityError) -> Streak
    {
        let member = try await community.member(memberID)
        try await community.authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the streak of \(memberID)")
        let policy = streakPolicy(of: programme)
        let today = LocalDate(community.clock.now(), in: member.profile.timeZone)
        let month = String(today.description.prefix(7))
        return try await withCommunityErrors {
            let checkIns = try await community.store.fetchAll(
                Self.checkIns, where: IndexQuery("member-programme", equals: CompositeKey.make(memberID, programme)))
            let used = try await community.store.fetch(
                CompositeKey.make(memberID, programme, month), from: Self.makeUps)
            return Streak.compute(
                periods: checkIns.map(\.value.day), today: today, policy: policy, makeUpsUsed: used?.value ?? 0)
        }
    }

    // MARK: Rewards

    /// Rewards are granted by the projection host as points arrive (see ``RewardProjection``):
    /// each tier once per member, by the entry that first brings their all-time balance to its
    /// threshold, stored with the checkpoint of the state that granted it. This brings the host
    /// up to the head of the log and returns the member's grants that this catch-up stored (none
    /// when an earlier catch-up, in this process or another, stored them already): for the
    /// member themself and for staff and community managers.
    @discardableResult
    public func grantRewards(to memberID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> [RewardGrant]
    {
        try await community.authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the rewards of \(memberID)")
        let stored = Set(try await refresh().stored)
        return try await rewards(of: memberID, by: readerID).filter {
            stored.contains(Self.grants.key(RewardGrant.id(memberID, $0.tier.id)))
        }
    }

    /// A member's rewards, by threshold: for the member themself and for staff and community
    /// managers.
    public func rewards(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError) -> [RewardGrant] {
        _ = try await community.member(memberID)
        try await community.authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the rewards of \(memberID)")
        return try await withCommunityErrors {
            try await community.store.fetchAll(Self.grants, where: IndexQuery("member", equals: memberID.rawValue))
                .map(\.value).sorted { ($0.tier.threshold, $0.tier.id) < ($1.tier.threshold, $1.tier.id) }
        }
    }

    /// Moves a reward on in its fulfilment: staff offer, ship or decline it; the member claims
    /// or declines their own.
    ///
    /// - Throws: `CommunityError.invalidState(_:)` for a move the status does not
    ///   allow, `CommunityError.notPermitted(member:action:rule:reason:)` for the wrong
    ///   actor, `CommunityError.notFound(kind:id:)` for a reward not earned.
    @discardableResult
    public func moveReward(
        _ tier: RewardTierID, of memberID: MemberID, to status: RewardStatus, by actor: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> RewardGrant
    {
        try await community.perform(
            by: actor, idempotencyKey: idempotencyKey,
            replay: .record(Self.grants, kind: "reward grant", id: { _ in RewardGrant.id(memberID, tier) })
        ) { tx in
            let actorMember = try await tx.member(actor)
            let byMember = status == .claimed || (status == .declined && actor == memberID)
            try await tx.authorize(
                byMember ? .themself(memberID) : .staff, by: actorMember.value,
                to: "move the reward \(tier.rawValue) of \(memberID) to \(status.rawValue)")
            var grant = try await tx.load(RewardGrant.id(memberID, tier), in: Self.grants, kind: "reward")
            let from = grant.value.status
            guard from.next.contains(status) else {
                let allowed = from.next.map(\.rawValue).joined(separator: ", ")
                throw CommunityError.invalidState(
                    "The reward \(tier.rawValue.debugDescription) of \(memberID) is \(from.rawValue); it can move to "
                        + (allowed.isEmpty ? "nothing: that is final" : allowed) + ", not \(status.rawValue).")
            }
            grant.value.status = status
            grant.value.history.append(RewardMove(from: from, to: status, by: actor, at: tx.now))
            try tx.update(grant, in: Self.grants)
            try tx.log(
                .rewardMoved, member: try await tx.member(memberID).value, .init(actor: actor, subject: .reward(tier)))
            return grant.value
        }
    }
}
