import Foundation
import Storage

extension ActivityKind {
    /// Staff erased the member's data on request. The entry holds nothing personal (the member's
    /// opaque id, the staff member who acted); every projection drops the member's facts.
    public static let memberErased = ActivityKind("memberErased")
}

/// Everything the library holds about one member, as one JSON document: what a member asks for
/// under GDPR articles 15 and 20.
///
/// The document (schema `learning-community/member-data`, version 1):
///
/// ```json
/// {
///   "schema": "learning-community/member-data",
///   "version": 1,
///   "member": "0193…",
///   "exportedAt": "2026-12-05T09:00:00.000Z",
///   "collections": {
///     "members": { "module": "CommunityModel", "records": [ { "id": "0193…", "value": { … } } ] },
///     "posts": { "module": "CommunityModel", "records": [ … ] }
///   },
///   "activity": [ { "id": "…", "kind": "startedThread", "time": …, … } ],
///   "sections": { "points": { … } }
/// }
/// ```
///
/// Each record's `value` is the record as the library stores it, in JSON with sorted keys and
/// times in ISO 8601 UTC with milliseconds; ``values(of:)`` reads them back into their types.
/// Collections with no record of the member are left out. `activity` is the member's stream of
/// the activity log, oldest first; `sections` hold what services fold from the log (the points
/// statement and streaks). A later version adds fields; a reader ignores fields it does not
/// know.
public struct MemberDataExport: Hashable, Sendable, Codable {
    public static let schema = "learning-community/member-data"
    public static let currentVersion = 1

    /// One collection's records of the member.
    public struct Collection: Hashable, Sendable, Codable {
        /// The module that declared it.
        public var module: String
        public var records: [Entry]
    }

    /// One record: its id in the collection and its value.
    public struct Entry: Hashable, Sendable, Codable {
        public var id: String
        public var value: JSONValue
    }

    public var schema: String
    public var version: Int
    public var member: MemberID
    public var exportedAt: Date
    /// By collection name.
    public var collections: [String: Collection]
    /// The member's own stream of the activity log, oldest first.
    public var activity: [ActivityEvent]
    /// By section name: what services fold from the log (``MemberDataSection``).
    public var sections: [String: JSONValue]

    package init(
        member: MemberID, exportedAt: Date, collections: [String: Collection], activity: [ActivityEvent],
        sections: [String: JSONValue]
    ) {
        schema = Self.schema
        version = Self.currentVersion
        self.member = member
        self.exportedAt = exportedAt
        self.collections = collections
        self.activity = activity
        self.sections = sections
    }

    /// The document as JSON: pretty, keys sorted.
    public func json() throws(CommunityError) -> Data {
        do { return try JSONValue.exportEncoder(pretty: true).encode(self) } catch {
            throw .invalidState("the export could not be written as JSON: \(error)")
        }
    }

    /// Reads a document ``json()`` wrote.
    ///
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` when it is not such a document, or
    ///   of a later version than this library reads.
    public init(json: Data) throws(CommunityError) {
        do { self = try JSONValue.exportDecoder().decode(Self.self, from: json) } catch {
            throw .invalidInput(field: "json", reason: "is not a member data export: \(error)")
        }
        guard schema == Self.schema else {
            throw .invalidInput(
                field: "schema", reason: "is \(schema.debugDescription), not \(Self.schema.debugDescription)")
        }
        guard (1...Self.currentVersion).contains(version) else {
            throw .invalidInput(
                field: "version", reason: "\(version) is not one this library reads (1 to \(Self.currentVersion))")
        }
    }

    /// The records of `collection` in the document, by id, read back into their type.
    public func values<Value>(of collection: RecordCollection<Value>) throws(CommunityError) -> [String: Value] {
        var values: [String: Value] = [:]
        for entry in collections[collection.name]?.records ?? [] {
            do { values[entry.id] = try entry.value.decoded(as: Value.self) } catch {
                throw .invalidInput(
                    field: "collections.\(collection.name)",
                    reason: "record \(entry.id.debugDescription) does not read as a \(Value.self): \(error)")
            }
        }
        return values
    }
}

/// What an erasure did.
public struct ErasureReport: Hashable, Sendable {
    public var member: MemberID
    /// Records deleted, by collection.
    public var deleted: [String: Int] = [:]
    /// Records kept as tombstones (what the member wrote or was cleared), by collection.
    public var tombstoned: [String: Int] = [:]
    /// Keyed hashes of the person's outside identities kept, so an import recognises them
    /// (pseudonymous: whoever holds the store, and so its key, can test a guessed email).
    public var identitiesRemembered = 0
    /// Whether the store made deleted data unrecoverable from its files afterwards (see
    /// `DataStore.discardDeletedData()`); false when that failed, and should be run again.
    public var discardedDeletedData = false
    /// Whether this was a repeat of an erasure already done with the same idempotency key (its
    /// look for records stored meanwhile, and the discarding of deleted data, run again).
    public var isRepeat = false
    /// Whether the last look after the commit found nothing left to erase. False when commands
    /// kept storing the member's records during three looks: repeat the erasure with its
    /// idempotency key to look again.
    public var isSettled = false
}

extension CommunityService {
    /// The names to show for members whose ids come from records (authors, organizers, team
    /// members): each member's display name, or ``FormerMember/displayName`` for an id whose
    /// member was erased (no member has it any more). Anyone may read display names.
    public func displayNames(of ids: some Sequence<MemberID>) async throws(CommunityError) -> [MemberID: String] {
        try await query {
            var names: [MemberID: String] = [:]
            for id in Set(ids) {
                names[id] =
                    try await store.fetch(id.rawValue, from: Collections.members)?.value.profile.displayName
                    ?? FormerMember.displayName
            }
            return names
        }
    }

    /// Everything the library holds about `memberID`, as declared by the modules in `rights`.
    ///
    /// The member themself may export it (also while suspended: their data stays theirs), and
    /// staff and community managers may, for a request they handle.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else;
    ///   ``CommunityError/notFound(kind:id:)`` for an unknown (or erased) member.
    public func exportMemberData(of memberID: MemberID, by requesterID: MemberID, rights: DataRights)
        async throws(CommunityError) -> MemberDataExport
    {
        try await authorize(
            .themselfOrSupport(memberID, whileSuspended: true), by: requesterID,
            to: "export the data of \(memberID)")
        var export = try await transact { tx in
            _ = try await tx.member(memberID)
            var collections: [String: MemberDataExport.Collection] = [:]
            for declaration in rights.collections where declaration.exported {
                let entries = try await declaration.find(tx.store, memberID).compactMap { record in
                    try declaration.export(record, memberID).map {
                        MemberDataExport.Entry(id: record.key.id, value: $0)
                    }
                }
                guard !entries.isEmpty else { continue }
                collections[declaration.name] = MemberDataExport.Collection(
                    module: declaration.module, records: entries)
            }
            let activity = try await tx.store.allEntries(matching: .stream(ActivityEvent.stream(of: memberID)))
                .map { try ActivityEvent($0.entry) }
            return MemberDataExport(
                member: memberID, exportedAt: tx.now, collections: collections, activity: activity, sections: [:])
        }
        for section in rights.sections {
            export.sections[section.sectionName] = try await section.exportSection(of: memberID, by: requesterID)
        }
        return export
    }

    /// Erases a member on request (GDPR article 17): every record the modules in `rights`
    /// declare is deleted, or kept as a tombstone where others' content depends on it, in one
    /// commit with a ``ActivityKind/memberErased`` entry that holds nothing personal, so that
    /// every projection drops the member's facts and outputs show a ``FormerMember``. The log
    /// stays whole: its entries refer to the member's opaque id only.
    ///
    /// A keyed hash of the member's email (and of any school id an import linked) is kept, so
    /// that a later import recognises the person without keeping their data, and does not bring
    /// them back unless asked. Afterwards the store discards what it still holds of deleted
    /// records where it can (SQLite's write-ahead log); see the data-rights article for what the
    /// database administrator must handle (backups, PostgreSQL's dead rows and WAL).
    ///
    /// Staff and community managers erase; nobody erases themself (another staff member does,
    /// so that the request is handled by someone who can be asked about it).
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else;
    ///   ``CommunityError/notFound(kind:id:)`` for an unknown (or already erased) member;
    ///   ``CommunityError/invalidInput(field:reason:)`` for erasing oneself.
    @discardableResult
    public func eraseMember(
        _ memberID: MemberID, by staffID: MemberID, rights: DataRights, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> ErasureReport {
        let replay = Replay<ErasureReport>(keep: { $0.member.rawValue }) { kept, _ in
            ErasureReport(member: MemberID(kept ?? memberID.rawValue), isRepeat: true)
        }
        var report = try await transact(by: staffID, key: idempotencyKey, replay: replay) { tx in
            let staff = try await tx.member(staffID).value
            try await tx.authorize(.staff, by: staff, to: "erase a member's data")
            guard memberID != staffID else {
                throw CommunityError.invalidInput(
                    field: "member", reason: "nobody erases themself; another staff member erases them")
            }
            let member = try await tx.member(memberID).value
            var report = ErasureReport(member: memberID)
            let context = ErasureContext(member: memberID, erasedBy: staffID, at: tx.now)
            let identities = try await tx.eraseRecords(of: context, rights: rights, into: &report)
            report.identitiesRemembered = try await ErasedIdentities.remember(identities, in: tx)
            try tx.log(.memberErased, member: member, .init(actor: staffID, subject: .member(memberID)))
            return report
        }
        // Also on a repeat: the first call may have stopped after its commit.
        try await sweep(memberID, by: staffID, rights: rights, into: &report)
        report.discardedDeletedData = (try? await store.discardDeletedData()) != nil
        return report
    }
}

extension CommunityService {
    /// Erases what a command that raced the erasure stored for the member after the erasure
    /// read (a reaction committed between the read and the commit): found again and erased,
    /// until a pass finds nothing left to change.
    fileprivate func sweep(
        _ memberID: MemberID, by staffID: MemberID, rights: DataRights, into report: inout ErasureReport
    ) async throws(CommunityError) {
        for _ in 1...3 {
            let changed = try await transact { tx -> ErasureReport in
                var pass = ErasureReport(member: memberID)
                let context = ErasureContext(member: memberID, erasedBy: staffID, at: tx.now)
                _ = try await tx.eraseRecords(of: context, rights: rights, into: &pass)
                return pass
            }
            guard !changed.deleted.isEmpty || !changed.tombstoned.isEmpty else {
                report.isSettled = true
                return
            }
            report.deleted.merge(changed.deleted, uniquingKeysWith: +)
            report.tombstoned.merge(changed.tombstoned, uniquingKeysWith: +)
        }
    }
}

extension Transaction {
    /// Adds the erasure of every record the modules in `rights` declare for the member, counts
    /// it in `report`, and returns the member's outside identities found on the way.
    nonisolated(nonsending) fileprivate func eraseRecords(
        of context: ErasureContext, rights: DataRights, into report: inout ErasureReport
    ) async throws -> [String] {
        var identities: [String] = []
        for declaration in rights.collections where declaration.rule != .notMemberData {
            for record in try await declaration.find(store, context.member) {
                identities += try declaration.identities(record)
                switch try declaration.erase(record, context, &batch) {
                case .delete: report.deleted[declaration.name, default: 0] += 1
                case .rewrite: report.tombstoned[declaration.name, default: 0] += 1
                case .keep: break
                }
            }
        }
        return identities
    }
}

/// Keyed hashes of erased people's outside identities (an email, a school id): enough for an
/// import to recognise a person it must not bring back, nothing that reads back as the value.
/// They are pseudonymous, not anonymous: the key is made once per store from the service's
/// secret source and kept in the store, so whoever holds the store can test a guessed email.
package enum ErasedIdentities {
    package struct Key: Codable, Sendable {
        package var bytes: [UInt8]
    }

    package struct Erased: Codable, Hashable, Sendable {
        package var at: Date
    }

    /// Id `key`: the HMAC key, made at the first erasure.
    package static let keys = RecordCollection<Key>("erasure-key")
    /// Id: the hex HMAC of the identity.
    package static let identities = RecordCollection<Erased>("erased-identities")

    /// The id under which an identity is remembered: HMAC-SHA256 of `identity` (an email
    /// lowercased, `school:` and a school id) under the store's key, in hex.
    package static func id(of identity: String, key: [UInt8]) -> String {
        HMACSHA256.authenticationCode(for: Array(("erased\0" + identity).utf8), key: key)
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    /// The store's key, or nil before the first erasure.
    package static func key(in store: any DataStore) async throws -> [UInt8]? {
        try await store.fetch("key", from: keys)?.value.bytes
    }

    /// Adds a record of each identity to the transaction (making the key if need be).
    static func remember(_ values: [String], in tx: Transaction) async throws -> Int {
        guard !values.isEmpty else { return 0 }
        let key: [UInt8]
        if let existing = try await tx.find("key", in: keys) {
            key = existing.value.bytes
        } else {
            key = tx.service.secrets.secretBytes(32)
            try tx.create(Key(bytes: key), id: "key", in: keys)
        }
        var added = 0
        for id in Set(values.map { Self.id(of: $0, key: key) }).sorted()
        where try await tx.find(id, in: identities) == nil {
            try tx.create(Erased(at: tx.now), id: id, in: identities)
            added += 1
        }
        return added
    }
}
