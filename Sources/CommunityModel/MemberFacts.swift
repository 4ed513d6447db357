import Foundation
import Storage

/// What projections need to know about a member, as the log tells it: their country, their
/// consents, the chapters they belong to, their roles and their standing. Never a name, an
/// email or free text.
public struct MemberFacts: Hashable, Sendable {
    public var country: CountryCode
    public var consents: Set<Consent>
    public var chapters: Set<ChapterID>
    /// The roles granted and not revoked (an organizer's chapters are in the organizer records).
    public var roles: Set<Role>
    /// When a suspension ends; nil when none was ordered or it was lifted.
    public var suspendedUntil: Date?

    public init(
        country: CountryCode, consents: Set<Consent>, chapters: Set<ChapterID> = [], roles: Set<Role> = [],
        suspendedUntil: Date? = nil
    ) {
        self.country = country
        self.consents = consents
        self.chapters = chapters
        self.roles = roles
        self.suspendedUntil = suspendedUntil
    }

    /// Whether the member is in good standing at `date`: not suspended then.
    public func isInGoodStanding(at date: Date) -> Bool { suspendedUntil.map { $0 <= date } ?? true }
}

/// Every member's facts, folded from the log: `joinedCommunity` and `profileUpdated` (country,
/// consents and roles), `joinedChapter` and `leftChapter`, `roleGranted`, `roleRevoked` and
/// `becameOrganizer`, `completed` (alumni), `suspended` and `suspensionLifted`; `memberErased`
/// forgets the member. Hosted on a ``ProjectionHost``, it lets
/// every process learn a withdrawn consent or a new chapter from the log, with no call to make
/// and no record to read.
///
/// A member whose facts the log does not hold (their entries were written by an earlier version)
/// is unknown here until ``CommunityService/recordMemberFacts(by:after:limit:)`` writes them.
public struct MemberFactsProjection: ActivityProjection, Equatable {
    public let checkpointName: String
    public var configuration: String { "member-facts v2" }
    public private(set) var position: UInt64 = 0
    private var facts: [MemberID: MemberFacts] = [:]
    /// Chapters joined before the member's facts were known, kept until they are.
    private var pendingChapters: [MemberID: Set<ChapterID>] = [:]
    /// Members whose facts changed since ``takeTouched()``: not part of the state.
    private var touched: Set<MemberID> = []

    public init(checkpointName: String = "member-facts") { self.checkpointName = checkpointName }

    /// Equal when they are at the same position with the same facts (what was touched aside).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.checkpointName == rhs.checkpointName && lhs.position == rhs.position && lhs.facts == rhs.facts
            && lhs.pendingChapters == rhs.pendingChapters
    }

    /// The member's facts, or nil when the log holds none.
    ///
    /// - Complexity: O(1).
    public func facts(of member: MemberID) -> MemberFacts? { facts[member] }

    /// Members whose facts the log holds.
    public var count: Int { facts.count }

    /// The members whose facts changed since the last call, sorted, and forgets them.
    public mutating func takeTouched() -> [MemberID] {
        defer { touched = [] }
        return touched.sorted()
    }

    /// - Complexity: O(1) per entry; the state is O(members + memberships).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        switch event.kind {
        case .joinedCommunity, .profileUpdated:
            guard let country = event.details.country, let consents = event.details.consents else { return }
            var known = facts[event.member] ?? MemberFacts(country: country, consents: consents)
            known.country = country
            known.consents = consents
            if let roles = event.details.roles { known.roles = roles }
            if event.details.roles != nil { known.suspendedUntil = event.details.until }
            if let pending = pendingChapters.removeValue(forKey: event.member) { known.chapters.formUnion(pending) }
            facts[event.member] = known
        case .joinedChapter:
            guard let chapter = event.chapter else { return }
            if facts[event.member] != nil {
                facts[event.member]?.chapters.insert(chapter)
            } else {
                pendingChapters[event.member, default: []].insert(chapter)
            }
        case .leftChapter:
            guard let chapter = event.chapter else { return }
            facts[event.member]?.chapters.remove(chapter)
            pendingChapters[event.member]?.remove(chapter)
        case .roleGranted, .becameOrganizer, .completed:
            let role =
                event.kind == .completed
                ? .alumnus : event.details.role ?? (event.kind == .becameOrganizer ? .chapterOrganizer : nil)
            guard let role else { return }
            facts[event.member]?.roles.insert(role)
        case .roleRevoked:
            guard let role = event.details.role else { return }
            facts[event.member]?.roles.remove(role)
        case .suspended:
            facts[event.member]?.suspendedUntil = event.details.until
        case .suspensionLifted:
            facts[event.member]?.suspendedUntil = nil
        case .memberErased:
            facts.removeValue(forKey: event.member)
            pendingChapters.removeValue(forKey: event.member)
        default: return
        }
        touched.insert(event.member)
    }

    public func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(facts.count))
        for (member, known) in facts.sorted(by: { $0.key < $1.key }) {
            writer.string(member.rawValue)
            writer.string(known.country.code)
            var bits: UInt64 = 0
            for (index, consent) in Consent.allCases.enumerated() where known.consents.contains(consent) {
                bits |= 1 << UInt64(index)
            }
            writer.unsigned(bits)
            Self.write(known.chapters, into: &writer)
            writer.unsigned(UInt64(known.roles.count))
            for role in known.roles.sorted() { writer.string(role.rawValue) }
            writer.integer(known.suspendedUntil.map { Timestamp($0).millisecondsSince1970 } ?? .min)
        }
        writer.unsigned(UInt64(pendingChapters.count))
        for (member, chapters) in pendingChapters.sorted(by: { $0.key < $1.key }) {
            writer.string(member.rawValue)
            Self.write(chapters, into: &writer)
        }
    }

    private static func write(_ chapters: Set<ChapterID>, into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(chapters.count))
        for chapter in chapters.sorted() { writer.string(chapter.rawValue) }
    }

    private static func chapters(from reader: inout BinaryReader) throws(StorageError) -> Set<ChapterID> {
        var chapters: Set<ChapterID> = []
        for _ in 0..<(try reader.count()) { chapters.insert(ChapterID(try reader.string())) }
        return chapters
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        var facts: [MemberID: MemberFacts] = [:]
        for _ in 0..<(try reader.count()) {
            let member = MemberID(try reader.string())
            let code = try reader.string()
            guard let country = try? CountryCode(code) else {
                throw reader.corrupt("\(code.debugDescription) is not a country code")
            }
            let bits = try reader.unsigned()
            let consents = Set(
                Consent.allCases.enumerated().filter { bits & (1 << UInt64($0.offset)) != 0 }.map(\.element))
            let chapters = try Self.chapters(from: &reader)
            var roles: Set<Role> = []
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                guard let role = Role(rawValue: name) else {
                    throw reader.corrupt("\(name.debugDescription) is not a role")
                }
                roles.insert(role)
            }
            let until = try reader.integer()
            // Suspensions are refused outside the supported years: another value is damage (and
            // would not survive the trip through `Date`).
            guard until == .min || LocalDate.supportedMilliseconds.contains(until) else {
                throw reader.corrupt("a suspension until \(until) ms is outside the years \(LocalDate.supportedYears)")
            }
            facts[member] = MemberFacts(
                country: country, consents: consents, chapters: chapters, roles: roles,
                suspendedUntil: until == .min ? nil : Timestamp(millisecondsSince1970: until).date)
        }
        var pending: [MemberID: Set<ChapterID>] = [:]
        for _ in 0..<(try reader.count()) {
            pending[MemberID(try reader.string())] = try Self.chapters(from: &reader)
        }
        self.facts = facts
        pendingChapters = pending
        touched = []
        self.position = position
    }
}

extension CommunityService {
    /// Writes the facts of existing members into the log (a `profileUpdated` entry with their
    /// country, consents, roles and the end of a suspension under way), once, for a log begun by
    /// an earlier version whose entries carried none: staff only, a page of members at a time
    /// (pass the returned cursor for the next). Members whose facts the log holds already are
    /// skipped.
    ///
    /// - Returns: the members written, and the cursor for the next page (nil at the end).
    public func recordMemberFacts(by staffID: MemberID, after cursor: String? = nil, limit: Int = 500)
        async throws(CommunityError) -> (written: Int, nextCursor: String?)
    {
        try Validate.limit(limit)
        try await authorize(.staff, by: staffID, to: "record members' facts")
        let page = try await members(after: cursor, limit: limit)
        var written = 0
        for member in page.items {
            // The check runs inside the command: a retry after a lost commit answer finds the
            // entry its first attempt wrote, and writes none again.
            let wrote = try await transact { tx -> Bool in
                let known = try await tx.store.allEntries(matching: .stream(ActivityEvent.stream(of: member.id)))
                    .contains { stored in
                        guard
                            stored.entry.kind == ActivityKind.joinedCommunity.rawValue
                                || stored.entry.kind == ActivityKind.profileUpdated.rawValue
                        else { return false }
                        return (try? ActivityEvent(stored.entry))?.details.roles != nil
                    }
                guard !known else { return false }
                let current = try await tx.member(member.id)
                var details = ActivityDetails(facts: current.value)
                if let standing = try await tx.find(member.id.rawValue, in: Collections.standings),
                    !standing.value.isInGoodStanding(at: tx.now)
                {
                    details.until = standing.value.suspendedUntil
                }
                try tx.log(
                    .profileUpdated, member: current.value,
                    .init(actor: staffID, subject: .member(member.id), details: details))
                return true
            }
            if wrote { written += 1 }
        }
        return (written, page.nextCursor)
    }
}
