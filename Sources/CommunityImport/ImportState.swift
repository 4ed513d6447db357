import CommunityModel
import Foundation
import Storage

/// What the import knows of the community while it loads: enough to check every row without
/// reading the store, rebuilt from the store when an import resumes. The importer is the only
/// writer while it runs (the import marker refuses commands).
struct ImportState {
    struct MemberInfo {
        var id: MemberID
        var zone: TimeZoneID
        var joinedAt: Int64
    }

    /// school id → the member.
    var members: [String: MemberInfo] = [:]
    var emails: Set<String> = []
    var programmes: Set<ProgrammeID> = []
    var chapters: Set<ChapterID> = []
    /// The chapters as stored (a few dozen), with their versions: appointments change them.
    var chapterRecords: [ChapterID: Versioned<Chapter>] = [:]
    /// `member|programme` → when enrolled, and whether completed.
    var enrolments: [String: (enrolledAt: Int64, completed: Bool)] = [:]
    /// `chapter|member` → when they joined, and whether they organize it.
    var memberships: [String: (joinedAt: Int64, organizes: Bool)] = [:]
    var hasFounder = false
    /// The key of erased identities' hashes, and the hashes (ids of `erased-identities`).
    var erasureKey: [UInt8]?
    var erasedIdentities: Set<String> = []
    /// The time of the log's last entry: no row may be earlier.
    var lastTime: Int64?
    /// Time zones met, shared between members.
    var zones: [String: TimeZoneID] = [:]

    static func load(from store: any DataStore) async throws(CommunityError) -> ImportState {
        try await withCommunityErrors { () async throws -> ImportState in
            var state = ImportState()
            var byID: [String: (zone: TimeZoneID, joinedAt: Int64)] = [:]
            for member in try await store.fetchAll(Collections.members) {
                byID[member.id] = (
                    member.value.profile.timeZone, Timestamp(member.value.joinedAt).millisecondsSince1970
                )
            }
            for link in try await store.fetchAll(ImportCollections.links) {
                guard let known = byID[link.value.member.rawValue] else { continue }
                state.members[link.id] = MemberInfo(id: link.value.member, zone: known.zone, joinedAt: known.joinedAt)
            }
            state.emails = Set(try await store.fetchAll(Collections.emails).map(\.id))
            state.programmes = Set(try await store.fetchAll(Collections.programmes).map(\.value.id))
            for chapter in try await store.fetchAll(Collections.chapters) {
                state.chapters.insert(chapter.value.id)
                state.chapterRecords[chapter.value.id] = chapter
            }
            for enrolment in try await store.fetchAll(Collections.enrolments) {
                state.enrolments[enrolment.id] = (
                    Timestamp(enrolment.value.enrolledAt).millisecondsSince1970, enrolment.value.isCompleted
                )
            }
            for membership in try await store.fetchAll(Collections.memberships) {
                state.memberships[membership.id] = (
                    Timestamp(membership.value.joinedAt).millisecondsSince1970, membership.value.isOrganizer
                )
            }
            state.hasFounder = try await store.fetch("founder", from: Collections.founding) != nil
            state.erasureKey = try await ErasedIdentities.key(in: store)
            if state.erasureKey != nil {
                state.erasedIdentities = Set(
                    try await store.allRecords(in: ErasedIdentities.identities.name).map(\.key.id))
            }
            let head = try await store.head()
            if head > 0, let last = try await store.entries(after: head - 1, limit: 1).last {
                state.lastTime = last.entry.time.millisecondsSince1970
            }
            return state
        }
    }

    /// Whether the person with this email or school id was erased on request.
    func wasErased(email: String, schoolID: String) -> Bool {
        guard let erasureKey, !erasedIdentities.isEmpty else { return false }
        return erasedIdentities.contains(ErasedIdentities.id(of: email, key: erasureKey))
            || erasedIdentities.contains(ErasedIdentities.id(of: ImportLink.identity(schoolID), key: erasureKey))
    }

    mutating func zone(_ zone: TimeZoneID) -> TimeZoneID {
        if let known = zones[zone.identifier] { return known }
        zones[zone.identifier] = zone
        return zone
    }
}

/// The rows of one transaction: their record writes (one per record: a record written twice
/// keeps the version it was read at), entries and rejections.
struct Chunk {
    var writes = Writes()
    var entries: [LogEntry] = []
    var rejections: [ImportRejection] = []
    /// file → the last line handled in this chunk.
    var lines: [String: Int] = [:]
    var rows = 0
    var imported = 0
    /// Roles members gained in this chunk (alumnus, organizer): their records are read and
    /// written once, when the chunk commits.
    var roles: [MemberID: Set<Role>] = [:]

    mutating func handled(_ location: ImportLocation) {
        rows += 1
        lines[location.file] = max(lines[location.file] ?? 0, location.line)
    }

    struct Writes {
        /// Every write, in the order first made.
        private(set) var list: [RecordWrite] = []
        /// Where the writes of records that a later row may change again sit in `list`.
        private var slots: [RecordKey: Int] = [:]
        /// The values of the members written, for the roles a later row adds.
        private var members: [String: Member] = [:]

        /// Adds the creation of a record that nothing in the import changes afterwards.
        mutating func create<Value>(_ value: Value, id: String, in collection: RecordCollection<Value>) throws {
            let key = collection.key(id)
            list.append(
                .put(key, data: try collection.encode(value), indexes: collection.indexes(of: value), expected: .absent)
            )
        }

        /// Puts `value`; a record already written in this chunk keeps its first expectation.
        mutating func put<Value>(
            _ value: Value, id: String, in collection: RecordCollection<Value>, expecting: ExpectedVersion
        ) throws {
            let key = collection.key(id)
            var expected = expecting
            var slot = list.count
            if let earlier = slots[key] {
                slot = earlier
                if case .put(_, _, _, let first) = list[earlier] { expected = first }
            }
            let write = RecordWrite.put(
                key, data: try collection.encode(value), indexes: collection.indexes(of: value), expected: expected)
            if slot == list.count {
                list.append(write)
                slots[key] = slot
            } else {
                list[slot] = write
            }
            if let member = value as? Member { members[id] = member }
        }

        func written(_ key: RecordKey) -> Bool { slots[key] != nil }

        func member(_ id: MemberID) -> Member? { members[id.rawValue] }
    }
}
