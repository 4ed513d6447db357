import CommunityChallenge
import CommunityModel
import Foundation

/// Team formation fed random registrants (countries, time zones of every offset, skills,
/// languages, mutual and one-sided teammate requests) and any policy.
///
/// Properties: with a policy that validates, every registrant is in exactly one team or
/// reported unplaced, teams are within the size limits and numbered from 1, a team said to
/// meet every constraint does (countries; skills, or all the skills named if fewer), and the
/// same seed gives the same teams;
/// a policy out of range is refused with a typed error.
enum TeamFormationHarness {
    static let zones = [
        "UTC", "Africa/Nairobi", "Asia/Kathmandu", "Pacific/Kiritimati", "America/St_Johns", "America/Lima",
        "Asia/Tokyo", "Europe/Berlin", "Pacific/Pago_Pago",
    ].compactMap { try? TimeZoneID($0) }
    static let countries = ["KE", "NG", "PE", "JP", "DE", "NP", "IN", "BR"].compactMap { try? CountryCode($0) }
    static let skills = ["data", "design", "writing", "python", "finance", "research"]

    static let target = FuzzTarget(
        name: "team-formation",
        summary: "random registrants and policies: everyone placed once or reported, sizes and constraints hold"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let minimum = input.bool() ? 2 + Int(input.byte() % 4) : input.anyInt()
        let maximum = input.bool() ? minimum &+ Int(input.byte() % 4) : input.anyInt()
        let policy = TeamFormationPolicy(
            minimumSize: minimum, maximumSize: maximum, preferredSize: input.bool() ? nil : input.anyInt(),
            minimumSharedHours: input.bool() ? 1 + Int(input.byte() % 8) : input.anyInt(),
            minimumCountries: input.bool() ? 1 + Int(input.byte() % 3) : input.anyInt(),
            minimumDistinctSkills: input.bool() ? Int(input.byte() % 4) : input.anyInt())
        let count = Int(input.byte() % 64)
        let members = (0..<count).map { MemberID("m\($0)") }
        var registrations: [ChallengeRegistration] = []
        for member in members {
            guard !input.isExhausted else { break }
            let chosen = Set((0..<(1 + Int(input.byte() % 3))).map { _ in input.pick(skills) }).sorted()
            let teammates = (0..<Int(input.byte() % 3)).map { _ in input.pick(members) }
            registrations.append(
                ChallengeRegistration(
                    challenge: "c1", member: member, country: input.pick(countries), timeZone: input.pick(zones),
                    skills: chosen, languages: input.bool() ? ["en"] : ["en", "fr"], teammates: teammates,
                    registeredAt: Date(timeIntervalSince1970: 1_767_225_600)))
        }
        let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(input.byte()) * 86_400)
        let building = DateInterval(start: start, duration: Double(1 + input.byte() % 14) * 86_400)
        let seed = UInt64(bitPattern: input.int64())
        let report: TeamFormationReport
        do {
            report = try TeamFormation.form(registrations, policy: policy, building: building, seed: seed)
            _ = try TeamFormation.greedyBaseline(registrations, policy: policy, building: building)
        } catch {
            try expect(!withinDocumentedRanges(policy), "a policy within its documented ranges was refused: \(error)")
            return
        }
        try expect(withinDocumentedRanges(policy), "a policy out of its documented ranges formed teams")
        let again = try? TeamFormation.form(registrations, policy: policy, building: building, seed: seed)
        try expect(report == again, "the same seed formed other teams")
        let placed = report.teams.flatMap(\.members)
        let unplaced = report.unplaced.map(\.member)
        try expect(Set(placed).count == placed.count, "a registrant is in two teams")
        try expect(Set(placed).isDisjoint(with: unplaced), "a registrant is placed and unplaced")
        try expect(
            Set(placed + unplaced) == Set(registrations.map(\.member))
                && placed.count + unplaced.count == registrations.count,
            "registrants went missing: \(placed.count) placed, \(unplaced.count) unplaced of \(registrations.count)")
        try expect(report.registrants == registrations.count, "the report counts \(report.registrants) registrants")
        try expect(report.teams.map(\.number) == report.teams.indices.map { $0 + 1 }, "teams are not numbered 1…n")
        let byMember = Dictionary(uniqueKeysWithValues: registrations.map { ($0.member, $0) })
        // The policy's minimum, or every skill registrants named if they named fewer.
        let requiredSkills = min(policy.minimumDistinctSkills, Set(registrations.flatMap(\.skills)).count)
        for team in report.teams {
            try expect(
                (policy.minimumSize...policy.maximumSize).contains(team.members.count),
                "a team of \(team.members.count) (limits \(policy.minimumSize)…\(policy.maximumSize))")
            let countries = Set(team.members.compactMap { byMember[$0]?.country })
            let skills = Set(team.members.flatMap { byMember[$0]?.skills ?? [] })
            try expect(
                team.unmet.contains(.countries) == (countries.count < policy.minimumCountries),
                "team \(team.number) has \(countries.count) countries and says \(team.unmet)")
            try expect(
                team.unmet.contains(.skills) == (skills.count < requiredSkills),
                "team \(team.number) has \(skills.count) skills and says \(team.unmet)")
        }
    }

    /// `TeamFormationPolicy`'s ranges as its documentation states them (2 to 12 members, the
    /// preferred size between the minimum and the maximum, 1 to 14 shared hours, 1 country to
    /// the minimum size, no negative number of skills): the harness's own statement, so that a
    /// check that drifted from the documentation is noticed.
    static func withinDocumentedRanges(_ policy: TeamFormationPolicy) -> Bool {
        guard policy.minimumSize >= 2, policy.maximumSize <= 12, policy.minimumSize <= policy.maximumSize else {
            return false
        }
        return policy.preferredSize >= policy.minimumSize && policy.preferredSize <= policy.maximumSize
            && policy.minimumSharedHours >= 1 && policy.minimumSharedHours <= 14 && policy.minimumCountries >= 1
            && policy.minimumCountries <= policy.minimumSize && policy.minimumDistinctSkills >= 0
    }
}
