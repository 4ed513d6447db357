import CommunityModel
import Storage

extension MemberDataModule {
    /// The Community Challenge's collections. A team's submission is the team's joint work: it
    /// stays, by a former member when they submitted it; teams, scores and results keep the
    /// member's opaque id, which outputs show as a former member. A team's skills came from its
    /// members' registrations (free text): a team the member was in loses its list of skills.
    public static let challenge = MemberDataModule(
        name: "CommunityChallenge",
        collections: [
            .records(
                Collections.challengeRegistrations, module: "CommunityChallenge",
                holds: "challenge registrations: country, time zone, skills, languages, teammates asked for",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.challengeTeams, module: "CommunityChallenge",
                holds: "the teams they were in: their opaque id stays, the team's skills (from its members' "
                    + "registrations) are cleared",
                found: [.scan { team, member in team.members.contains(member) }],
                erasure: .tombstone { team, _ in team.formed.skills = [] }, exported: false),
            .records(
                Collections.submissions, module: "CommunityChallenge",
                holds: "submissions they made for their team (the team's work: kept)",
                found: [.scan { submission, member in submission.submittedBy == member }], erasure: .keep),
            .records(
                Collections.judgeScores, module: "CommunityChallenge", holds: "scores they gave as a judge",
                found: [.scan { score, member in score.judge == member }], erasure: .keep),
            .noMemberData(Collections.challenges.name, module: "CommunityChallenge", holds: "the challenges"),
            .records(
                Collections.teamFormations, module: "CommunityChallenge",
                holds: "how teams were formed: their opaque id stays, the skills of their team are cleared",
                found: [
                    .scan { record, member in
                        record.report.teams.contains { $0.members.contains(member) }
                            || record.report.unplaced.contains { $0.member == member }
                    }
                ],
                erasure: .tombstone { record, erasure in
                    for index in record.report.teams.indices
                    where record.report.teams[index].members.contains(erasure.member) {
                        record.report.teams[index].skills = []
                    }
                }, exported: false),
            .noMemberData(
                Collections.challengeResults.name, module: "CommunityChallenge", holds: "the ranking of teams"),
        ])
}
