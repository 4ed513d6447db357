public import CommunityModel
public import Foundation
public import Gamification
import Storage

/// A badge award as stored: the award, and its revocation if any.
public struct StoredAward: Hashable, Sendable, Codable {
    public var award: BadgeAward
    public var revocation: Revocation?

    /// Why and when an award was withdrawn, and by whom.
    public struct Revocation: Hashable, Sendable, Codable {
        public var reason: String
        public var by: MemberID
        public var at: Date
    }

    public var isRevoked: Bool { revocation != nil }
}

/// Badges for one community: evaluates them from the log, stores each award once, and
/// revokes awards on request.
///
/// The ``BadgeProjection`` is hosted by a `ProjectionHost`: the host folds the log into it and
/// commits its checkpoint **together with the awards it made** (each a record
/// `badge|member|number`, created only if absent, and a `badgeAwarded` entry whose id is
/// derived from the award), so an award is never lost between a saved checkpoint and its
/// record, nor stored twice by two processes. Pass the host the other services use, so the log
/// is read once for all of them. A revoked award stays revoked: the record remains, so
/// evaluating again never grants it anew.
public actor RecognitionService {
    public nonisolated let community: CommunityService
    public nonisolated let badges: [BadgeDefinition]
    /// The host that folds the log into the badges.
    public nonisolated let host: ProjectionHost
    /// The gamification service whose points ledger the point criteria read, if any.
    public nonisolated let gamification: GamificationService?
    private let prototype: BadgeProjection
    /// What the excellent homework list and the benchmark members are chosen from; registered
    /// on the host when first asked for.
    private let homeworkPrototype: HomeworkProjection

    static let awards = RecordCollection<StoredAward>("badge-awards") {
        ["member": $0.award.member.rawValue, "badge": $0.award.badge.rawValue]
    }

    /// - Parameters:
    ///   - community: the community service whose store and clock it shares.
    ///   - badges: the badge definitions.
    ///   - host: the projection host shared by the process's services on this store; a host of
    ///     its own when nil.
    public init(community: CommunityService, badges: [BadgeDefinition], host: ProjectionHost? = nil)
        throws(RecognitionError)
    {
        self.community = community
        self.badges = badges.sorted { $0.id < $1.id }
        gamification = nil
        prototype = try BadgeProjection(badges: badges)
        homeworkPrototype = try Self.homeworkProjection()
        do { self.host = try host ?? ProjectionHost(store: community.store) } catch {
            throw .invalidInput(field: "store", reason: "\(error)")
        }
    }

    /// Badges on the gamification service's host, whose point criteria read its points ledger:
    /// the same points the leaderboards show, under the school's policy and time zone.
    public init(community: CommunityService, badges: [BadgeDefinition], gamification: GamificationService)
        throws(RecognitionError)
    {
        self.community = community
        self.badges = badges.sorted { $0.id < $1.id }
        self.gamification = gamification
        prototype = try BadgeProjection(
            badges: badges, pointsPolicy: gamification.pointsPolicy, sharedLedger: gamification.pointsLedgerName)
        homeworkPrototype = try Self.homeworkProjection()
        host = gamification.host
    }

    /// Brings the badges up to date with the log (and with the clock, for time-based
    /// criteria), stores the new awards with the state that made them, and returns those
    /// stored now, oldest first.
    @discardableResult
    public func refresh() async throws(CommunityError) -> [BadgeAward] {
        try await registered()
        let caughtUp = try await host.catchUp()
        let now = community.clock.now()
        var points: PointsLedger?
        if let name = prototype.sharedLedgerName { points = await host.state(of: PointsLedger.self, named: name) }
        let timed: [RecordKey]
        do {
            timed = try await host.modify(BadgeProjection.self, named: prototype.checkpointName) {
                _ = $0.evaluate(asOf: now, points: points)
            }.stored
        } catch let error as CommunityError {
            throw error
        } catch {
            throw .storage(.backendFailure("\(error)"))
        }
        var stored: [BadgeAward] = []
        for key in caughtUp.stored + timed where key.collection == Self.awards.name {
            if let award = try await withCommunityErrors({ try await community.store.fetch(key.id, from: Self.awards) })
            {
                stored.append(award.value.award)
            }
        }
        return stored.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    /// Registers the ledger the badges read (first) and the badges on the host.
    private func registered() async throws(CommunityError) {
        if let gamification { try await gamification.registerLedger() }
        try await host.register(prototype)
    }

    /// The badge projection as of the host's last commit.
    func projection() async throws(CommunityError) -> BadgeProjection {
        try await registered()
        return await host.state(of: BadgeProjection.self, named: prototype.checkpointName) ?? prototype
    }

    private static func homeworkProjection() throws(RecognitionError) -> HomeworkProjection {
        do { return try HomeworkProjection() } catch { throw .invalidInput(field: "homework", reason: "\(error)") }
    }

    /// The homework projection brought up to the head of the log (registered on first use).
    func homework() async throws(CommunityError) -> HomeworkProjection {
        try await host.register(homeworkPrototype)
        try await host.catchUp()
        return await host.state(of: HomeworkProjection.self, named: homeworkPrototype.checkpointName)
            ?? homeworkPrototype
    }

    /// A member's awards, oldest first, revoked ones included (marked): for anyone when the
    /// member agreed to be featured (`Consent.spotlight`), otherwise for the member themself
    /// and for staff and community managers.
    public func awards(of member: MemberID, by readerID: MemberID) async throws(CommunityError) -> [StoredAward] {
        let holder = try await community.member(member)
        try await community.authorize(
            holder.consents(to: .spotlight) ? .anyone : .partiesOrStaff([member]), by: readerID,
            to: "read the awards of \(member)")
        return try await awardRecords(of: member)
    }

    /// A member's awards, unchecked: for the module's own views, which apply consent.
    func awardRecords(of member: MemberID) async throws(CommunityError) -> [StoredAward] {
        try await withCommunityErrors {
            try await community.store.fetchAll(Self.awards, where: IndexQuery("member", equals: member.rawValue))
                .map(\.value).sorted { ($0.award.position, $0.award.id) < ($1.award.position, $1.award.id) }
        }
    }

    /// Every award of one badge, oldest first: for staff and community managers (it lists holders
    /// whatever they consented to show).
    public func awards(ofBadge badge: BadgeID, by staffID: MemberID) async throws(CommunityError) -> [StoredAward] {
        try await community.authorize(.staff, by: staffID, to: "list the holders of badge \(badge)")
        return try await withCommunityErrors {
            try await community.store.fetchAll(Self.awards, where: IndexQuery("badge", equals: badge.rawValue))
                .map(\.value).sorted { ($0.award.position, $0.award.id) < ($1.award.position, $1.award.id) }
        }
    }

    /// Revokes an award (after fraud, say): staff only, with a reason. The award stays on
    /// record, marked revoked, and is never granted again; the member's activity records it.
    @discardableResult
    public func revoke(_ awardID: AwardID, reason: String, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> StoredAward
    {
        let reason = try Validate.reason(reason)
        return try await community.perform(
            by: staffID, idempotencyKey: idempotencyKey,
            replay: .record(Self.awards, kind: "badge award", id: { _ in awardID.rawValue })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "revoke badges")
            var stored = try await tx.load(awardID.rawValue, in: Self.awards, kind: "badge award")
            guard stored.value.revocation == nil else {
                throw CommunityError.invalidState("The award \(awardID) is already revoked.")
            }
            stored.value.revocation = StoredAward.Revocation(reason: reason, by: staffID, at: tx.now)
            try tx.update(stored, in: Self.awards)
            let member = try await tx.member(stored.value.award.member)
            try tx.log(
                .badgeRevoked, member: member.value, .init(actor: staffID, subject: .badge(stored.value.award.badge)))
            return stored.value
        }
    }
}
