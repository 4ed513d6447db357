import CommunityModel
import Storage

/// The records an import keeps beside the community's own.
enum ImportCollections {
    /// school id → the member the import minted for them. Erasure deletes it (index `member`).
    static let links = RecordCollection<ImportLink>("import-members") { ["member": $0.member.rawValue] }
    /// One per import (id: its source): the last line of each file handled, and the counts.
    static let progress = RecordCollection<ImportProgress>("import-progress")
    /// The rows an import refused, until it finishes (then they are in its report).
    static let rejections = RecordCollection<ImportRejection>("import-rejections") { _ in [:] }
    /// The log head when the last import finished (id `last`): a new import begins only while
    /// the log still ends there, that is, while the community has no live activity.
    static let status = RecordCollection<ImportStatus>("import-status")
}

/// The school's id for a member, and the member the import minted for it.
struct ImportLink: Codable, Hashable, Sendable {
    var member: MemberID
    var source: String

    /// How erasure remembers a school id (a keyed hash of this).
    static func identity(_ schoolID: String) -> String { "school:" + schoolID }
}

/// How far an import got: written with every chunk, in the chunk's own transaction.
struct ImportProgress: Codable, Hashable, Sendable {
    var source: String
    /// file → the last line handled (imported or rejected).
    var lines: [String: Int] = [:]
    /// The time of the latest timed row imported (milliseconds since 1970).
    var lastTime: Int64?
    var imported = 0
    var rejected = 0
    var entries = 0

    /// The progress as JSON with sorted keys is canonical: `lines` is keyed by strings.
    init(source: String) { self.source = source }
}

/// Where the log ended when the last import finished.
struct ImportStatus: Codable, Hashable, Sendable {
    var source: String
    var head: UInt64
}

extension MemberDataModule {
    /// The import's collections: the school's id of each imported member (deleted on erasure,
    /// with a keyed hash kept so that a later import does not bring the person back unless
    /// asked), and the import's own bookkeeping.
    public static let communityImport = MemberDataModule(
        name: "CommunityImport",
        collections: [
            .records(
                ImportCollections.links, module: "CommunityImport",
                holds: "the school's id for the member (the record's id) and the import that brought them",
                found: [.index("member")], erasure: .delete, identities: { [ImportLink.identity($0.id)] }),
            .noMemberData(
                ImportCollections.progress.name, module: "CommunityImport", holds: "how far each import got"),
            .noMemberData(
                ImportCollections.rejections.name, module: "CommunityImport",
                holds: "rows refused by an import under way, with the reason (deleted when it finishes)"),
            .noMemberData(
                ImportCollections.status.name, module: "CommunityImport", holds: "where the last import ended"),
        ])
}
