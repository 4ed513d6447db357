import CommunityModel
import Storage

extension MemberDataModule {
    /// Guidelines' collections: acknowledgements, training attendance, FAQ reads.
    public static let guidelines = MemberDataModule(
        name: "Guidelines",
        collections: [
            .records(
                GuidelineCollections.acknowledgements, module: "Guidelines",
                holds: "guideline versions acknowledged, and when", found: [.index("member")], erasure: .delete),
            .records(
                GuidelineCollections.attendance, module: "Guidelines", holds: "organizer training sessions attended",
                found: [.index("member")], erasure: .delete),
            .records(
                GuidelineCollections.faqReads, module: "Guidelines", holds: "when they read the FAQ",
                found: [.memberID], erasure: .delete),
            .noMemberData(GuidelineCollections.documents.name, module: "Guidelines", holds: "the guideline texts"),
            .noMemberData(
                GuidelineCollections.current.name, module: "Guidelines", holds: "which guidelines are current"),
            .noMemberData(GuidelineCollections.trainingSessions.name, module: "Guidelines", holds: "training sessions"),
            .noMemberData(GuidelineCollections.faq.name, module: "Guidelines", holds: "the FAQ"),
        ])
}
