import CommunityModel
import Storage

extension MemberDataModule {
    /// The Community Challenge's collections. A team's submission is the team's joint work: it
    /// stays, by a former member when they submitted it; teams, scores and results keep the
    /// member's opaque id, which outputs show as a former member.
    public static let challenge = MemberDataModule(
        name: "CommunityChallenge",
        collections: [
            .records(
                Collections.challengeRegistrations, module: "CommunityChallenge",
                holds: "challenge registrations: country, time zone, skills, languages, teammates asked for",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.challengeTeams, module: "CommunityChallenge",
                holds: "the teams they were in (their opaque id)",
                found: [.scan { team, member in team.members.contains(member) }], erasure: .keep),
            .records(
                Collections.submissions, module: "CommunityChallenge",
                holds: "submissions they made for their team (the team's work: kept)",
                found: [.scan { submission, member in submission.submittedBy == member }], erasure: .keep),
            .records(
                Collections.judgeScores, module: "CommunityChallenge", holds: "scores they gave as a judge",
                found: [.scan { score, member in score.judge == member }], erasure: .keep),
            .noMemberData(Collections.challenges.name, module: "CommunityChallenge", holds: "the challenges"),
            .noMemberData(
                Collections.teamFormations.name, module: "CommunityChallenge",
                holds: "how teams were formed (opaque ids, countries)"),
            .noMemberData(
                Collections.challengeResults.name, module: "CommunityChallenge", holds: "the ranking of teams"),
        ])
}
