public import CommunityModel
public import Foundation
import Storage

/// How spotlight picks are chosen for a month.
public struct SpotlightPolicy: Hashable, Sendable, Codable {
    /// How many members to feature.
    public var picks: Int
    /// Achievements (badge awards) count when they fall in this many days before the month.
    public var recentDays: Int
    /// A member featured in the last this many months is not featured again.
    public var cooldownMonths: Int

    public init(picks: Int = 3, recentDays: Int = 60, cooldownMonths: Int = 6) {
        self.picks = picks
        self.recentDays = recentDays
        self.cooldownMonths = cooldownMonths
    }

    private enum CodingKeys: String, CodingKey { case picks, recentDays, cooldownMonths }

    /// Decodes a policy and checks it as the service does before using it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            picks: try container.decode(Int.self, forKey: .picks),
            recentDays: try container.decode(Int.self, forKey: .recentDays),
            cooldownMonths: try container.decode(Int.self, forKey: .cooldownMonths))
        do { try validate() } catch {
            throw DecodingError.dataCorruptedError(forKey: .picks, in: container, debugDescription: error.description)
        }
    }

    func validate() throws(RecognitionError) {
        guard (1...50).contains(picks) else {
            throw .invalidInput(field: "picks", reason: "must be 1 to 50, not \(picks)")
        }
        guard (1...366).contains(recentDays) else {
            throw .invalidInput(field: "recentDays", reason: "must be 1 to 366, not \(recentDays)")
        }
        guard (0...60).contains(cooldownMonths) else {
            throw .invalidInput(field: "cooldownMonths", reason: "must be 0 to 60, not \(cooldownMonths)")
        }
    }
}

/// Someone who could be featured, with what the choice weighs.
public struct SpotlightCandidate: Hashable, Sendable {
    public var member: MemberID
    public var country: CountryCode
    public var chapters: [ChapterID]
    /// Recent achievements: what (a badge's name) and when.
    public var achievements: [(what: String, at: Date)]
    /// Whether the member agreed to be featured (`Consent.spotlight`).
    public var consented: Bool
    /// The first day of the last month they were featured, if ever.
    public var lastFeatured: LocalDate?

    public init(
        member: MemberID, country: CountryCode, chapters: [ChapterID], achievements: [(what: String, at: Date)],
        consented: Bool, lastFeatured: LocalDate?
    ) {
        self.member = member
        self.country = country
        self.chapters = chapters
        self.achievements = achievements
        self.consented = consented
        self.lastFeatured = lastFeatured
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.member == rhs.member && lhs.country == rhs.country && lhs.chapters == rhs.chapters
            && lhs.achievements.map(\.what) == rhs.achievements.map(\.what)
            && lhs.achievements.map(\.at) == rhs.achievements.map(\.at) && lhs.consented == rhs.consented
            && lhs.lastFeatured == rhs.lastFeatured
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(member) }
}

/// A member chosen for the month's spotlight, and why.
public struct SpotlightPick: Hashable, Sendable, Codable {
    public var member: MemberID
    public var month: LocalDate
    /// The recent achievements the choice rests on, oldest first.
    public var achievements: [String]
    /// A plain sentence: the achievements, and what the pick adds to the month's variety.
    public var reason: String
}

/// Chooses spotlight picks: only members who consented and were not featured within the
/// cooldown, with at least one achievement in the recent window; the most achievements first,
/// preferring at each step someone from a country and a chapter not yet featured this month;
/// ties by member id.
public enum SpotlightSelection {
    public static func choose(_ candidates: [SpotlightCandidate], month: LocalDate, policy: SpotlightPolicy)
        throws(RecognitionError) -> [SpotlightPick]
    {
        try policy.validate()
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        // The month begins at midnight UTC on its first day.
        let monthStart = Date(timeIntervalSince1970: Double(first.dayNumber) * 86_400)
        let windowStart = monthStart.addingTimeInterval(-Double(policy.recentDays) * 86_400)
        let cooldownStart = first.addingMonths(-policy.cooldownMonths)
        var pool: [(candidate: SpotlightCandidate, recent: [(what: String, at: Date)])] = []
        for candidate in candidates.sorted(by: { $0.member < $1.member }) where candidate.consented {
            if let last = candidate.lastFeatured, policy.cooldownMonths > 0, last >= cooldownStart { continue }
            let recent = candidate.achievements.filter { $0.at >= windowStart && $0.at < monthStart }
                .sorted { ($0.at, $0.what) < ($1.at, $1.what) }
            if !recent.isEmpty { pool.append((candidate, recent)) }
        }
        var picks: [SpotlightPick] = []
        var countries: Set<CountryCode> = []
        var chapters: Set<ChapterID> = []
        while picks.count < policy.picks, !pool.isEmpty {
            func variety(_ candidate: SpotlightCandidate) -> Int {
                (countries.contains(candidate.country) ? 0 : 2)
                    + (candidate.chapters.contains { !chapters.contains($0) } || candidate.chapters.isEmpty ? 1 : 0)
            }
            let best = pool.indices.max { a, b in
                let (x, y) = (pool[a], pool[b])
                if variety(x.candidate) != variety(y.candidate) { return variety(x.candidate) < variety(y.candidate) }
                if x.recent.count != y.recent.count { return x.recent.count < y.recent.count }
                return x.candidate.member > y.candidate.member
            }!
            let (candidate, recent) = pool.remove(at: best)
            var adds: [String] = []
            if !countries.contains(candidate.country) { adds.append("the first pick from \(candidate.country)") }
            let newChapters = candidate.chapters.filter { !chapters.contains($0) }
            if let chapter = newChapters.first { adds.append("the first from chapter \(chapter)") }
            let count = recent.count == 1 ? "1 recent achievement" : "\(recent.count) recent achievements"
            let reason =
                "\(count) (\(recent.map(\.what).joined(separator: ", ")))"
                + (adds.isEmpty ? "" : "; " + adds.joined(separator: ", "))
            picks.append(
                SpotlightPick(member: candidate.member, month: first, achievements: recent.map(\.what), reason: reason))
            countries.insert(candidate.country)
            chapters.formUnion(candidate.chapters)
        }
        return picks
    }
}

extension LocalDate {
    /// The same day `months` months later (earlier when negative), on the first of the month.
    func addingMonths(_ months: Int) -> LocalDate {
        let (target, overflow) = month.addingReportingOverflow(months)
        return .firstOfMonth(year: year, month: overflow ? (months > 0 ? Int.max / 24 : Int.min / 24) : target)
    }
}

extension RecognitionService {
    static let spotlights = RecordCollection<SpotlightPick>("spotlight-picks") { ["member": $0.member.rawValue] }

    /// The spotlight picks for the month that contains `month`, by `policy`, from the badges
    /// awarded (and not revoked) in the recent window, the members' consent, countries and
    /// chapters, and who was featured before. Nothing is stored: see ``feature(_:by:idempotencyKey:)``.
    ///
    /// For staff and community managers (`staffID`), who choose what to feature.
    public func spotlightPicks(
        for month: LocalDate, policy: SpotlightPolicy = SpotlightPolicy(), by staffID: MemberID
    ) async throws(CommunityError) -> [SpotlightPick] {
        try await community.authorize(.staff, by: staffID, to: "read the spotlight picks")
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        let names = Dictionary(uniqueKeysWithValues: badges.map { ($0.id, $0.name) })
        let (awards, featured) = try await withCommunityErrors {
            let awards = try await community.store.fetchAll(Self.awards).map(\.value).filter { !$0.isRevoked }
            let featured = try await community.store.fetchAll(Self.spotlights).map(\.value)
            return (awards, featured)
        }
        let lastFeatured = Dictionary(featured.map { ($0.member, $0.month) }, uniquingKeysWith: max)
        var candidates: [SpotlightCandidate] = []
        for (memberID, held) in Dictionary(grouping: awards, by: \.award.member).sorted(by: { $0.key < $1.key }) {
            let member: Member
            do { member = try await community.member(memberID) } catch {
                if case .notFound = error { continue }  // a former member
                throw error
            }
            let chapters = try await community.membershipRecords(of: memberID).map(\.chapter).sorted()
            candidates.append(
                SpotlightCandidate(
                    member: memberID, country: member.profile.country, chapters: chapters,
                    achievements: held.map { (names[$0.award.badge] ?? $0.award.badge.rawValue, $0.award.awardedAt) },
                    consented: member.consents(to: .spotlight), lastFeatured: lastFeatured[memberID]))
        }
        do { return try SpotlightSelection.choose(candidates, month: first, policy: policy) } catch {
            throw .invalidInput(field: "policy", reason: error.description)
        }
    }

    /// Records that the picks were featured (staff only), so the cooldown keeps them out of the
    /// next months' picks. Featuring the same member twice in a month is harmless.
    public func feature(_ picks: [SpotlightPick], by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
    {
        try await community.perform(by: staffID, idempotencyKey: idempotencyKey) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "feature spotlights")
            for pick in picks {
                let id = CompositeKey.make(pick.month, pick.member)
                if try await tx.find(id, in: Self.spotlights) == nil {
                    try tx.create(pick, id: id, in: Self.spotlights)
                }
            }
        }
    }
}
