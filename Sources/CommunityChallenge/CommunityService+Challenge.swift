public import CommunityModel
public import Foundation
import Storage

/// A team of a challenge, as stored once teams are formed.
public struct ChallengeTeam: Hashable, Sendable, Codable, Identifiable {
    public var id: ChallengeTeamID
    public var challenge: ChallengeID
    /// What the team spans and shares, and the constraints it breaks.
    public var formed: FormedTeam

    public var members: [MemberID] { formed.members }
}

/// A team's solution and pitch.
public struct ChallengeSubmission: Hashable, Sendable, Codable {
    public var team: ChallengeTeamID
    public var challenge: ChallengeID
    /// What the team built.
    public var solution: String
    /// Where to see it, if anywhere.
    public var link: String?
    /// The team's pitch.
    public var pitch: String
    public var submittedBy: MemberID
    /// When the team first submitted: the last tie-break of the ranking.
    public var firstSubmittedAt: Date
    public var revisedAt: Date
    /// 1 for the first submission, then one more per revision.
    public var revision: Int
}

/// What a team member submits.
public struct ChallengeSubmissionDraft: Hashable, Sendable {
    public var solution: String
    public var link: String?
    public var pitch: String

    public init(solution: String, link: String? = nil, pitch: String) {
        self.solution = solution
        self.link = link
        self.pitch = pitch
    }
}

/// One judge's scores for one team, in the rubric's criterion order.
public struct JudgeScore: Hashable, Sendable, Codable {
    public var team: ChallengeTeamID
    public var challenge: ChallengeID
    public var judge: MemberID
    public var scores: [Int]
    /// `Σ weight × score`.
    public var weightedSum: Int
    public var scoredAt: Date
}

/// A team's place in the ranking, with the arithmetic behind it.
public struct RankedTeam: Hashable, Sendable, Codable {
    public var place: Int
    public var team: ChallengeTeamID
    public var members: [MemberID]
    /// The judges who scored the team.
    public var judges: Int
    /// The sum of the judges' weighted sums.
    public var totalWeightedSum: Int
    /// The mean weighted sum as a percentage of the best possible (0 to 100).
    public var percent: Double
    /// Per criterion, in rubric order: the judges' mean score.
    public var criterionMeans: [Double]
}

/// The announced outcome of a challenge.
public struct ChallengeResults: Hashable, Sendable, Codable {
    public var challenge: ChallengeID
    public var ranking: [RankedTeam]
    /// How many places were announced as winners (their members' activity records the place).
    public var winningPlaces: Int
    public var announcedAt: Date

    /// The teams in the winning places.
    public var winners: [RankedTeam] { ranking.filter { $0.place <= winningPlaces } }
}

/// The stored outcome of team formation.
struct TeamFormationRecord: Codable, Sendable {
    var report: TeamFormationReport
    var seed: UInt64
    var formedAt: Date
    var formedBy: MemberID
}

extension Collections {
    static let challenges = RecordCollection<Challenge>("challenges")
    /// Id `challenge|member`.
    static let challengeRegistrations = RecordCollection<ChallengeRegistration>("challenge-registrations") {
        ["challenge": $0.challenge.rawValue, "member": $0.member.rawValue]
    }
    /// Id: the challenge.
    static let teamFormations = RecordCollection<TeamFormationRecord>("challenge-team-formations")
    static let challengeTeams = RecordCollection<ChallengeTeam>("challenge-teams") {
        ["challenge": $0.challenge.rawValue]
    }
    /// Id: the team.
    static let submissions = RecordCollection<ChallengeSubmission>("challenge-submissions") {
        ["challenge": $0.challenge.rawValue]
    }
    /// Id `team|judge`.
    static let judgeScores = RecordCollection<JudgeScore>("challenge-scores") { ["challenge": $0.challenge.rawValue] }
    /// Id: the challenge.
    static let challengeResults = RecordCollection<ChallengeResults>("challenge-results")
}

extension CommunityService {
    // MARK: Defining

    /// Creates a challenge. Staff only. The schedule's dates must increase; the judges must be members.
    @discardableResult
    public func createChallenge(_ new: NewChallenge, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError) -> Challenge
    {
        if let id = new.id { try Validate.id(id.rawValue, field: "challenge id") }
        guard (2000...2200).contains(new.year) else {
            throw .invalidInput(field: "year", reason: "must be a year from 2000 to 2200, not \(new.year)")
        }
        let title = try Validate.name(new.title, field: "title")
        let partner = NonprofitPartner(
            name: try Validate.name(new.partner.name, field: "partner name"),
            website: try new.partner.website.map { website throws(CommunityError) in
                try Validate.url(website, field: "partner website").absoluteString
            })
        let problem = try Validate.message(
            new.problemStatement, field: "problem statement", limit: Limits.freeText,
            empty: "must say what the teams will work on")
        try new.schedule.validate()
        try new.teams.validate()
        let rubric = try new.rubric.validated()
        guard !new.judges.isEmpty else { throw .invalidInput(field: "judges", reason: "name at least one judge") }
        return try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.challenges, kind: "challenge", id: { $0.id.rawValue })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "create a Community Challenge")
            for judge in new.judges.sorted() { _ = try await tx.member(judge) }
            let id = new.id ?? ChallengeID(tx.newID())
            if try await tx.find(id.rawValue, in: Collections.challenges) != nil {
                throw CommunityError.alreadyExists(kind: "challenge", id: id.rawValue)
            }
            let challenge = Challenge(
                id: id, year: new.year, title: title, partner: partner, problemStatement: problem,
                schedule: new.schedule, teams: new.teams, rubric: rubric, judges: new.judges, conflicts: [:],
                createdBy: staffID)
            try tx.create(challenge, id: id.rawValue, in: Collections.challenges)
            return challenge
        }
    }

    /// A challenge.
    public func challenge(_ id: ChallengeID) async throws(CommunityError) -> Challenge {
        try await lookup(id.rawValue, in: Collections.challenges, kind: "challenge")
    }

    /// Every challenge, by id.
    public func challenges() async throws(CommunityError) -> [Challenge] {
        try await query { try await store.fetchAll(Collections.challenges).map(\.value).sorted { $0.id < $1.id } }
    }

    /// The challenge's phase now, or nil before it is announced.
    public func phase(of id: ChallengeID) async throws(CommunityError) -> ChallengePhase? {
        try await challenge(id).phase(at: clock.now())
    }

    // MARK: Registration

    /// Registers a member for a challenge, during its registration phase, once.
    ///
    /// Skills are lowercased (1 to 10, each up to 40 characters); the time zone and languages
    /// default to the member's profile. Teammate requests (at most the largest team less one)
    /// are honoured when mutual. A self-service command: the member registers themself.
    ///
    /// - Parameters:
    ///   - challengeID: the challenge.
    ///   - form: skills, time zone, languages and teammate requests.
    ///   - memberID: who registers: the member themself, in good standing.
    @discardableResult
    public func register(
        for challengeID: ChallengeID, _ form: ChallengeRegistrationForm, by memberID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> ChallengeRegistration {
        var skills: Set<String> = []
        for skill in form.skills {
            skills.insert(try Validate.name(skill, field: "skill", limit: Limits.label).lowercased())
        }
        guard (1...10).contains(skills.count) else {
            throw .invalidInput(field: "skills", reason: "name 1 to 10 skills, not \(skills.count)")
        }
        let timeZone = try form.timeZone.map { zone throws(CommunityError) in try TimeZoneID(zone) }
        let languages = try form.languages.map { tags throws(CommunityError) in try Validate.languageTags(tags) }
        // Named apart from registering for an event, which shares the method's name.
        return try await transact(
            "registerForChallenge", by: memberID, key: idempotencyKey,
            replay: .record(
                Collections.challengeRegistrations, kind: "challenge registration",
                id: { _ in CompositeKey.make(challengeID, memberID) })
        ) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(.goodStanding, by: member.value, to: "register for challenge \(challengeID)")
            let challenge = try await tx.load(challengeID.rawValue, in: Collections.challenges, kind: "challenge")
            try Self.require(.registration, of: challenge.value, at: tx.now, to: "register")
            let teammates = Set(form.teammates).subtracting([memberID]).sorted()
            guard teammates.count < challenge.value.teams.maximumSize else {
                throw CommunityError.invalidInput(
                    field: "teammates",
                    reason: "a team has at most \(challenge.value.teams.maximumSize) members: ask for at most "
                        + "\(challenge.value.teams.maximumSize - 1) teammates")
            }
            for teammate in teammates { _ = try await tx.member(teammate) }
            let id = CompositeKey.make(challengeID, memberID)
            if try await tx.find(id, in: Collections.challengeRegistrations) != nil {
                throw CommunityError.alreadyExists(kind: "challenge registration", id: id)
            }
            let registration = ChallengeRegistration(
                challenge: challengeID, member: memberID, country: member.value.profile.country,
                timeZone: timeZone ?? member.value.profile.timeZone, skills: skills.sorted(),
                languages: languages ?? member.value.profile.languages, teammates: teammates, registeredAt: tx.now)
            try tx.create(registration, id: id, in: Collections.challengeRegistrations)
            try tx.log(.registeredForChallenge, member: member.value, .init(subject: .challenge(challengeID)))
            return registration
        }
    }

    /// The challenge's registrations, in member order, a page at a time: for staff and community
    /// managers.
    public func registrations(
        for challengeID: ChallengeID, after cursor: String? = nil, limit: Int = 100, by staffID: MemberID
    ) async throws(CommunityError) -> Page<ChallengeRegistration> {
        try Validate.limit(limit)
        _ = try await challenge(challengeID)
        try await authorize(.staff, by: staffID, to: "read the registrations of challenge \(challengeID)")
        return try await query {
            let page = try await store.fetchPage(
                Collections.challengeRegistrations, where: IndexQuery("challenge", equals: challengeID.rawValue),
                after: cursor, limit: limit)
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    // MARK: Teams

    /// Forms the teams from every registration, during team formation, once. Staff only. The
    /// same registrations and seed always give the same teams. Each placed member's activity
    /// records the team.
    @discardableResult
    public func formTeams(
        for challengeID: ChallengeID, seed: UInt64, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> TeamFormationReport
    {
        try await transact(by: staffID, key: idempotencyKey, replay: .teamFormation(of: challengeID)) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "form challenge teams")
            let challenge = try await tx.load(challengeID.rawValue, in: Collections.challenges, kind: "challenge")
            try Self.require(.teamFormation, of: challenge.value, at: tx.now, to: "form teams")
            if try await tx.find(challengeID.rawValue, in: Collections.teamFormations) != nil {
                throw CommunityError.invalidState("The teams of challenge \(challengeID) are already formed.")
            }
            // Registration closed when team formation began, so this list no longer changes.
            let registrations = try await store.fetchAll(
                Collections.challengeRegistrations, where: IndexQuery("challenge", equals: challengeID.rawValue)
            ).map(\.value)
            let report = try TeamFormation.form(
                registrations, policy: challenge.value.teams, building: challenge.value.schedule.building, seed: seed)
            try tx.create(
                TeamFormationRecord(report: report, seed: seed, formedAt: tx.now, formedBy: staffID),
                id: challengeID.rawValue, in: Collections.teamFormations)
            for formed in report.teams {
                let team = ChallengeTeam(
                    id: Self.teamID(challengeID, number: formed.number), challenge: challengeID, formed: formed)
                try tx.create(team, id: team.id.rawValue, in: Collections.challengeTeams)
                for memberID in formed.members {
                    let member = try await tx.member(memberID)
                    try tx.log(.joinedChallengeTeam, member: member.value, .init(subject: .challengeTeam(team.id)))
                }
            }
            return report
        }
    }

    /// The report of team formation: teams, who was left out and why, and teammate requests.
    /// For staff and community managers.
    public func teamFormationReport(of challengeID: ChallengeID, by staffID: MemberID) async throws(CommunityError)
        -> TeamFormationReport
    {
        _ = try await challenge(challengeID)
        try await authorize(.staff, by: staffID, to: "read the team formation report of \(challengeID)")
        let record = try await query { try await store.fetch(challengeID.rawValue, from: Collections.teamFormations) }
        guard let record else {
            throw .invalidState("The teams of challenge \(challengeID) are not formed yet.")
        }
        return record.value.report
    }

    /// The challenge's teams, by number.
    public func teams(of challengeID: ChallengeID) async throws(CommunityError) -> [ChallengeTeam] {
        _ = try await challenge(challengeID)
        return try await query {
            try await store.fetchAll(
                Collections.challengeTeams, where: IndexQuery("challenge", equals: challengeID.rawValue)
            ).map(\.value).sorted { $0.formed.number < $1.formed.number }
        }
    }

    static func teamID(_ challenge: ChallengeID, number: Int) -> ChallengeTeamID {
        ChallengeTeamID("\(challenge)-team-\(number)")
    }

    // MARK: Submissions and judging

    /// Submits (or revises) a team's solution and pitch, by one of its members, during
    /// building or pitching.
    @discardableResult
    public func submit(
        _ draft: ChallengeSubmissionDraft, for teamID: ChallengeTeamID, by memberID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> ChallengeSubmission {
        let solution = try Validate.message(
            draft.solution, field: "solution", limit: Limits.freeText, empty: "must say what the team built")
        let pitch = try Validate.message(draft.pitch, field: "pitch", limit: Limits.freeText)
        let link = try draft.link.map { link throws(CommunityError) in
            try Validate.url(link, field: "link").absoluteString
        }
        return try await transact(
            by: memberID, key: idempotencyKey,
            replay: .record(Collections.submissions, kind: "submission", id: { _ in teamID.rawValue })
        ) { tx in
            let member = try await tx.member(memberID)
            let team = try await tx.load(teamID.rawValue, in: Collections.challengeTeams, kind: "challenge team")
            let challenge = try await tx.load(
                team.value.challenge.rawValue, in: Collections.challenges, kind: "challenge")
            try await tx.authorize(
                .parties(Set(team.value.members)), by: member.value, to: "submit for team \(teamID)")
            guard let phase = challenge.value.phase(at: tx.now), [.building, .pitching].contains(phase) else {
                throw Self.outOfPhase(
                    challenge.value, at: tx.now, to: "submit a solution", during: [.building, .pitching])
            }
            let existing = try await tx.find(teamID.rawValue, in: Collections.submissions)
            let submission = ChallengeSubmission(
                team: teamID, challenge: team.value.challenge, solution: solution, link: link, pitch: pitch,
                submittedBy: memberID, firstSubmittedAt: existing?.value.firstSubmittedAt ?? tx.now, revisedAt: tx.now,
                revision: (existing?.value.revision ?? 0) + 1)
            if var existing {
                existing.value = submission
                try tx.update(existing, in: Collections.submissions)
            } else {
                try tx.create(submission, id: teamID.rawValue, in: Collections.submissions)
            }
            try tx.log(.submittedChallengeSolution, member: member.value, .init(subject: .challengeTeam(teamID)))
            return submission
        }
    }

    /// A team's submission, or nil before it submits: for the team's members, the challenge's
    /// judges, and staff and community managers.
    public func submission(of teamID: ChallengeTeamID, by readerID: MemberID) async throws(CommunityError)
        -> ChallengeSubmission?
    {
        try await transact { tx in
            let team = try await tx.load(teamID.rawValue, in: Collections.challengeTeams, kind: "challenge team")
            let challenge = try await tx.load(
                team.value.challenge.rawValue, in: Collections.challenges, kind: "challenge")
            try await tx.authorize(
                .partiesOrStaff(Set(team.value.members).union(challenge.value.judges)),
                by: try await tx.member(readerID).value, to: "read the submission of \(teamID)")
            return try await tx.find(teamID.rawValue, in: Collections.submissions)?.value
        }
    }

    /// A judge declares a conflict of interest with a team (the judge themself or staff): from
    /// then on the judge cannot score it, and a score they gave it is withdrawn.
    public func declareConflict(
        of judgeID: MemberID, with teamID: ChallengeTeamID, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError)
    {
        try await transact(by: memberID, key: idempotencyKey, replay: .nothing) { tx in
            let actor = try await tx.member(memberID)
            try await tx.authorize(
                .partiesOrStaff([judgeID]), by: actor.value, to: "declare a conflict of \(judgeID) with \(teamID)")
            let team = try await tx.load(teamID.rawValue, in: Collections.challengeTeams, kind: "challenge team")
            var challenge = try await tx.load(
                team.value.challenge.rawValue, in: Collections.challenges, kind: "challenge")
            guard challenge.value.judges.contains(judgeID) else {
                throw CommunityError.invalidInput(
                    field: "judge", reason: "\(judgeID) is not a judge of challenge \(challenge.value.id)")
            }
            if let phase = challenge.value.phase(at: tx.now), phase >= .winnersAnnounced {
                throw Self.outOfPhase(
                    challenge.value, at: tx.now, to: "declare a conflict",
                    during: ChallengePhase.allCases.filter { $0 < .winnersAnnounced })
            }
            guard challenge.value.conflicts[judgeID]?.contains(teamID) != true else { return }
            challenge.value.conflicts[judgeID, default: []].insert(teamID)
            try tx.update(challenge, in: Collections.challenges)
            if let score = try await tx.find(CompositeKey.make(teamID, judgeID), in: Collections.judgeScores) {
                tx.delete(score, in: Collections.judgeScores)
            }
        }
    }

    /// A judge scores a team's submission on every criterion of the rubric (by criterion name),
    /// during judging. Scoring again replaces the judge's earlier scores. A judge with a
    /// declared conflict, or who is on the team, cannot score it.
    @discardableResult
    public func score(
        _ teamID: ChallengeTeamID, by judgeID: MemberID, _ scores: [String: Int], idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> JudgeScore
    {
        try await transact(
            by: judgeID, key: idempotencyKey,
            replay: .record(
                Collections.judgeScores, kind: "judge score", id: { _ in CompositeKey.make(teamID, judgeID) })
        ) { tx in
            let judge = try await tx.member(judgeID)
            let team = try await tx.load(teamID.rawValue, in: Collections.challengeTeams, kind: "challenge team")
            let challenge = try await tx.load(
                team.value.challenge.rawValue, in: Collections.challenges, kind: "challenge")
            try await tx.authorize(.parties(challenge.value.judges), by: judge.value, to: "score team \(teamID)")
            try Self.require(.judging, of: challenge.value, at: tx.now, to: "score")
            if challenge.value.conflicts[judgeID]?.contains(teamID) == true || team.value.members.contains(judgeID) {
                throw CommunityError.notPermitted(
                    member: judgeID, action: "score team \(teamID)", rule: .conflictOfInterest,
                    reason: "the judge has a conflict of interest with this team")
            }
            guard try await tx.find(teamID.rawValue, in: Collections.submissions) != nil else {
                throw CommunityError.invalidState("Team \(teamID) submitted nothing to score.")
            }
            let rubric = challenge.value.rubric
            let names = Set(rubric.criteria.map(\.name))
            if let unknown = scores.keys.sorted().first(where: { !names.contains($0) }) {
                throw CommunityError.invalidInput(
                    field: "scores",
                    reason: "\(unknown.debugDescription) is not a criterion; the rubric has "
                        + rubric.criteria.map(\.name).joined(separator: ", "))
            }
            var ordered: [Int] = []
            for criterion in rubric.criteria {
                guard let value = scores[criterion.name] else {
                    throw CommunityError.invalidInput(
                        field: "scores", reason: "score every criterion: \(criterion.name.debugDescription) is missing")
                }
                guard (0...rubric.maximumScore).contains(value) else {
                    throw CommunityError.invalidInput(
                        field: "scores",
                        reason: "\(criterion.name.debugDescription) takes 0 to \(rubric.maximumScore), not \(value)")
                }
                ordered.append(value)
            }
            let score = JudgeScore(
                team: teamID, challenge: challenge.value.id, judge: judgeID, scores: ordered,
                weightedSum: zip(rubric.criteria, ordered).reduce(0) { $0 + $1.0.weight * $1.1 }, scoredAt: tx.now)
            let id = CompositeKey.make(teamID, judgeID)
            if var existing = try await tx.find(id, in: Collections.judgeScores) {
                existing.value = score
                try tx.update(existing, in: Collections.judgeScores)
            } else {
                try tx.create(score, id: id, in: Collections.judgeScores)
            }
            return score
        }
    }

    /// The ranking as the scores stand: teams with a submission and at least one score. For the
    /// challenge's judges and staff and community managers (everyone sees the results once the
    /// winners are announced).
    public func ranking(of challengeID: ChallengeID, by readerID: MemberID) async throws(CommunityError)
        -> [RankedTeam]
    {
        let challenge = try await self.challenge(challengeID)
        try await authorize(
            .partiesOrStaff(challenge.judges), by: readerID, to: "read the ranking of challenge \(challengeID)")
        return try await query {
            let index = IndexQuery("challenge", equals: challengeID.rawValue)
            let scores = try await store.fetchAll(Collections.judgeScores, where: index).map(\.value)
            let submissions = try await store.fetchAll(Collections.submissions, where: index).map(\.value)
            let teams = try await store.fetchAll(Collections.challengeTeams, where: index).map(\.value)
            return ChallengeRanking.rank(challenge: challenge, teams: teams, submissions: submissions, scores: scores)
        }
    }

    /// Announces the winners, once the winners' phase has begun: the ranking is kept, and each
    /// member of a team in the first `places` places gets a ``ActivityKind/placedInChallenge``
    /// entry with their place (Recognition badges them). Staff only.
    @discardableResult
    public func announceWinners(
        of challengeID: ChallengeID, places: Int = 3, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> ChallengeResults
    {
        guard (1...100).contains(places) else {
            throw .invalidInput(field: "places", reason: "must be 1 to 100, not \(places)")
        }
        return try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.challengeResults, kind: "challenge results", id: { _ in challengeID.rawValue })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "announce challenge winners")
            let challenge = try await tx.load(challengeID.rawValue, in: Collections.challenges, kind: "challenge")
            try Self.require(.winnersAnnounced, of: challenge.value, at: tx.now, to: "announce winners")
            if try await tx.find(challengeID.rawValue, in: Collections.challengeResults) != nil {
                throw CommunityError.invalidState("The winners of challenge \(challengeID) are already announced.")
            }
            let ranking = try await ranking(of: challengeID, by: staffID)
            guard !ranking.isEmpty else {
                throw CommunityError.invalidState("No team of challenge \(challengeID) was scored: there is no winner.")
            }
            let results = ChallengeResults(
                challenge: challengeID, ranking: ranking, winningPlaces: places, announcedAt: tx.now)
            try tx.create(results, id: challengeID.rawValue, in: Collections.challengeResults)
            for ranked in results.winners {
                for memberID in ranked.members {
                    let member = try await tx.member(memberID)
                    try tx.log(
                        .placedInChallenge, member: member.value,
                        .init(subject: .challengeTeam(ranked.team), details: ActivityDetails(placement: ranked.place)))
                }
            }
            return results
        }
    }

    /// The announced results, or nil before the announcement.
    public func results(of challengeID: ChallengeID) async throws(CommunityError) -> ChallengeResults? {
        _ = try await challenge(challengeID)
        return try await query {
            try await store.fetch(challengeID.rawValue, from: Collections.challengeResults)?.value
        }
    }

    // MARK: Phases

    static func require(_ phase: ChallengePhase, of challenge: Challenge, at date: Date, to action: String)
        throws(CommunityError)
    {
        guard challenge.phase(at: date) == phase else {
            throw outOfPhase(challenge, at: date, to: action, during: [phase])
        }
    }

    static func outOfPhase(_ challenge: Challenge, at date: Date, to action: String, during phases: [ChallengePhase])
        -> CommunityError
    {
        let now = challenge.phase(at: date).map { "it is in \($0)" } ?? "it is not announced yet"
        let allowed = phases.map(\.description).joined(separator: " or ")
        let next = challenge.schedule.starts.first { phases.contains($0.phase) && $0.date > date }
        let when = next.map { " (\($0.phase) begins \(ISO8601DateFormatter().string(from: $0.date)))" } ?? ""
        return .invalidState(
            "Challenge \(challenge.id): you can \(action) only during \(allowed), and \(now)\(when).")
    }
}

/// Ranks scored teams: by the mean weighted sum over their judges (compared exactly), then by
/// the mean score on the heaviest criterion (the first of equal weight), then by the earlier
/// first submission, then by team id.
enum ChallengeRanking {
    static func rank(
        challenge: Challenge, teams: [ChallengeTeam], submissions: [ChallengeSubmission], scores: [JudgeScore]
    ) -> [RankedTeam] {
        let submitted = Dictionary(submissions.map { ($0.team, $0) }, uniquingKeysWith: { a, _ in a })
        let members = Dictionary(teams.map { ($0.id, $0.members) }, uniquingKeysWith: { a, _ in a })
        let byTeam = Dictionary(grouping: scores.filter { submitted[$0.team] != nil }, by: \.team)
        let rubric = challenge.rubric
        let heaviest =
            rubric.criteria.indices.max {
                rubric.criteria[$0].weight != rubric.criteria[$1].weight
                    ? rubric.criteria[$0].weight < rubric.criteria[$1].weight : $0 > $1
            } ?? 0
        struct Candidate {
            var team: ChallengeTeamID
            var judges: Int
            var total: Int
            var heaviestTotal: Int
            var firstSubmittedAt: Date
            var means: [Double]
        }
        let candidates = byTeam.map { team, scores in
            Candidate(
                team: team, judges: scores.count, total: scores.reduce(0) { $0 + $1.weightedSum },
                heaviestTotal: scores.reduce(0) { $0 + $1.scores[heaviest] },
                firstSubmittedAt: submitted[team]!.firstSubmittedAt,
                means: rubric.criteria.indices.map { criterion in
                    Double(scores.reduce(0) { $0 + $1.scores[criterion] }) / Double(scores.count)
                })
        }
        // a.total / a.judges against b.total / b.judges, by cross-multiplying: exact.
        func ahead(_ a: Candidate, _ b: Candidate) -> Bool {
            let (left, right) = (a.total * b.judges, b.total * a.judges)
            if left != right { return left > right }
            let (heavyLeft, heavyRight) = (a.heaviestTotal * b.judges, b.heaviestTotal * a.judges)
            if heavyLeft != heavyRight { return heavyLeft > heavyRight }
            if a.firstSubmittedAt != b.firstSubmittedAt { return a.firstSubmittedAt < b.firstSubmittedAt }
            return a.team < b.team
        }
        let best = Double(rubric.bestSum)
        return candidates.sorted(by: ahead).enumerated().map { index, candidate in
            RankedTeam(
                place: index + 1, team: candidate.team, members: members[candidate.team] ?? [],
                judges: candidate.judges, totalWeightedSum: candidate.total,
                percent: Double(candidate.total) / Double(candidate.judges) / best * 100,
                criterionMeans: candidate.means)
        }
    }
}

extension Replay where Result == TeamFormationReport {
    /// The report kept when the teams of `challengeID` were formed.
    static func teamFormation(of challengeID: ChallengeID) -> Replay {
        Replay(keep: { _ in challengeID.rawValue }) { _, tx in
            try await tx.load(challengeID.rawValue, in: Collections.teamFormations, kind: "team formation").value.report
        }
    }
}
