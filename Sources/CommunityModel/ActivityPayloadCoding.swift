import Foundation
import Storage

/// The bytes of an activity event's payload: the fields that have no column of their own in the
/// log, in a small binary form that encodes and decodes in well under a microsecond (every
/// projection replays the log, millions of events at a time).
///
/// Layout, version 1: the version byte `0x01`; a 16-bit (little-endian) mask of which optional
/// fields are present; then the member, each present optional field in the order of
/// ``Field``, and the local date. Strings are a LEB128 length and UTF-8 bytes, integers are
/// zig-zag LEB128, an entry id is its 16 bytes. Version 2 is the same with a 32-bit mask; it
/// is written only when a field beyond the first 16 is present, so the common payload keeps
/// its size. Payloads written as JSON (the first byte `{`) by earlier versions still decode.
enum ActivityPayloadCoding {
    static let version: UInt8 = 2

    /// The optional fields, by their bit in the mask: the first 16 fit version 1's mask.
    enum Field: Int, CaseIterable {
        case actor, subjectOwner, chapter, programme, board, reverses
        case isFirstResponse, reaction, attendanceMode, waitlistPosition, certificateDate, role, shared, network
        case points, day
        case placement, country, consents, until, reversedKind, reversedDay, roles
    }

    /// What the payload holds: the member, their local day, and the event's context (whose
    /// subject has a column of its own and is never in the payload).
    struct Payload: Decodable, Equatable {
        var member: MemberID
        var localDate: LocalDate
        var context: ActivityContext

        init(member: MemberID, localDate: LocalDate, context: ActivityContext) {
            self.member = member
            self.localDate = localDate
            self.context = context
        }

        private enum Keys: String, CodingKey { case member, localDate }

        /// A JSON payload of an earlier version: the member, the day and the context's fields, flat.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            member = try container.decode(MemberID.self, forKey: .member)
            localDate = try container.decode(LocalDate.self, forKey: .localDate)
            context = try ActivityContext(from: decoder)
            context.subject = nil
        }
    }

    static func encode(_ payload: Payload) -> Data {
        var writer = BinaryWriter()
        let context = payload.context
        let details = context.details
        var mask: UInt32 = 0
        func mark(_ field: Field, _ present: Bool) { if present { mask |= 1 << UInt32(field.rawValue) } }
        mark(.actor, context.actor != nil)
        mark(.subjectOwner, context.subjectOwner != nil)
        mark(.chapter, context.chapter != nil)
        mark(.programme, context.programme != nil)
        mark(.board, context.board != nil)
        mark(.reverses, context.reverses != nil)
        mark(.isFirstResponse, details.isFirstResponse != nil)
        mark(.reaction, details.reaction != nil)
        mark(.attendanceMode, details.attendanceMode != nil)
        mark(.waitlistPosition, details.waitlistPosition != nil)
        mark(.certificateDate, details.certificateDate != nil)
        mark(.role, details.role != nil)
        mark(.shared, details.shared != nil)
        mark(.network, details.network != nil)
        mark(.points, details.points != nil)
        mark(.day, details.day != nil)
        mark(.placement, details.placement != nil)
        mark(.country, details.country != nil)
        mark(.consents, details.consents != nil)
        mark(.until, details.until != nil)
        mark(.reversedKind, details.reversedKind != nil)
        mark(.reversedDay, details.reversedDay != nil)
        mark(.roles, details.roles != nil)
        let width = mask >> 16 == 0 ? 2 : 4
        writer.byte(width == 2 ? 1 : 2)
        for byte in 0..<width { writer.bytes.append(UInt8(truncatingIfNeeded: mask >> UInt32(8 * byte))) }
        writer.string(payload.member.rawValue)
        if let actor = context.actor { writer.string(actor.rawValue) }
        if let owner = context.subjectOwner { writer.string(owner.rawValue) }
        if let chapter = context.chapter { writer.string(chapter.rawValue) }
        if let programme = context.programme { writer.string(programme.rawValue) }
        if let board = context.board { writer.string(board.rawValue) }
        if let reverses = context.reverses { writer.bytes.append(contentsOf: reverses.bytes) }
        if let first = details.isFirstResponse { writer.bytes.append(first ? 1 : 0) }
        if let reaction = details.reaction { writer.string(reaction.rawValue) }
        if let mode = details.attendanceMode { writer.string(mode.rawValue) }
        if let position = details.waitlistPosition { writer.integer(Int64(position)) }
        if let date = details.certificateDate { writer.date(date) }
        if let role = details.role { writer.string(role.rawValue) }
        if let shared = details.shared {
            switch shared {
            case .certificate(let programme):
                writer.bytes.append(0)
                writer.string(programme.rawValue)
            case .event(let event):
                writer.bytes.append(1)
                writer.string(event.rawValue)
            case .badge(let badge):
                writer.bytes.append(2)
                writer.string(badge.rawValue)
            case .spotlight(let month):
                writer.bytes.append(3)
                writer.string(month)
            }
        }
        if let network = details.network { writer.string(network) }
        if let points = details.points { writer.integer(Int64(points)) }
        if let day = details.day { writer.date(day) }
        if let placement = details.placement { writer.integer(Int64(placement)) }
        if let country = details.country { writer.string(country.code) }
        if let consents = details.consents {
            // By each consent's place in `Consent.allCases`, which only ever grows at its end.
            var bits: UInt64 = 0
            for (index, consent) in Consent.allCases.enumerated() where consents.contains(consent) {
                bits |= 1 << UInt64(index)
            }
            writer.unsigned(bits)
        }
        if let until = details.until { writer.integer(Timestamp(until).millisecondsSince1970) }
        if let kind = details.reversedKind { writer.string(kind.rawValue) }
        if let day = details.reversedDay { writer.date(day) }
        if let roles = details.roles {
            writer.unsigned(UInt64(roles.count))
            for role in roles.sorted() { writer.string(role.rawValue) }
        }
        writer.date(payload.localDate)
        return Data(writer.bytes)
    }

    /// Decodes the payload of `entry`.
    ///
    /// - Throws: ``Storage/StorageError/corruptRecord(collection:id:reason:)`` naming the entry
    ///   when the bytes are not a payload this library wrote.
    static func decode(_ entry: LogEntry) throws(StorageError) -> Payload {
        guard let first = entry.payload.first else { throw corrupt(entry, "the payload is empty") }
        if first == UInt8(ascii: "{") { return try entry.decodePayload(as: Payload.self) }
        guard first == 1 || first == 2 else {
            throw corrupt(
                entry, "the payload has format version \(first); this library reads versions 1 and \(version)")
        }
        var reader = BinaryReader(entry.payload, collection: "log", id: entry.id.description)
        _ = try reader.byte()
        var mask: UInt32 = 0
        for byte in 0..<(first == 1 ? 2 : 4) { mask |= UInt32(try reader.byte()) << UInt32(8 * byte) }
        guard mask >> Field.allCases.count == 0 else {
            throw corrupt(entry, "the payload marks fields this library does not know (mask \(mask))")
        }
        func has(_ field: Field) -> Bool { mask & 1 << UInt32(field.rawValue) != 0 }
        let member = MemberID(try reader.string())
        let actor = has(.actor) ? MemberID(try reader.string()) : nil
        let owner = has(.subjectOwner) ? MemberID(try reader.string()) : nil
        let chapter = has(.chapter) ? ChapterID(try reader.string()) : nil
        let programme = has(.programme) ? ProgrammeID(try reader.string()) : nil
        let board = has(.board) ? BoardID(try reader.string()) : nil
        let reverses = has(.reverses) ? EntryID(bytes: try reader.take(16)) : nil
        var details = ActivityDetails()
        if has(.isFirstResponse) { details.isFirstResponse = try reader.byte() != 0 }
        if has(.reaction) {
            details.reaction = try value(ReactionKind.self, reader.string(), entry)
        }
        if has(.attendanceMode) {
            details.attendanceMode = try value(AttendanceMode.self, reader.string(), entry)
        }
        if has(.waitlistPosition) { details.waitlistPosition = Int(clamping: try reader.integer()) }
        if has(.certificateDate) { details.certificateDate = try reader.date() }
        if has(.role) { details.role = try value(Role.self, reader.string(), entry) }
        if has(.shared) {
            switch try reader.byte() {
            case 0: details.shared = .certificate(ProgrammeID(try reader.string()))
            case 1: details.shared = .event(EventID(try reader.string()))
            case 2: details.shared = .badge(BadgeID(try reader.string()))
            case 3: details.shared = .spotlight(try reader.string())
            case let tag: throw corrupt(entry, "the shared item has the unknown tag \(tag)")
            }
        }
        if has(.network) { details.network = try reader.string() }
        if has(.points) { details.points = Int(clamping: try reader.integer()) }
        if has(.day) { details.day = try reader.date() }
        if has(.placement) { details.placement = Int(clamping: try reader.integer()) }
        if has(.country) {
            let code = try reader.string()
            guard let country = try? CountryCode(code) else {
                throw corrupt(entry, "\(code.debugDescription) is not a country code")
            }
            details.country = country
        }
        if has(.consents) {
            let bits = try reader.unsigned()
            // Bits of consents a later version added are left out: this version cannot show them.
            details.consents = Set(
                Consent.allCases.enumerated().filter { bits & (1 << UInt64($0.offset)) != 0 }.map(\.element))
        }
        if has(.until) { details.until = Timestamp(millisecondsSince1970: try reader.integer()).date }
        if has(.reversedKind) { details.reversedKind = ActivityKind(try reader.string()) }
        if has(.reversedDay) { details.reversedDay = try reader.date() }
        if has(.roles) {
            // Roles a later version added are left out: this version cannot hold them.
            var roles: Set<Role> = []
            for _ in 0..<(try reader.count()) {
                if let role = Role(rawValue: try reader.string()) { roles.insert(role) }
            }
            details.roles = roles
        }
        let localDate = try reader.date()
        try reader.expectEnd()
        return Payload(
            member: member, localDate: localDate,
            context: ActivityContext(
                actor: actor, subjectOwner: owner, chapter: chapter, programme: programme, board: board,
                reverses: reverses, details: details))
    }

    private static func value<Value: RawRepresentable<String>>(
        _ type: Value.Type, _ raw: String, _ entry: LogEntry
    ) throws(StorageError) -> Value {
        guard let value = Value(rawValue: raw) else {
            throw corrupt(entry, "\(raw.debugDescription) is not a \(Value.self)")
        }
        return value
    }

    private static func corrupt(_ entry: LogEntry, _ reason: String) -> StorageError {
        .corruptRecord(collection: "log", id: entry.id.description, reason: reason)
    }
}

extension BinaryWriter {
    mutating func date(_ date: LocalDate) {
        integer(Int64(date.year))
        integer(Int64(date.month))
        integer(Int64(date.day))
    }
}

extension BinaryReader {
    mutating func date() throws(StorageError) -> LocalDate {
        let year = Int(clamping: try integer())
        let month = Int(clamping: try integer())
        let day = Int(clamping: try integer())
        do {
            return try LocalDate(year: year, month: month, day: day)
        } catch {
            throw corrupt("\(error)")
        }
    }
}
