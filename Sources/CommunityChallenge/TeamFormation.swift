public import CommunityModel
public import Foundation
import Storage

/// How teams are formed.
public struct TeamFormationPolicy: Hashable, Sendable, Codable {
    /// The smallest and largest team.
    public var minimumSize: Int
    public var maximumSize: Int
    /// The size teams are filled to; the room left up to ``maximumSize`` takes registrants
    /// who would otherwise be left over.
    public var preferredSize: Int
    /// The working hours (between 08:00 and 22:00 local time) a team's members must share on
    /// every day of the building phase.
    public var minimumSharedHours: Int
    /// The fewest countries a team spans.
    public var minimumCountries: Int
    /// The fewest distinct skills a team holds (or all the skills registrants named, if fewer).
    public var minimumDistinctSkills: Int

    public init(
        minimumSize: Int = 3, maximumSize: Int = 5, preferredSize: Int? = nil, minimumSharedHours: Int = 4,
        minimumCountries: Int = 2, minimumDistinctSkills: Int = 3
    ) {
        self.minimumSize = minimumSize
        self.maximumSize = maximumSize
        // Wrapping arithmetic: sizes that overflow are out of range, and `validate()` refuses them.
        self.preferredSize = preferredSize ?? (minimumSize &+ maximumSize &+ 1) / 2
        self.minimumSharedHours = minimumSharedHours
        self.minimumCountries = minimumCountries
        self.minimumDistinctSkills = minimumDistinctSkills
    }

    /// Decodes a policy and checks it as `createChallenge(_:by:idempotencyKey:)` does: a
    /// stored policy out of its ranges is damage, refused here rather than met in formation.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            minimumSize: try container.decode(Int.self, forKey: .minimumSize),
            maximumSize: try container.decode(Int.self, forKey: .maximumSize),
            preferredSize: try container.decode(Int.self, forKey: .preferredSize),
            minimumSharedHours: try container.decode(Int.self, forKey: .minimumSharedHours),
            minimumCountries: try container.decode(Int.self, forKey: .minimumCountries),
            minimumDistinctSkills: try container.decode(Int.self, forKey: .minimumDistinctSkills))
        do {
            try validate()
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .minimumSize, in: container, debugDescription: error.description)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case minimumSize, maximumSize, preferredSize, minimumSharedHours, minimumCountries, minimumDistinctSkills
    }

    package func validate() throws(CommunityError) {
        guard minimumSize >= 2, minimumSize <= maximumSize, maximumSize <= 12 else {
            throw .invalidInput(
                field: "team size",
                reason:
                    "teams need 2 to 12 members with the minimum at most the maximum, not \(minimumSize)…\(maximumSize)"
            )
        }
        guard (minimumSize...maximumSize).contains(preferredSize) else {
            throw .invalidInput(
                field: "preferred team size",
                reason: "must be within \(minimumSize)…\(maximumSize), not \(preferredSize)")
        }
        guard (1...14).contains(minimumSharedHours) else {
            throw .invalidInput(
                field: "minimum shared hours",
                reason: "must be 1 to 14 (the window is 08:00 to 22:00), not \(minimumSharedHours)")
        }
        guard (1...minimumSize).contains(minimumCountries) else {
            throw .invalidInput(
                field: "minimum countries",
                reason: "must be 1 to the minimum team size (\(minimumSize)), not \(minimumCountries)")
        }
        guard minimumDistinctSkills >= 0 else {
            throw .invalidInput(field: "minimum distinct skills", reason: "must not be negative")
        }
    }
}

/// A rule a team can break.
public enum TeamConstraint: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case size, countries, sharedHours, skills

    public var description: String {
        switch self {
        case .size: "team size"
        case .countries: "countries"
        case .sharedHours: "shared working hours"
        case .skills: "spread of skills"
        }
    }
}

/// A team as formed, with what it spans and shares.
public struct FormedTeam: Hashable, Sendable, Codable {
    /// 1, 2, 3, … in the order of the team's shared window.
    public var number: Int
    /// Sorted.
    public var members: [MemberID]
    /// Sorted.
    public var countries: [CountryCode]
    /// The working hours (local 08:00 to 22:00 for each member) the members share on the day
    /// of the building phase when they share the fewest.
    public var sharedHours: Double
    /// The longest stretch of shared time on that day, in UTC ("13:00–17:00 UTC"); nil when
    /// the members share none.
    public var sharedWindowUTC: String?
    /// Sorted, distinct.
    public var skills: [String]
    /// Languages every member speaks, sorted.
    public var commonLanguages: [String]
    /// The constraints the team breaks; empty when it meets them all.
    public var unmet: [TeamConstraint]

    public var meetsEveryConstraint: Bool { unmet.isEmpty }
}

/// Why a registrant is in no team.
public enum UnplacedReason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Fewer registrants than the smallest team.
    case tooFewRegistrants(registrants: Int, minimumSize: Int)
    /// No team with room shares the required hours with them; `bestSharedHours` is the most any did.
    case noTeamWithinReach(bestSharedHours: Double, required: Int)

    public var description: String {
        switch self {
        case .tooFewRegistrants(let registrants, let minimumSize):
            "only \(registrants) registered, fewer than the smallest team (\(minimumSize))"
        case .noTeamWithinReach(let best, let required):
            "no team with room shares \(required) working hours with them (the best shares "
                + "\(TeamFormation.hours(best)))"
        }
    }
}

/// A registrant left out, and why.
public struct UnplacedRegistrant: Hashable, Sendable, Codable {
    public var member: MemberID
    public var reason: UnplacedReason
}

/// What happened to a request to team with someone.
public enum TeammateRequestNote: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The other registrant did not ask for them in return, so it was not binding.
    case notReturned(from: MemberID, to: MemberID)
    /// The named member did not register.
    case notRegistered(from: MemberID, to: MemberID)
    /// A group of mutual requests was larger than the largest team and was split.
    case groupSplit(members: [MemberID], maximumSize: Int)

    public var description: String {
        switch self {
        case .notReturned(let from, let to): "\(from) asked for \(to), who did not ask for them: not binding"
        case .notRegistered(let from, let to): "\(from) asked for \(to), who did not register"
        case .groupSplit(let members, let maximumSize):
            "the group \(members.map(\.description).joined(separator: ", ")) is larger than a team "
                + "(\(maximumSize)) and was split"
        }
    }
}

/// The outcome of forming teams: the teams, who was left out and why, and what became of
/// teammate requests.
public struct TeamFormationReport: Hashable, Sendable, Codable {
    public var teams: [FormedTeam]
    /// Sorted by member.
    public var unplaced: [UnplacedRegistrant]
    public var requestNotes: [TeammateRequestNote]
    public var registrants: Int

    /// The share of registrants placed in a team (1 when there are none).
    public var placementRate: Double {
        registrants == 0 ? 1 : Double(registrants - unplaced.count) / Double(registrants)
    }

    /// The share of teams that meet every constraint (1 when there are none).
    public var satisfactionRate: Double {
        teams.isEmpty ? 1 : Double(teams.count { $0.meetsEveryConstraint }) / Double(teams.count)
    }
}

/// Forms teams from a challenge's registrants: deterministic for a seed, and compared in the
/// docs and the benchmark with ``greedyBaseline(_:policy:building:)``.
///
/// The method:
/// 1. Mutual teammate requests join registrants into groups, which stay whole (a group larger
///    than a team is split, and the report says so).
/// 2. Groups and single registrants are ordered by the UTC start of their working window (ties
///    in an order drawn from the seed) and filled, in that order, into teams of the preferred
///    size: neighbours in that order share most of their working hours.
/// 3. Repair by swaps: a team that breaks a constraint (one country only, too few skills, too
///    little shared time) swaps one single registrant with one of another team within reach
///    when the swap makes it whole and leaves the other team no worse.
/// 4. Registrants of teams that stayed below the minimum size join the team with room that
///    shares the most hours with them (if it stays within every constraint it met), or are
///    reported unplaced with the most hours any such team shared.
public enum TeamFormation {
    /// Forms teams. `building` is the building phase: shared hours must hold on each of its days.
    ///
    /// - Complexity: O(r × c) candidate checks for r registrants, with c at most 2,000 (the
    ///   registrants each team looks ahead at, in window order), each check over the building
    ///   phase's shared windows; `challenge-benchmark` forms 5,000 registrants in under 2 seconds.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a policy out of its ranges or a
    ///   building phase outside the supported years.
    public static func form(
        _ registrations: [ChallengeRegistration], policy: TeamFormationPolicy, building: DateInterval, seed: UInt64
    ) throws(CommunityError) -> TeamFormationReport {
        try check(policy, building)
        var state = Formation(registrations, policy: policy, building: building)
        guard state.people.count >= policy.minimumSize else { return state.tooFew() }
        let (units, notes) = state.groups()
        var random = SeededGenerator(seed: seed)
        let ordered = units.map { ($0, random.next()) }.sorted { a, b in
            let (startA, startB) = (state.windowStart(of: a.0), state.windowStart(of: b.0))
            return startA != startB ? startA < startB : a.1 < b.1
        }.map(\.0)
        var teams = state.fill(ordered)
        // Teams that could not grow to the minimum (nobody near enough in time) are dissolved.
        let leftovers = teams.filter { $0.count < policy.minimumSize }.flatMap { $0 }
        teams.removeAll { $0.count < policy.minimumSize }
        state.repair(&teams)
        let unplaced = state.placeLeftovers(leftovers, into: &teams)
        return state.report(teams, unplaced: unplaced, notes: notes)
    }

    /// The simple baseline the docs compare with: registrants sorted by their UTC offset at the
    /// start of the building phase (ties by member id), cut in that order into teams of the
    /// preferred size; a last team smaller than the minimum is left unplaced. No requests, no
    /// countries, no skills.
    ///
    /// - Complexity: O(r log r).
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)`, as ``form(_:policy:building:seed:)``.
    public static func greedyBaseline(
        _ registrations: [ChallengeRegistration], policy: TeamFormationPolicy, building: DateInterval
    ) throws(CommunityError) -> TeamFormationReport {
        try check(policy, building)
        let state = Formation(registrations, policy: policy, building: building)
        guard state.people.count >= policy.minimumSize else { return state.tooFew() }
        let offsets = state.people.map { $0.registration.timeZone.timeZone.secondsFromGMT(for: building.start) }
        let order = state.people.indices.sorted {
            offsets[$0] != offsets[$1] ? offsets[$0] < offsets[$1] : state.people[$0].id < state.people[$1].id
        }
        var teams: [[Int]] = []
        for start in stride(from: 0, to: order.count, by: policy.preferredSize) {
            teams.append(Array(order[start..<min(start + policy.preferredSize, order.count)]))
        }
        var unplaced: [UnplacedRegistrant] = []
        if let last = teams.last, last.count < policy.minimumSize {
            teams.removeLast()
            unplaced = last.map {
                UnplacedRegistrant(
                    member: state.people[$0].id,
                    reason: .noTeamWithinReach(bestSharedHours: 0, required: policy.minimumSharedHours))
            }
        }
        return state.report(teams, unplaced: unplaced, notes: [])
    }

    /// Hours as people write them: "4", "4.5", "3.75".
    static func hours(_ value: Double) -> String {
        String(format: "%g", value)
    }
}

/// The working state of one formation: registrants by index, their windows per stretch of the
/// building phase, and the checks of a team.
private struct Formation {
    struct Person {
        var registration: ChallengeRegistration
        var id: MemberID { registration.member }
        var windows: [QuarterHours]
        /// Index into the formation's skill list, sorted.
        var skills: [Int]
    }

    let policy: TeamFormationPolicy
    var people: [Person] = []
    let requiredSkills: Int
    /// The index of the person in a group of mutual requests (they are never swapped), or nil.
    var grouped: Set<Int> = []

    init(_ registrations: [ChallengeRegistration], policy: TeamFormationPolicy, building: DateInterval) {
        self.policy = policy
        // One registration per member, in member order: the input order never matters.
        var unique: [MemberID: ChallengeRegistration] = [:]
        for registration in registrations { unique[registration.member] = registration }
        let sorted = unique.values.sorted { $0.member < $1.member }
        let calendar = WorkingHoursCalendar(timeZones: sorted.map(\.timeZone), period: building)
        let allSkills = Array(Set(sorted.flatMap(\.skills))).sorted()
        let skillIndex = Dictionary(uniqueKeysWithValues: allSkills.enumerated().map { ($1, $0) })
        people = sorted.map { registration in
            Person(
                registration: registration, windows: calendar.windows(of: registration.timeZone),
                skills: Set(registration.skills.compactMap { skillIndex[$0] }).sorted())
        }
        requiredSkills = min(policy.minimumDistinctSkills, allSkills.count)
    }

    func tooFew() -> TeamFormationReport {
        TeamFormationReport(
            teams: [],
            unplaced: people.map {
                UnplacedRegistrant(
                    member: $0.id,
                    reason: .tooFewRegistrants(registrants: people.count, minimumSize: policy.minimumSize))
            }, requestNotes: [], registrants: people.count)
    }

    // MARK: Groups

    /// Groups of mutual requests (split when larger than a team) and single registrants, with
    /// notes on the requests that were not binding.
    mutating func groups() -> (units: [[Int]], notes: [TeammateRequestNote]) {
        let index = Dictionary(uniqueKeysWithValues: people.enumerated().map { ($1.id, $0) })
        var parent = Array(people.indices)
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        var notes: [TeammateRequestNote] = []
        for (position, person) in people.enumerated() {
            for wanted in Set(person.registration.teammates).sorted() where wanted != person.id {
                guard let other = index[wanted] else {
                    notes.append(.notRegistered(from: person.id, to: wanted))
                    continue
                }
                guard people[other].registration.teammates.contains(person.id) else {
                    notes.append(.notReturned(from: person.id, to: wanted))
                    continue
                }
                let (a, b) = (root(position), root(other))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var members: [Int: [Int]] = [:]
        for position in people.indices { members[root(position), default: []].append(position) }
        var units: [[Int]] = []
        for group in members.keys.sorted().map({ members[$0]! }) {
            if group.count > 1 { grouped.formUnion(group) }
            if group.count > policy.maximumSize {
                notes.append(.groupSplit(members: group.map { people[$0].id }, maximumSize: policy.maximumSize))
                for start in stride(from: 0, to: group.count, by: policy.maximumSize) {
                    units.append(Array(group[start..<min(start + policy.maximumSize, group.count)]))
                }
            } else {
                units.append(group)
            }
        }
        return (units, notes)
    }

    /// The first UTC quarter of a unit's shared window in the first stretch (its longest run).
    func windowStart(of unit: [Int]) -> Int {
        let shared = unit.reduce(QuarterHours.all) { $0.intersection(people[$1].windows.first ?? QuarterHours.all) }
        return shared.longestRun?.start ?? 0
    }

    // MARK: Filling and repair

    /// Builds teams in window order: each starts with the first unit not yet placed and takes,
    /// until it has the preferred size, the unit that suits it best among the next few (a
    /// country it lacks first, then skills it lacks, then the nearest), looking further ahead
    /// for a second country when the near ones all share one. Every unit taken keeps the
    /// team's shared hours. The last team may be short; the caller places its members.
    func fill(_ units: [[Int]]) -> [[Int]] {
        let lookahead = 24
        let countryReach = 2_000
        var taken = [Bool](repeating: false, count: units.count)
        var first = 0
        var teams: [[Int]] = []
        while true {
            while first < units.count, taken[first] { first += 1 }
            guard first < units.count else { break }
            taken[first] = true
            var team = units[first]
            var shared = sharedWindows(team)
            while team.count < policy.preferredSize {
                let countries = Set(team.map { people[$0].registration.country })
                let skills = Set(team.flatMap { people[$0].skills })
                let needsCountry = countries.count < policy.minimumCountries
                var best: (score: Int, unit: Int)?
                var seen = 0
                var index = first + 1
                while index < units.count, seen < countryReach {
                    defer { index += 1 }
                    guard !taken[index] else { continue }
                    seen += 1
                    let unit = units[index]
                    let newCountry = unit.contains { !countries.contains(people[$0].registration.country) }
                    if seen > lookahead && !(needsCountry && newCountry) { continue }
                    guard fits(unit, joining: team.count), keepsHours(shared, unit) else { continue }
                    let newSkills = Set(unit.flatMap { people[$0].skills }).subtracting(skills).count
                    let score = (needsCountry && newCountry ? 10_000 : 0) + 100 * newSkills - seen
                    if best == nil || score > best!.score { best = (score, index) }
                    if needsCountry && newCountry && seen > lookahead { break }
                }
                guard let best else { break }
                taken[best.unit] = true
                team += units[best.unit]
                shared = sharedWindows(team)
            }
            teams.append(team)
        }
        return teams
    }

    /// Whether a unit may join a team of `size`: within the preferred size, or within the
    /// maximum when a group would not fit otherwise.
    private func fits(_ unit: [Int], joining size: Int) -> Bool {
        size + unit.count <= policy.preferredSize || (unit.count > 1 && size + unit.count <= policy.maximumSize)
    }

    /// A team's shared quarters on each stretch.
    private func sharedWindows(_ team: [Int]) -> [QuarterHours] {
        guard let first = team.first else { return [] }
        return people[first].windows.indices.map { stretch in
            team.reduce(QuarterHours.all) { $0.intersection(people[$1].windows[stretch]) }
        }
    }

    /// Whether adding `unit` keeps the required shared hours on every stretch.
    private func keepsHours(_ shared: [QuarterHours], _ unit: [Int]) -> Bool {
        let required = policy.minimumSharedHours * 4
        for (stretch, window) in shared.enumerated() {
            let joined = unit.reduce(window) { $0.intersection(people[$1].windows[stretch]) }
            if joined.count < required { return false }
        }
        return true
    }

    /// The quarters a team shares on its worst stretch.
    func sharedQuarters(_ team: [Int]) -> Int {
        guard let first = team.first else { return 0 }
        var least = Int.max
        for stretch in people[first].windows.indices {
            var shared = QuarterHours.all
            for person in team { shared = shared.intersection(people[person].windows[stretch]) }
            least = min(least, shared.count)
        }
        return least == Int.max ? 0 : least
    }

    /// The constraints a team breaks.
    func unmet(_ team: [Int]) -> [TeamConstraint] {
        var unmet: [TeamConstraint] = []
        if !(policy.minimumSize...policy.maximumSize).contains(team.count) { unmet.append(.size) }
        if Set(team.map { people[$0].registration.country }).count < policy.minimumCountries {
            unmet.append(.countries)
        }
        if sharedQuarters(team) < policy.minimumSharedHours * 4 { unmet.append(.sharedHours) }
        if Set(team.flatMap { people[$0].skills }).count < requiredSkills { unmet.append(.skills) }
        return unmet
    }

    /// How far a team is from meeting every constraint: the broken ones, then (to break ties
    /// toward better teams) missing countries, skills and quarters.
    func shortfall(_ team: [Int]) -> Int {
        let countries = Set(team.map { people[$0].registration.country }).count
        let skills = Set(team.flatMap { people[$0].skills }).count
        let quarters = sharedQuarters(team)
        return 1_000 * unmet(team).count + 10 * max(0, policy.minimumCountries - countries)
            + 10 * max(0, requiredSkills - skills) + max(0, policy.minimumSharedHours * 4 - quarters)
    }

    /// Swaps single registrants between a failing team and teams near it in window order when
    /// that lowers the total shortfall and leaves the other team meeting what it met.
    func repair(_ teams: inout [[Int]]) {
        let reach = 12
        for _ in 0..<3 {
            var changed = false
            for index in teams.indices where !unmet(teams[index]).isEmpty {
                var best: (gain: Int, other: Int, mine: Int, theirs: Int)?
                let before = shortfall(teams[index])
                let lower = max(0, index - reach)
                let upper = min(teams.count - 1, index + reach)
                for other in lower...upper where other != index {
                    let otherBefore = shortfall(teams[other])
                    let otherUnmet = Set(unmet(teams[other]))
                    for (mine, a) in teams[index].enumerated() where !grouped.contains(a) {
                        for (theirs, b) in teams[other].enumerated() where !grouped.contains(b) {
                            guard
                                people[a].registration.country != people[b].registration.country
                                    || people[a].skills != people[b].skills
                            else { continue }
                            var first = teams[index]
                            var second = teams[other]
                            first[mine] = b
                            second[theirs] = a
                            let secondUnmet = Set(unmet(second))
                            guard secondUnmet.isSubset(of: otherUnmet) else { continue }
                            let gain = before + otherBefore - shortfall(first) - shortfall(second)
                            if gain > 0, best == nil || gain > best!.gain {
                                best = (gain, other, mine, theirs)
                            }
                        }
                    }
                }
                if let best {
                    let a = teams[index][best.mine]
                    teams[index][best.mine] = teams[best.other][best.theirs]
                    teams[best.other][best.theirs] = a
                    changed = true
                }
            }
            if !changed { break }
        }
    }

    /// Puts each left-over registrant in the team with room that keeps every constraint it
    /// met and shares the most hours with them; reports the rest.
    func placeLeftovers(_ leftovers: [Int], into teams: inout [[Int]]) -> [UnplacedRegistrant] {
        var unplaced: [UnplacedRegistrant] = []
        for person in leftovers {
            var best: (index: Int, quarters: Int)?
            var bestAny = 0
            for (index, team) in teams.enumerated() where team.count < policy.maximumSize {
                let joined = team + [person]
                let quarters = sharedQuarters(joined)
                bestAny = max(bestAny, quarters)
                guard Set(unmet(joined)).isSubset(of: Set(unmet(team))) else { continue }
                if best == nil || quarters > best!.quarters { best = (index, quarters) }
            }
            if let best {
                teams[best.index].append(person)
            } else {
                unplaced.append(
                    UnplacedRegistrant(
                        member: people[person].id,
                        reason: .noTeamWithinReach(
                            bestSharedHours: Double(bestAny) / 4, required: policy.minimumSharedHours)))
            }
        }
        return unplaced
    }

    // MARK: Report

    func report(_ teams: [[Int]], unplaced: [UnplacedRegistrant], notes: [TeammateRequestNote])
        -> TeamFormationReport
    {
        let described = teams.map { team -> (start: Int, team: FormedTeam) in
            let members = team.sorted { people[$0].id < people[$1].id }
            var worst = QuarterHours.all
            if let first = members.first {
                for stretch in people[first].windows.indices {
                    let shared = members.reduce(QuarterHours.all) { $0.intersection(people[$1].windows[stretch]) }
                    if shared.count < worst.count { worst = shared }
                }
            }
            let run = worst.longestRun
            var languages = Set(members.first.map { people[$0].registration.languages } ?? [])
            for member in members.dropFirst() { languages.formIntersection(people[member].registration.languages) }
            let team = FormedTeam(
                number: 0, members: members.map { people[$0].id },
                countries: Set(members.map { people[$0].registration.country }).sorted(),
                sharedHours: Double(worst.count) / 4,
                sharedWindowUTC: run.map { Self.utcWindow(start: $0.start, length: $0.length) },
                skills: Set(members.flatMap { people[$0].registration.skills }).sorted(),
                commonLanguages: languages.sorted(), unmet: unmet(members))
            return (run?.start ?? 0, team)
        }
        let ordered = described.sorted { (a: (start: Int, team: FormedTeam), b: (start: Int, team: FormedTeam)) in
            a.start != b.start ? a.start < b.start : a.team.members.lexicographicallyPrecedes(b.team.members)
        }
        var numbered: [FormedTeam] = []
        for (index, entry) in ordered.enumerated() {
            var team = entry.team
            team.number = index + 1
            numbered.append(team)
        }
        return TeamFormationReport(
            teams: numbered, unplaced: unplaced.sorted { $0.member < $1.member }, requestNotes: notes,
            registrants: people.count)
    }

    static func utcWindow(start: Int, length: Int) -> String {
        func clock(_ quarter: Int) -> String {
            let minutes = (quarter % 96) * 15
            return String(format: "%02d:%02d", minutes / 60, minutes % 60)
        }
        return "\(clock(start))–\(clock(start + length)) UTC"
    }
}

extension TeamFormation {
    /// What both formations need: a policy within its ranges (it may come from anywhere, not only
    /// from a challenge that checked it) and a building phase in the supported years.
    static func check(_ policy: TeamFormationPolicy, _ building: DateInterval) throws(CommunityError) {
        try policy.validate()
        try Validate.date(building.start, field: "building.start")
        try Validate.date(building.end, field: "building.end")
    }
}
