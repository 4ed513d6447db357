import CommunityModel
import Storage

/// Reading what an import stored, as a test does: raw records decoded by the library's record
/// decoder.
enum StoredRecords {
    /// The member an import minted for the school id of an `import-members` record.
    static func importedMember(_ link: Record) throws -> MemberID {
        struct Link: Decodable { var member: MemberID }
        return try RecordDecoder().decode(Link.self, from: link.data).member
    }

    /// Every record of `collection` decoded as `type`.
    static func all<Value: Decodable>(_ type: Value.Type, in collection: String, of store: any DataStore)
        async throws -> [Value]
    {
        try await store.allRecords(in: collection).map { try RecordDecoder().decode(type, from: $0.data) }
    }
}
