public import CommunityModel
import Storage

/// An advocate's funnel.
public struct AdvocacyFunnel: Hashable, Sendable {
    public var advocate: MemberID
    public var shares: Int
    public var signUps: Int
    public var enrolments: Int
}

extension CommunityService {
    /// An advocate's funnel: shares, then sign-ups and enrolments attributed to them. For the
    /// advocate themself and for staff and community managers.
    public func advocacyFunnel(of advocateID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> AdvocacyFunnel
    {
        _ = try await member(advocateID)
        try await authorize(.partiesOrStaff([advocateID]), by: readerID, to: "read the advocacy of \(advocateID)")
        return try await funnel(of: advocateID)
    }

    /// An advocate's funnel, unchecked.
    func funnel(of advocateID: MemberID) async throws(CommunityError) -> AdvocacyFunnel {
        return try await query {
            let index = IndexQuery("advocate", equals: advocateID.rawValue)
            let shares = try await store.fetchAll(Collections.shares, where: index).count
            let attributions = try await store.fetchAll(Collections.attributions, where: index).map(\.value)
            return AdvocacyFunnel(
                advocate: advocateID, shares: shares, signUps: attributions.count(where: \.signedUp),
                enrolments: attributions.reduce(0) { $0 + $1.enrolments.count })
        }
    }

    /// Advocates ranked by sign-ups, then enrolments, then shares, then member id; members who
    /// chose not to appear on public boards (``Consent/publicLeaderboards``) are left out.
    public func advocacyRanking(limit: Int = 10) async throws(CommunityError) -> [AdvocacyFunnel] {
        try Validate.limit(limit)
        let advocates = try await query {
            Set(try await store.fetchAll(Collections.shares).map(\.value.advocate)).sorted()
        }
        var funnels: [AdvocacyFunnel] = []
        for advocate in advocates {
            let member: Member
            do { member = try await self.member(advocate) } catch {
                if case .notFound = error { continue }  // a former member
                throw error
            }
            guard member.consents(to: .publicLeaderboards) else { continue }
            funnels.append(try await funnel(of: advocate))
        }
        return Array(
            funnels.sorted {
                ($1.signUps, $1.enrolments, $1.shares, $0.advocate) < (
                    $0.signUps, $0.enrolments, $0.shares, $1.advocate
                )
            }.prefix(limit))
    }
}
