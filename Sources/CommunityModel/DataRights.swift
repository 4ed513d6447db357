import Foundation
import Storage

/// What erasure does with a record that holds a member's data.
public enum ErasureRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// The record goes.
    case delete
    /// The record stays because others' content depends on it (a thread others replied to);
    /// what the member wrote or was is cleared, and outputs show a "former member".
    case tombstone
    /// The record stays unchanged: it holds the member's opaque id only, nothing personal, and
    /// others need it (a team they were in, a score they gave).
    case keep
    /// The collection holds no member's data.
    case notMemberData = "not member data"
}

/// The erasure under way, for a declaration that changes a record: whose, by whom, when.
public struct ErasureContext: Hashable, Sendable {
    /// The member being erased.
    public var member: MemberID
    /// The staff member who erases them.
    public var erasedBy: MemberID
    /// The erasure's time.
    public var at: Date
}

/// What erasure does with one record found for the member.
public enum ErasureAction: Sendable, Hashable {
    case delete
    /// Write the record back, changed.
    case rewrite
    case keep
}

/// How one collection's records are found for a member, exported and erased: one module's
/// declaration, in the manner of Moodle's privacy API. ``DataRights`` gathers every module's.
///
/// Build one with ``records(_:module:holds:found:erasure:identities:exported:exportedWhen:)`` or
/// ``noMemberData(_:module:holds:)``.
public struct MemberDataCollection: Sendable {
    /// The collection's name in the store.
    public let name: String
    /// The module that stores it.
    public let module: String
    /// What erasure does with it.
    public let rule: ErasureRule
    /// What it holds about a member, in words: the data-rights page lists it.
    public let holds: String
    /// Whether a member's export includes its records.
    public let exported: Bool
    let find: @Sendable (any DataStore, MemberID) async throws -> [Record]
    let export: @Sendable (Record, MemberID) throws -> JSONValue?
    let erase: @Sendable (Record, ErasureContext, inout WriteBatch) throws -> ErasureAction
    let identities: @Sendable (Record) throws -> [String]
    /// An exported value read back into its type and stored again: the record's bytes when the
    /// export kept every value (records are canonical).
    package let reencode: @Sendable (JSONValue) throws -> Data
    /// The member's records an export includes (for tests that compare an export with the store).
    package func exportedRecords(of member: MemberID, in store: any DataStore) async throws -> [Record] {
        guard exported else { return [] }
        return try await find(store, member).filter { try export($0, member) != nil }
    }

    /// A collection that holds no member's data (or only aggregates from which no member can be
    /// told): declared, so that a test can tell it was considered.
    public static func noMemberData(_ name: String, module: String, holds: String) -> Self {
        Self(
            name: name, module: module, rule: .notMemberData, holds: holds, exported: false,
            find: { _, _ in [] }, export: { _, _ in nil }, erase: { _, _, _ in .keep }, identities: { _ in [] },
            reencode: { _ in Data() })
    }

    /// A collection of member data.
    ///
    /// - Parameters:
    ///   - collection: the collection.
    ///   - module: the module that stores it.
    ///   - holds: what a record holds about a member, in words.
    ///   - found: every way a member's records are found (their union is taken).
    ///   - erasure: what erasure does with each record found.
    ///   - identities: values that identify the person outside the library (an email, the
    ///     school's id): erasure keeps a keyed hash of each, so that an import recognises them.
    ///   - exported: whether a member's export includes the records (false for records about
    ///     others that only mention the member).
    ///   - exportedWhen: of the records found, those the export includes (the member's own, not
    ///     others' that mention them); all when nil.
    public static func records<Value>(
        _ collection: RecordCollection<Value>, module: String, holds: String, found: [MemberDataLocator<Value>],
        erasure: MemberDataErasure<Value>, identities: (@Sendable (Versioned<Value>) -> [String])? = nil,
        exported: Bool = true, exportedWhen: (@Sendable (Value, MemberID) -> Bool)? = nil
    ) -> Self {
        Self(
            name: collection.name, module: module, rule: erasure.rule, holds: holds, exported: exported,
            find: { store, member in
                var records: [String: Record] = [:]
                for locator in found {
                    for record in try await locator.find(store, member, collection) { records[record.key.id] = record }
                }
                return records.keys.sorted().compactMap { records[$0] }
            },
            export: { record, member in
                let value = try collection.decode(record).value
                guard exportedWhen?(value, member) ?? true else { return nil }
                return try JSONValue.encoding(value)
            },
            erase: { record, context, batch in
                var versioned = try collection.decode(record)
                switch erasure.apply(&versioned.value, context) {
                case .delete:
                    batch.delete(record.key, expecting: record.version)
                    return .delete
                case .rewrite:
                    // A tombstone written before (an earlier pass) is left as it is.
                    guard try collection.encode(versioned.value) != record.data else { return .keep }
                    try batch.update(versioned, in: collection)
                    return .rewrite
                case .keep:
                    return .keep
                }
            },
            identities: { record in try identities?(collection.decode(record)) ?? [] },
            reencode: { value in try collection.encode(value.decoded(as: Value.self)) })
    }
}

/// One way to find a member's records in a collection.
public struct MemberDataLocator<Value: Codable & Sendable>: Sendable {
    let find: @Sendable (any DataStore, MemberID, RecordCollection<Value>) async throws -> [Record]

    /// The records whose index `name` holds the member's id.
    public static func index(_ name: String) -> Self {
        Self { store, member, collection in
            try await store.allRecords(in: collection.name, where: IndexQuery(name, equals: member.rawValue))
        }
    }

    /// The records whose index `name` holds one of `values` (composite keys such as
    /// `member|programme`).
    public static func index(
        _ name: String, values: @escaping @Sendable (any DataStore, MemberID) async throws -> [String]
    ) -> Self {
        Self { store, member, collection in
            var records: [Record] = []
            for value in try await values(store, member) {
                records += try await store.allRecords(in: collection.name, where: IndexQuery(name, equals: value))
            }
            return records
        }
    }

    /// The records whose id begins with the member's id and `|` (`member|programme|month`).
    public static var idPrefix: Self {
        Self { store, member, collection in
            let prefix = member.rawValue + "|"
            return try await records(of: collection, in: store) { $0.key.id.hasPrefix(prefix) }
        }
    }

    /// The records with these ids (absent ones are skipped).
    public static func ids(_ ids: @escaping @Sendable (any DataStore, MemberID) async throws -> [String]) -> Self {
        Self { store, member, collection in
            var records: [Record] = []
            for id in try await ids(store, member) {
                if let record = try await store.record(collection.key(id)) { records.append(record) }
            }
            return records
        }
    }

    /// The record whose id is the member's id.
    public static var memberID: Self { ids { _, member in [member.rawValue] } }

    /// Every record of the collection, read and kept when `belongs` says so: for records no
    /// index finds by member. Erasure is rare; the read is linear in the collection.
    public static func scan(_ belongs: @escaping @Sendable (Value, MemberID) -> Bool) -> Self {
        Self { store, member, collection in
            try await records(of: collection, in: store) { belongs(try collection.decode($0).value, member) }
        }
    }

    /// The records of `collection` that `keep` keeps, read a page at a time.
    private static func records(
        of collection: RecordCollection<Value>, in store: any DataStore, keeping keep: (Record) throws -> Bool
    ) async throws -> [Record] {
        var found: [Record] = []
        var cursor: String?
        repeat {
            let page = try await store.records(in: collection.name, where: nil, after: cursor, limit: 1_000)
            found += try page.records.filter(keep)
            cursor = page.nextCursor
        } while cursor != nil
        return found
    }
}

/// What erasure does with each of a collection's records found for a member.
public struct MemberDataErasure<Value: Sendable>: Sendable {
    let rule: ErasureRule
    let apply: @Sendable (inout Value, ErasureContext) -> ErasureAction

    /// Every record found is deleted.
    public static var delete: Self { Self(rule: .delete) { _, _ in .delete } }

    /// Every record found stays as it is (it holds the member's opaque id only).
    public static var keep: Self { Self(rule: .keep) { _, _ in .keep } }

    /// Every record found is rewritten by `scrub`, which clears what the member wrote or was.
    public static func tombstone(_ scrub: @escaping @Sendable (inout Value, ErasureContext) -> Void) -> Self {
        Self(rule: .tombstone) { value, context in
            scrub(&value, context)
            return .rewrite
        }
    }

    /// Each record found is deleted, rewritten or kept as `decide` says (after changing it when
    /// it says rewrite): for collections where the member's own records go and others' that
    /// mention them are scrubbed.
    public static func decide(
        _ rule: ErasureRule, _ decide: @escaping @Sendable (inout Value, ErasureContext) -> ErasureAction
    ) -> Self {
        Self(rule: rule, apply: decide)
    }
}

/// The words that stand for an erased member's text, and for the member, in records and outputs.
public enum FormerMember {
    /// What outputs show instead of an erased member's name.
    public static let displayName = "former member"
    /// What stands in a record instead of text an erased member wrote.
    public static let erasedText = "(erased on request)"
}

/// Member data a service folds from the log rather than stores as records (a points statement
/// and its lines, streaks): it adds a section to the member's export.
public protocol MemberDataSection: Sendable {
    /// The section's name in the export (`points`).
    var sectionName: String { get }

    /// The member's data in this section, read for `requester` (the member themself, also while
    /// suspended, or staff).
    func exportSection(of member: MemberID, by requester: MemberID) async throws(CommunityError) -> JSONValue
}

/// The collections of one module that hold member data, and how.
public struct MemberDataModule: Sendable {
    public var name: String
    public var collections: [MemberDataCollection]

    public init(name: String, collections: [MemberDataCollection]) {
        self.name = name
        self.collections = collections
    }
}

/// Every module's declaration of its member data: what a member's export reads and what their
/// erasure changes. Pass the modules the host uses (``MemberDataModule/community`` always, and
/// each other module's, e.g. `MemberDataModule.gamification`).
public struct DataRights: Sendable {
    public let modules: [MemberDataModule]
    /// Services whose member data is folded from the log rather than stored (a points statement,
    /// streaks): each adds a section to the export.
    public let sections: [any MemberDataSection]

    /// - Parameters:
    ///   - modules: every module's declaration of its collections.
    ///   - sections: the services that add a section to the export (`GamificationService`).
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` when two declarations name the
    ///   same collection or two sections share a name, or the community's own module is missing.
    public init(modules: [MemberDataModule], sections: [any MemberDataSection] = []) throws(CommunityError) {
        let names = sections.map(\.sectionName)
        guard Set(names).count == names.count else {
            throw .invalidInput(field: "sections", reason: "two sections share a name among \(names.sorted())")
        }
        self.sections = sections
        var seen: [String: String] = [:]
        for module in modules {
            for collection in module.collections {
                if let other = seen[collection.name] {
                    throw .invalidInput(
                        field: "modules",
                        reason:
                            "\(module.name) and \(other) both declare the collection \(collection.name.debugDescription)"
                    )
                }
                seen[collection.name] = module.name
            }
        }
        guard modules.contains(where: { $0.name == MemberDataModule.community.name }) else {
            throw .invalidInput(field: "modules", reason: "must include MemberDataModule.community")
        }
        self.modules = modules
    }

    /// Every declared collection, in module order.
    public var collections: [MemberDataCollection] { modules.flatMap(\.collections) }

    /// The declaration of the collection `name`, if any.
    public func declaration(of name: String) -> MemberDataCollection? { collections.first { $0.name == name } }

    /// Of the collections the store holds, those no module declares: a module stores something
    /// nobody said how to export or erase.
    public func undeclared(in store: any DataStore) async throws(CommunityError) -> [String] {
        let declared = Set(collections.map(\.name))
        return try await withCommunityErrors { try await store.collectionNames() }.filter { !declared.contains($0) }
            .sorted()
    }
}
