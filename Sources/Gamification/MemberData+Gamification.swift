import CommunityModel
import Storage

extension MemberDataModule {
    /// Gamification's collections: check-ins and their homework, make-ups, reward grants,
    /// points adjustments.
    public static let gamification = MemberDataModule(
        name: "Gamification",
        collections: [
            .records(
                GamificationService.checkIns, module: "Gamification",
                holds: "homework check-ins, with the homework submitted (title, text, link)",
                found: [
                    .index("member-programme") { store, member in
                        try await store.fetchAll(Collections.programmes).map { CompositeKey.make(member, $0.value.id) }
                    }
                ],
                erasure: .delete),
            .records(
                GamificationService.makeUps, module: "Gamification",
                holds: "make-up check-ins used, per programme and month",
                found: [.idPrefix], erasure: .delete),
            .records(
                GamificationService.grants, module: "Gamification",
                holds: "rewards earned and their fulfilment: kept with the opaque id only (history cleared, an "
                    + "open reward declined), so that projections folding the log again do not grant it anew",
                found: [.index("member")],
                erasure: .tombstone { grant, _ in
                    grant.history = []
                    if grant.status != .shipped { grant.status = .declined }
                }),
            .records(
                GamificationService.adjustments, module: "Gamification",
                holds: "points staff added or took, with the reason",
                found: [.index("member")], erasure: .delete),
        ])
}
