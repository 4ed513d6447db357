public import CommunityModel
import Storage

/// The leadership side of the community on one `ProjectionHost`: engagement and superusers,
/// the value report and the insights, each answered from a projection the host keeps up to
/// date and checkpoints, never by replaying the log.
///
/// Pass the host the process's other services use, so that each page of the log is read once
/// for all of them:
///
/// ```swift
/// let host = try ProjectionHost(store: store)
/// let game = try GamificationService(community: community, host: host)
/// let leadership = try LeadershipService(community: community, host: host)
/// let superusers = try await leadership.superusers(on: today)
/// ```
///
/// The host restores every projection from its checkpoint on first use, so a new process
/// answers its first query by reading only the entries after the checkpoints.
public actor LeadershipService {
    public nonisolated let community: CommunityService
    /// The host that folds the log into the projections.
    public nonisolated let host: ProjectionHost
    let engagementPrototype: EngagementProjection
    let valuePrototype: ValueProjection
    let insightsPrototype: InsightsProjection

    /// - Parameters:
    ///   - community: the community service whose store and clock it shares.
    ///   - host: the projection host shared by the process's services on this store; a host of
    ///     its own when nil.
    ///   - engagementPolicy: how engagement is scored and superusers found.
    ///   - insightsRetentionDays: how many days of activity the insights keep (see
    ///     ``InsightsProjection/retentionDays``).
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a policy or a retention out
    ///   of range.
    public init(
        community: CommunityService, host: ProjectionHost? = nil, engagementPolicy: EngagementPolicy = .default,
        insightsRetentionDays: Int = 400
    ) throws(CommunityError) {
        self.community = community
        if let host { self.host = host } else { self.host = try ProjectionHost(store: community.store) }
        engagementPrototype = try EngagementProjection(policy: engagementPolicy)
        valuePrototype = ValueProjection()
        insightsPrototype = try InsightsProjection(retentionDays: insightsRetentionDays)
    }

    /// The engagement policy in use.
    public nonisolated var engagementPolicy: EngagementPolicy { engagementPrototype.policy }

    /// Registers the projections (once) and brings the host up to the head of the log.
    @discardableResult
    public func refresh() async throws(CommunityError) -> ProjectionHost.Report {
        try await host.register(engagementPrototype)
        try await host.register(valuePrototype)
        try await host.register(insightsPrototype)
        return try await host.catchUp()
    }

    /// The engagement projection as of the head of the log when the call began: a whole state.
    /// For staff and community managers.
    public func engagement(by staffID: MemberID) async throws(CommunityError) -> EngagementProjection {
        try await community.authorize(.staff, by: staffID, to: "read engagement")
        try await refresh()
        return await host.state(of: EngagementProjection.self, named: engagementPrototype.checkpointName)
            ?? engagementPrototype
    }

    /// A member's engagement on `date`, with what made it up; nil for a member who has none.
    /// For staff and community managers.
    public func engagement(of member: MemberID, on date: LocalDate, by staffID: MemberID) async throws(CommunityError)
        -> MemberEngagement?
    {
        try await engagement(by: staffID).engagement(of: member, on: date)
    }

    /// The superusers on `date`: the top band of each joining-month cohort (see
    /// ``EngagementProjection/superusers(on:)``). For staff and community managers.
    public func superusers(on date: LocalDate, by staffID: MemberID) async throws(CommunityError) -> [Superuser] {
        try await engagement(by: staffID).superusers(on: date)
    }
}
