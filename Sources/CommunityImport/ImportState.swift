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
    /// `member|programme` → when enrolled, and whether completed.
    var enrolments: [String: (enrolledAt: Int64, completed: Bool)] = [:]
    /// `chapter|member` → whether they organize it.
    var memberships: [String: Bool] = [:]
    var hasFounder = false
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
            state.chapters = Set(try await store.fetchAll(Collections.chapters).map(\.value.id))
            for enrolment in try await store.fetchAll(Collections.enrolments) {
                state.enrolments[enrolment.id] = (
                    Timestamp(enrolment.value.enrolledAt).millisecondsSince1970, enrolment.value.isCompleted
                )
            }
            for membership in try await store.fetchAll(Collections.memberships) {
                state.memberships[membership.id] = membership.value.isOrganizer
            }
            state.hasFounder = try await store.fetch("founder", from: Collections.founding) != nil
            let head = try await store.head()
            if head > 0, let last = try await store.entries(after: head - 1, limit: 1).last {
                state.lastTime = last.entry.time.millisecondsSince1970
            }
            return state
        }
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

    mutating func handled(_ location: ImportLocation) {
        rows += 1
        lines[location.file] = max(lines[location.file] ?? 0, location.line)
    }

    struct Writes {
        var order: [RecordKey] = []
        var writes: [RecordKey: RecordWrite] = [:]
        var values: [RecordKey: any Sendable] = [:]

        /// Puts `value`; a record already written in this chunk keeps its first expectation.
        mutating func put<Value>(
            _ value: Value, id: String, in collection: RecordCollection<Value>, expecting: ExpectedVersion
        ) throws {
            let key = collection.key(id)
            var expected = expecting
            if let earlier = writes[key], case .put(_, _, _, let first) = earlier {
                expected = first
            } else {
                order.append(key)
            }
            writes[key] = .put(
                key, data: try collection.encode(value), indexes: collection.indexes(of: value), expected: expected)
            values[key] = value
        }

        func value<Value>(_ id: String, in collection: RecordCollection<Value>) -> Value? {
            values[collection.key(id)] as? Value
        }
    }
}
