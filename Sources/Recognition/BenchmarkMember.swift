public import CommunityModel
import Foundation
import Gamification
import Storage

/// How the benchmark member of a programme is chosen for a month: what each kind of
/// contribution weighs, the least score that makes someone an example, and how long a member
/// who was featured waits before they can be chosen again.
///
/// The benchmark member is the learner whose work and help others in the programme should
/// model: steady homework check-ins, homework that made the excellent list, answers the askers
/// accepted, and feedback given to peers.
public struct BenchmarkPolicy: Hashable, Sendable, Codable {
    /// Points per day (or week, for weekly homework) with a homework check-in in the month.
    public var checkInWeight: Int
    /// Points per homework check-in of the month that staff picked as excellent homework.
    public var excellentHomeworkWeight: Int
    /// Points per answer of theirs that an asker accepted in the month (and did not withdraw).
    public var acceptedAnswerWeight: Int
    /// Points per piece of feedback they gave on a peer's answer in the month.
    public var feedbackWeight: Int
    /// The least score that makes a member the programme's example; below it, no one is chosen.
    public var minimumScore: Int
    /// A member featured as a benchmark member in the last this many months (in any programme)
    /// is not chosen again. 0 lets the same member be chosen every month.
    public var cooldownMonths: Int

    public init(
        checkInWeight: Int = 1, excellentHomeworkWeight: Int = 5, acceptedAnswerWeight: Int = 4,
        feedbackWeight: Int = 2, minimumScore: Int = 8, cooldownMonths: Int = 6
    ) {
        self.checkInWeight = checkInWeight
        self.excellentHomeworkWeight = excellentHomeworkWeight
        self.acceptedAnswerWeight = acceptedAnswerWeight
        self.feedbackWeight = feedbackWeight
        self.minimumScore = minimumScore
        self.cooldownMonths = cooldownMonths
    }

    /// Checks every value; decoded policies pass through it too (see ``init(from:)``).
    public func validate() throws(RecognitionError) {
        for (field, weight) in [
            ("checkInWeight", checkInWeight), ("excellentHomeworkWeight", excellentHomeworkWeight),
            ("acceptedAnswerWeight", acceptedAnswerWeight), ("feedbackWeight", feedbackWeight),
        ] where !(0...1_000).contains(weight) {
            throw .invalidInput(field: field, reason: "must be 0 to 1,000, not \(weight)")
        }
        guard checkInWeight + excellentHomeworkWeight + acceptedAnswerWeight + feedbackWeight > 0 else {
            throw .invalidInput(field: "weights", reason: "at least one contribution must weigh more than 0")
        }
        guard (1...1_000_000).contains(minimumScore) else {
            throw .invalidInput(field: "minimumScore", reason: "must be 1 to 1,000,000, not \(minimumScore)")
        }
        guard (0...60).contains(cooldownMonths) else {
            throw .invalidInput(field: "cooldownMonths", reason: "must be 0 to 60, not \(cooldownMonths)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case checkInWeight, excellentHomeworkWeight, acceptedAnswerWeight, feedbackWeight, minimumScore
        case cooldownMonths
    }

    /// Decodes a policy and validates it: a stored or configured policy is held to the same
    /// rules as one made in code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            checkInWeight: try container.decode(Int.self, forKey: .checkInWeight),
            excellentHomeworkWeight: try container.decode(Int.self, forKey: .excellentHomeworkWeight),
            acceptedAnswerWeight: try container.decode(Int.self, forKey: .acceptedAnswerWeight),
            feedbackWeight: try container.decode(Int.self, forKey: .feedbackWeight),
            minimumScore: try container.decode(Int.self, forKey: .minimumScore),
            cooldownMonths: try container.decode(Int.self, forKey: .cooldownMonths))
        do { try validate() } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}

/// A member's contributions to one programme in one month, and whether they may be shown.
public struct BenchmarkCandidate: Hashable, Sendable {
    public var member: MemberID
    public var programme: ProgrammeID
    /// Days (weeks, for weekly homework) with a homework check-in.
    public var checkInDays: Int
    /// Check-ins staff picked as excellent homework.
    public var excellentHomework: Int
    /// Their answers that askers accepted.
    public var acceptedAnswers: Int
    /// Pieces of feedback they gave on peers' answers.
    public var feedbackGiven: Int
    /// Whether they agreed to have their homework shown (`Consent.homeworkShowcase`).
    public var showsHomework: Bool
    /// Whether they appear on public boards (`Consent.publicLeaderboards`): a
    /// member hidden from the boards is never held up by name.
    public var isPublic: Bool
    /// The first day of the last month they were featured as a benchmark member, if ever.
    public var lastFeatured: LocalDate?

    public init(
        member: MemberID, programme: ProgrammeID, checkInDays: Int = 0, excellentHomework: Int = 0,
        acceptedAnswers: Int = 0, feedbackGiven: Int = 0, showsHomework: Bool, isPublic: Bool,
        lastFeatured: LocalDate? = nil
    ) {
        self.member = member
        self.programme = programme
        self.checkInDays = checkInDays
        self.excellentHomework = excellentHomework
        self.acceptedAnswers = acceptedAnswers
        self.feedbackGiven = feedbackGiven
        self.showsHomework = showsHomework
        self.isPublic = isPublic
        self.lastFeatured = lastFeatured
    }

    /// The weighted sum of the contributions under `policy`.
    public func score(under policy: BenchmarkPolicy) -> Int {
        // Counts come from one month of one programme and weights are at most 1,000: no overflow
        // short of a month with more than 10^15 entries.
        checkInDays * policy.checkInWeight + excellentHomework * policy.excellentHomeworkWeight
            + acceptedAnswers * policy.acceptedAnswerWeight + feedbackGiven * policy.feedbackWeight
    }
}

/// A programme's benchmark member for a month, with the contributions the choice rests on.
public struct BenchmarkMember: Hashable, Sendable, Codable {
    public var programme: ProgrammeID
    public var member: MemberID
    /// The first day of the month.
    public var month: LocalDate
    public var score: Int
    public var checkInDays: Int
    public var excellentHomework: Int
    public var acceptedAnswers: Int
    public var feedbackGiven: Int
    /// A plain sentence: "checked in homework on 12 days, 1 excellent-homework pick, 3 accepted
    /// answers, 5 pieces of feedback to peers (score 41)".
    public var reason: String
}

/// Chooses benchmark members: per programme (in id order) the consenting, public member with the
/// highest score under the policy, at least its minimum, who was not featured within the
/// cooldown and is not already this month's benchmark member of another programme; ties by
/// member id.
public enum BenchmarkSelection {
    public static func choose(_ candidates: [BenchmarkCandidate], month: LocalDate, policy: BenchmarkPolicy)
        throws(RecognitionError) -> [BenchmarkMember]
    {
        try policy.validate()
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        let cooldownStart = first.addingMonths(-policy.cooldownMonths)
        var chosen: Set<MemberID> = []
        var picks: [BenchmarkMember] = []
        let byProgramme = Dictionary(grouping: candidates, by: \.programme)
        for programme in byProgramme.keys.sorted() {
            let eligible = byProgramme[programme, default: []].filter { candidate in
                guard candidate.showsHomework, candidate.isPublic, !chosen.contains(candidate.member) else {
                    return false
                }
                if let last = candidate.lastFeatured, policy.cooldownMonths > 0, last >= cooldownStart { return false }
                return candidate.score(under: policy) >= policy.minimumScore
            }
            guard
                let best = eligible.min(by: { a, b in
                    let (x, y) = (a.score(under: policy), b.score(under: policy))
                    return x != y ? x > y : a.member < b.member
                })
            else { continue }
            chosen.insert(best.member)
            picks.append(
                BenchmarkMember(
                    programme: programme, member: best.member, month: first, score: best.score(under: policy),
                    checkInDays: best.checkInDays, excellentHomework: best.excellentHomework,
                    acceptedAnswers: best.acceptedAnswers, feedbackGiven: best.feedbackGiven,
                    reason: reason(for: best, score: best.score(under: policy))))
        }
        return picks
    }

    static func reason(for candidate: BenchmarkCandidate, score: Int) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { n == 1 ? "1 \(one)" : "\(n) \(many)" }
        var parts: [String] = []
        if candidate.checkInDays > 0 {
            parts.append("checked in homework on " + count(candidate.checkInDays, "day", "days"))
        }
        if candidate.excellentHomework > 0 {
            parts.append(count(candidate.excellentHomework, "excellent-homework pick", "excellent-homework picks"))
        }
        if candidate.acceptedAnswers > 0 {
            parts.append(count(candidate.acceptedAnswers, "accepted answer", "accepted answers"))
        }
        if candidate.feedbackGiven > 0 {
            parts.append(count(candidate.feedbackGiven, "piece of feedback", "pieces of feedback") + " to peers")
        }
        return parts.joined(separator: ", ") + " (score \(score))"
    }
}

extension RecognitionService {
    static let benchmarkMembers = RecordCollection<BenchmarkMember>("benchmark-members") {
        ["member": $0.member.rawValue, "month": $0.month.description]
    }

    /// The benchmark member of each programme for the month that contains `month`, by
    /// `policy`, from that month's activity: homework check-ins, the check-ins staff picked as
    /// excellent homework, accepted answers (unless withdrawn) and feedback given to peers
    /// (unless removed), each counted in the programme it belongs to and on the member's own
    /// calendar day. Members who did not agree to show their homework, who are hidden from
    /// public boards, or who were featured within the cooldown are left out. Nothing is
    /// stored: see ``featureBenchmarkMembers(_:by:idempotencyKey:)``.
    ///
    /// Answered from the hosted ``HomeworkProjection``.
    ///
    /// For staff and community managers (`staffID`), who choose whom to feature.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a policy out of range, or a
    ///   month before the days the projection keeps.
    public func benchmarkMembers(
        for month: LocalDate, policy: BenchmarkPolicy = BenchmarkPolicy(), by staffID: MemberID
    ) async throws(CommunityError) -> [BenchmarkMember] {
        try await community.authorize(.staff, by: staffID, to: "read the benchmark member picks")
        do { try policy.validate() } catch { throw .invalidInput(field: "policy", reason: error.description) }
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        let homework = try await homework()
        try homework.require(from: first)
        struct Counts {
            var days: Set<Int> = []
            var excellent = 0
            var accepted = 0
            var feedback = 0
        }
        var counts: [String: Counts] = [:]
        for (day, tallies) in homework.days(from: first, through: .lastOfMonth(year: first.year, month: first.month)) {
            for checkIn in tallies.checkIns {
                let key = "\(checkIn.member)|\(checkIn.programme)"
                counts[key, default: Counts()].days.insert(day)
                let picked = try await withCommunityErrors {
                    try await community.store.fetch(String(checkIn.position), from: Self.homeworkPicks) != nil
                }
                if picked { counts[key, default: Counts()].excellent += 1 }
            }
            for (key, accepted) in tallies.accepted { counts[key, default: Counts()].accepted += accepted }
            for (key, given) in tallies.feedbackGiven { counts[key, default: Counts()].feedback += given }
        }
        let featured = try await withCommunityErrors {
            try await community.store.fetchAll(Self.benchmarkMembers).map(\.value)
        }
        let lastFeatured = Dictionary(featured.map { ($0.member, $0.month) }, uniquingKeysWith: max)
        var members: [MemberID: Member?] = [:]
        var candidates: [BenchmarkCandidate] = []
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1)
            let memberID = MemberID(String(parts[0]))
            if members[memberID] == nil {
                do { members[memberID] = .some(try await community.member(memberID)) } catch {
                    guard case .notFound = error else { throw error }
                    members[memberID] = .some(nil)  // a former member
                }
            }
            guard let member = members[memberID] ?? nil else { continue }
            candidates.append(
                BenchmarkCandidate(
                    member: memberID, programme: ProgrammeID(String(parts[1])), checkInDays: count.days.count,
                    excellentHomework: count.excellent, acceptedAnswers: count.accepted,
                    feedbackGiven: count.feedback, showsHomework: member.consents(to: .homeworkShowcase),
                    isPublic: member.consents(to: .publicLeaderboards), lastFeatured: lastFeatured[memberID]))
        }
        do { return try BenchmarkSelection.choose(candidates, month: first, policy: policy) } catch {
            throw .invalidInput(field: "policy", reason: error.description)
        }
    }

    /// Records that the benchmark members were featured (staff only), so the cooldown keeps them
    /// out of the next months' choice. Featuring the same member again for the same programme
    /// and month is harmless; featuring another member for a programme and month that already
    /// has one is refused.
    public func featureBenchmarkMembers(
        _ picks: [BenchmarkMember], by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError)
    {
        try await community.perform(by: staffID, idempotencyKey: idempotencyKey) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "feature benchmark members")
            for pick in picks {
                _ = try await tx.member(pick.member)
                let id = CompositeKey.make(pick.month, pick.programme)
                if let existing = try await tx.find(id, in: Self.benchmarkMembers) {
                    guard existing.value.member == pick.member else {
                        throw CommunityError.invalidState(
                            "\(existing.value.member) is already the benchmark member of \(pick.programme) for "
                                + "\(pick.month.description.prefix(7)).")
                    }
                    continue
                }
                try tx.create(pick, id: id, in: Self.benchmarkMembers)
            }
        }
    }

    /// The benchmark members featured for the month that contains `month`, by programme.
    public func featuredBenchmarkMembers(for month: LocalDate) async throws(CommunityError) -> [BenchmarkMember] {
        let first = LocalDate.firstOfMonth(year: month.year, month: month.month)
        return try await withCommunityErrors {
            try await community.store.fetchAll(
                Self.benchmarkMembers, where: IndexQuery("month", equals: first.description)
            ).map(\.value).sorted { $0.programme < $1.programme }
        }
    }
}
