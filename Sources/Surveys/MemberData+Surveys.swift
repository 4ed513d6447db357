import CommunityModel
import Storage

extension MemberDataModule {
    /// Surveys' collections. Anonymous answers are folded into per-survey aggregates and texts
    /// that hold no member (that is what anonymous means): no one, not even erasure, can tell
    /// whose they were, so they stay.
    public static let surveys = MemberDataModule(
        name: "Surveys",
        collections: [
            .records(
                Collections.surveyResponses, module: "Surveys",
                holds: "their answers to surveys that are not anonymous",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.surveyRespondents, module: "Surveys",
                holds: "which surveys they answered (the answer itself is not kept with it when anonymous)",
                found: [.index("member")], erasure: .delete),
            .noMemberData(
                Collections.surveys.name, module: "Surveys", holds: "the surveys; who created them (an opaque id)"),
            .noMemberData(
                Collections.anonymousTallies.name, module: "Surveys", holds: "per-survey counts of anonymous answers"),
            .noMemberData(
                Collections.anonymousTexts.name, module: "Surveys",
                holds: "anonymous free-text answers, kept with no member: nothing tells whose they are"),
        ])
}
