import CommunityModel
import Storage

extension MemberDataModule {
    /// Leadership's collection: organizers' programme recommendations.
    public static let leadership = MemberDataModule(
        name: "Leadership",
        collections: [
            .records(
                Collections.recommendations, module: "Leadership",
                holds: "programmes they recommended to their chapter as an organizer: the note is erased, the "
                    + "recommendation stays the chapter's",
                found: [.scan { recommendation, member in recommendation.organizer == member }],
                erasure: .tombstone { recommendation, _ in recommendation.note = FormerMember.erasedText })
        ])
}
