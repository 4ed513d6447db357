import CommunityModel
import Foundation
import Storage

extension MemberDataModule {
    /// Recognition's collections: badge awards (revoked on erasure, so that public assertions
    /// say "revoked" and name no recipient), spotlights, benchmark members, thank-you notes.
    public static let recognition = MemberDataModule(
        name: "Recognition",
        collections: [
            .records(
                RecognitionService.awards, module: "Recognition",
                holds: "badges awarded: revoked as erased on request (the public assertion then has no recipient)",
                found: [.index("member")],
                erasure: .tombstone { stored, erasure in
                    guard stored.revocation == nil else { return }
                    stored.revocation = .init(reason: StoredAward.erasedOnRequest, by: erasure.erasedBy, at: erasure.at)
                }),
            .records(
                RecognitionService.spotlights, module: "Recognition",
                holds: "spotlights featuring them, with the reason",
                found: [.index("member")], erasure: .delete),
            .records(
                RecognitionService.benchmarkMembers, module: "Recognition",
                holds: "months they were a programme's benchmark member, with the reason", found: [.index("member")],
                erasure: .delete),
            .records(
                RecognitionService.notes, module: "Recognition", holds: "thank-you notes to them and from them",
                found: [.index("to"), .scan { note, member in note.from == member }], erasure: .delete),
            .noMemberData(
                RecognitionService.homeworkPicks.name, module: "Recognition",
                holds: "log positions of check-ins staff picked (the check-in itself is erased with its member)"),
        ])
}

extension StoredAward {
    /// The reason an erased member's awards are revoked with.
    public static let erasedOnRequest = "erased on request"
}
