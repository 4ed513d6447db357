public import CommunityModel
public import Foundation
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
/// The ``BadgeProjection`` is kept in memory and brought up to date through a
/// `ProjectionRunner` (so a restart restores its checkpoint). Every award it
/// makes is stored as a record `badge|member|number` created only if absent, with a
/// `badgeAwarded` entry in the same batch: two services on one store (two processes) that
/// evaluate at once store and log each award exactly once. A revoked award stays revoked: the
/// record remains, so evaluating again never grants it anew.
public actor RecognitionService {
    public nonisolated let community: CommunityService
    public nonisolated let badges: [BadgeDefinition]
    private let runner: ProjectionRunner
    private var projection: BadgeProjection
    private let refreshing = SingleFlight<[BadgeAward]>()

    static let awards = RecordCollection<StoredAward>("badge-awards") {
        ["member": $0.award.member.rawValue, "badge": $0.award.badge.rawValue]
    }

    public init(community: CommunityService, badges: [BadgeDefinition]) throws(RecognitionError) {
        self.community = community
        self.badges = badges.sorted { $0.id < $1.id }
        projection = try BadgeProjection(badges: badges)
        do { runner = try ProjectionRunner(store: community.store) } catch {
            throw .invalidInput(field: "store", reason: "\(error)")
        }
    }

    /// Brings the badges up to date with the log (and with the clock, for time-based
    /// criteria), stores the new awards, and returns those stored now. Concurrent callers
    /// share one refresh.
    @discardableResult
    public func refresh() async throws(CommunityError) -> [BadgeAward] {
        try await refreshing.run { try await self.catchUp() }
    }

    private func catchUp() async throws -> [BadgeAward] {
        // The projection leaves the actor while the runner folds the log into it (actor state
        // cannot be passed `inout` across a suspension); `refresh` lets one catch-up run at a time.
        var working = projection
        do {
            _ = try await runner.catchUp(&working)
        } catch {
            projection = working
            throw error
        }
        working.evaluate(asOf: community.clock.now())
        let made = working.takeNewAwards()
        projection = working
        var stored: [BadgeAward] = []
        for award in made where try await store(award) { stored.append(award) }
        return stored
    }

    /// Stores an award unless it is stored already; true when this call stored it.
    private func store(_ award: BadgeAward) async throws -> Bool {
        try await community.perform { tx in
            if try await tx.find(award.id.rawValue, in: Self.awards) != nil { return false }
            let member = try await tx.member(award.member)
            try tx.create(StoredAward(award: award, revocation: nil), id: award.id.rawValue, in: Self.awards)
            try tx.log(.badgeAwarded, member: member.value, .init(subject: .badge(award.badge)))
            return true
        }
    }

    /// Reads the whole log in pages, in position order, and hands each activity to `body`: the
    /// monthly and weekly lists (excellent homework, benchmark members) are built this way.
    func forEachActivity(_ body: (LoggedActivity) throws -> Void) async throws(CommunityError) {
        try await withCommunityErrors {
            var after: UInt64 = 0
            while true {
                let page = try await community.store.entries(after: after, limit: 1_000)
                guard let last = page.last else { break }
                after = last.position
                for stored in page { try body(try LoggedActivity(stored)) }
            }
        }
    }

    /// A member's awards, oldest first, revoked ones included (marked).
    public func awards(of member: MemberID) async throws(CommunityError) -> [StoredAward] {
        _ = try await community.member(member)
        return try await withCommunityErrors {
            try await community.store.fetchAll(Self.awards, where: IndexQuery("member", equals: member.rawValue))
                .map(\.value).sorted { ($0.award.position, $0.award.id) < ($1.award.position, $1.award.id) }
        }
    }

    /// Every award of one badge, oldest first.
    public func awards(ofBadge badge: BadgeID) async throws(CommunityError) -> [StoredAward] {
        try await withCommunityErrors {
            try await community.store.fetchAll(Self.awards, where: IndexQuery("badge", equals: badge.rawValue))
                .map(\.value).sorted { ($0.award.position, $0.award.id) < ($1.award.position, $1.award.id) }
        }
    }

    /// Revokes an award (after fraud, say): staff only, with a reason. The award stays on
    /// record, marked revoked, and is never granted again; the member's activity records it.
    @discardableResult
    public func revoke(_ awardID: AwardID, reason: String, by staffID: MemberID) async throws(CommunityError)
        -> StoredAward
    {
        let reason = try Validate.reason(reason, maxLength: 500)
        return try await community.perform { tx in
            let staff = try await tx.member(staffID)
            try tx.requireStaff(staff.value, to: "revoke badges")
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
