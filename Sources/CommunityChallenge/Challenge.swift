public import CommunityModel
public import Foundation

/// The phases of a Community Challenge, in order. Each begins at a date of the
/// ``ChallengeSchedule`` and lasts until the next begins; the last lasts for good.
public enum ChallengePhase: String, Hashable, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// The partner and the problem are public; registration has not opened.
    case announced
    /// Members register with their skills, time zone, languages and wished teammates.
    case registration
    /// Staff form the teams.
    case teamFormation
    /// Teams build their solution and may submit it.
    case building
    /// Teams pitch; submissions may still be revised until judging begins.
    case pitching
    /// Judges score the submissions against the rubric.
    case judging
    /// The winners are announced; the challenge is over.
    case winnersAnnounced

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }

    private var order: Int { Self.allCases.firstIndex(of: self)! }

    public var description: String {
        switch self {
        case .announced: "announced"
        case .registration: "registration"
        case .teamFormation: "team formation"
        case .building: "building"
        case .pitching: "pitching"
        case .judging: "judging"
        case .winnersAnnounced: "winners announced"
        }
    }
}

/// When each phase of a challenge begins. The dates must increase strictly.
public struct ChallengeSchedule: Hashable, Sendable, Codable {
    public var announced: Date
    public var registrationOpens: Date
    public var teamFormationBegins: Date
    public var buildingBegins: Date
    public var pitchingBegins: Date
    public var judgingBegins: Date
    public var winnersAnnounced: Date

    public init(
        announced: Date, registrationOpens: Date, teamFormationBegins: Date, buildingBegins: Date,
        pitchingBegins: Date, judgingBegins: Date, winnersAnnounced: Date
    ) {
        self.announced = announced
        self.registrationOpens = registrationOpens
        self.teamFormationBegins = teamFormationBegins
        self.buildingBegins = buildingBegins
        self.pitchingBegins = pitchingBegins
        self.judgingBegins = judgingBegins
        self.winnersAnnounced = winnersAnnounced
    }

    /// The start of each phase, in phase order.
    public var starts: [(phase: ChallengePhase, date: Date)] {
        [
            (.announced, announced), (.registration, registrationOpens), (.teamFormation, teamFormationBegins),
            (.building, buildingBegins), (.pitching, pitchingBegins), (.judging, judgingBegins),
            (.winnersAnnounced, winnersAnnounced),
        ]
    }

    /// The phase at `date`, or nil before the challenge is announced.
    public func phase(at date: Date) -> ChallengePhase? {
        starts.last { $0.date <= date }?.phase
    }

    /// The building phase, over which teams need their shared working hours.
    public var building: DateInterval { DateInterval(start: buildingBegins, end: pitchingBegins) }

    func validate() throws(CommunityError) {
        let starts = self.starts
        for start in starts { try Validate.date(start.date, field: "schedule (\(start.phase))") }
        for (earlier, later) in zip(starts, starts.dropFirst()) where later.date <= earlier.date {
            throw .invalidInput(
                field: "schedule",
                reason: "\(later.phase) must begin after \(earlier.phase) (\(earlier.date)), not at \(later.date)")
        }
    }
}

/// One criterion of a judging rubric: scored from 0 to the rubric's maximum, counted with its weight.
public struct RubricCriterion: Hashable, Sendable, Codable {
    public var name: String
    /// A positive whole number: a criterion of weight 2 counts twice as much as one of weight 1.
    public var weight: Int

    public init(_ name: String, weight: Int) {
        self.name = name
        self.weight = weight
    }
}

/// How judges score: criteria with weights, each scored on the same scale `0...maximumScore`.
///
/// A judge's score for a team is the weighted sum `Σ weight × score`; a team's score is the
/// mean over the judges who scored it, shown as a percentage of the best possible sum.
public struct Rubric: Hashable, Sendable, Codable {
    public var criteria: [RubricCriterion]
    public var maximumScore: Int

    public init(criteria: [RubricCriterion], maximumScore: Int = 10) {
        self.criteria = criteria
        self.maximumScore = maximumScore
    }

    /// The best possible weighted sum of one judge.
    public var bestSum: Int {
        // Saturating: a rubric built by hand (not yet checked by a challenge) may hold any weight.
        var weights = 0
        for criterion in criteria {
            let (sum, overflow) = weights.addingReportingOverflow(criterion.weight)
            weights = overflow ? (criterion.weight > 0 ? .max : .min) : sum
        }
        let (product, overflow) = weights.multipliedReportingOverflow(by: maximumScore)
        return overflow ? ((weights > 0) == (maximumScore > 0) ? .max : .min) : product
    }

    func validated() throws(CommunityError) -> Rubric {
        guard !criteria.isEmpty else { throw .invalidInput(field: "rubric", reason: "needs at least one criterion") }
        guard (1...100).contains(maximumScore) else {
            throw .invalidInput(field: "rubric.maximumScore", reason: "must be 1 to 100, not \(maximumScore)")
        }
        var result = self
        var seen: Set<String> = []
        for index in criteria.indices {
            let name = try Validate.name(criteria[index].name, field: "rubric criterion", limit: Limits.name)
            guard seen.insert(name.lowercased()).inserted else {
                throw .invalidInput(field: "rubric", reason: "the criterion \(name.debugDescription) appears twice")
            }
            guard (1...100).contains(criteria[index].weight) else {
                throw .invalidInput(
                    field: "rubric criterion \(name.debugDescription)",
                    reason: "weight must be a whole number from 1 to 100, not \(criteria[index].weight)")
            }
            result.criteria[index].name = name
        }
        return result
    }
}

/// The nonprofit a challenge works with.
public struct NonprofitPartner: Hashable, Sendable, Codable {
    public var name: String
    public var website: String?

    public init(name: String, website: String? = nil) {
        self.name = name
        self.website = website
    }
}

/// What a challenge is, as staff define it.
public struct NewChallenge: Hashable, Sendable {
    public var id: ChallengeID?
    public var year: Int
    public var title: String
    public var partner: NonprofitPartner
    /// The problem the teams work on, in the partner's words.
    public var problemStatement: String
    public var schedule: ChallengeSchedule
    public var teams: TeamFormationPolicy
    public var rubric: Rubric
    /// The members who score submissions.
    public var judges: Set<MemberID>

    public init(
        id: ChallengeID? = nil, year: Int, title: String, partner: NonprofitPartner, problemStatement: String,
        schedule: ChallengeSchedule, teams: TeamFormationPolicy = TeamFormationPolicy(), rubric: Rubric,
        judges: Set<MemberID>
    ) {
        self.id = id
        self.year = year
        self.title = title
        self.partner = partner
        self.problemStatement = problemStatement
        self.schedule = schedule
        self.teams = teams
        self.rubric = rubric
        self.judges = judges
    }
}

/// A Community Challenge.
public struct Challenge: Hashable, Sendable, Codable, Identifiable {
    public var id: ChallengeID
    public var year: Int
    public var title: String
    public var partner: NonprofitPartner
    public var problemStatement: String
    public var schedule: ChallengeSchedule
    public var teams: TeamFormationPolicy
    public var rubric: Rubric
    public var judges: Set<MemberID>
    /// Per judge, the teams they declared a conflict of interest with: they cannot score them.
    public var conflicts: [MemberID: Set<ChallengeTeamID>]
    public var createdBy: MemberID

    /// The phase at `date`, or nil before the announcement.
    public func phase(at date: Date) -> ChallengePhase? { schedule.phase(at: date) }
}

/// A member's registration for a challenge.
public struct ChallengeRegistration: Hashable, Sendable, Codable {
    public var challenge: ChallengeID
    public var member: MemberID
    /// The member's country (from their profile): teams span at least two.
    public var country: CountryCode
    /// Where the member works from during the challenge (their profile's, unless they said otherwise).
    public var timeZone: TimeZoneID
    /// Lowercased, sorted, distinct.
    public var skills: [String]
    public var languages: [String]
    /// Registrants the member asked to team with; honoured when the request is mutual.
    public var teammates: [MemberID]
    public var registeredAt: Date

    public init(
        challenge: ChallengeID, member: MemberID, country: CountryCode, timeZone: TimeZoneID, skills: [String],
        languages: [String], teammates: [MemberID] = [], registeredAt: Date
    ) {
        self.challenge = challenge
        self.member = member
        self.country = country
        self.timeZone = timeZone
        self.skills = skills
        self.languages = languages
        self.teammates = teammates
        self.registeredAt = registeredAt
    }
}

/// What a member gives when registering; the time zone and languages default to their profile's.
public struct ChallengeRegistrationForm: Hashable, Sendable {
    public var skills: [String]
    public var timeZone: String?
    public var languages: [String]?
    public var teammates: [MemberID]

    public init(skills: [String], timeZone: String? = nil, languages: [String]? = nil, teammates: [MemberID] = []) {
        self.skills = skills
        self.timeZone = timeZone
        self.languages = languages
        self.teammates = teammates
    }
}
