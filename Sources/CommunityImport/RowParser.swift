import CommunityModel
import Foundation
import Storage

/// Turns one CSV record of a school's file into an import row, cell by cell; a cell that does
/// not parse throws a ``CellError`` naming its column. What the cells mean (is the email well
/// formed, does the programme exist) is the import's to check, with the commands' rules.
struct RowParser {
    let columns: [String: Int]
    let fields: [String]

    struct CellError: Error {
        var field: String
        var reason: String
    }

    /// The cell of `column`, trimmed; empty when the column or the cell is missing.
    func cell(_ column: String) -> String {
        guard let index = columns[column], index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
    }

    func required(_ column: String) throws(CellError) -> String {
        let value = cell(column)
        guard !value.isEmpty else { throw CellError(field: column, reason: "is empty; the row needs it") }
        return value
    }

    func optional(_ column: String) -> String? {
        let value = cell(column)
        return value.isEmpty ? nil : value
    }

    func time(_ column: String) throws(CellError) -> Date {
        let text = try required(column)
        guard let date = Self.parseTime(text) else {
            throw CellError(
                field: column,
                reason: "\(text.debugDescription) is not a time: write RFC 3339, e.g. 2024-03-01T09:30:00Z or +01:00")
        }
        return date
    }

    func day(_ column: String) throws(CellError) -> LocalDate? {
        guard let text = optional(column) else { return nil }
        guard let (year, month, day) = Self.parseDay(Array(text.utf8)[...]), text.utf8.count == 10,
            let date = try? LocalDate(year: year, month: month, day: day)
        else {
            throw CellError(field: column, reason: "\(text.debugDescription) is not a day: write 2024-09-30")
        }
        return date
    }

    func words(_ column: String) -> [String] {
        cell(column).split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init)
    }

    func values<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(CellError) -> [Value]
    where Value.RawValue == String {
        var values: [Value] = []
        for word in words(column) {
            guard let value = Value(rawValue: word) else {
                throw CellError(field: column, reason: "\(word.debugDescription) is not one of the \(column) known")
            }
            values.append(value)
        }
        return values
    }

    func content(of kind: SchoolFiles.Kind) throws(CellError) -> ImportRow.Content {
        switch kind {
        case .programmes:
            return .programme(ImportedProgramme(id: ProgrammeID(try required("id")), title: cell("title")))
        case .chapters: return .chapter(try chapter())
        case .members:
            let roles = try values("roles", as: Role.self)
            return .member(
                ImportedMember(
                    schoolID: try required("school_id"), joinedAt: try time("joined_at"),
                    member: NewMember(
                        displayName: cell("display_name"), email: cell("email"), country: cell("country"),
                        timeZone: cell("time_zone"), languages: words("languages"), headline: cell("headline"),
                        consents: Set(try values("consents", as: Consent.self)),
                        roles: roles.isEmpty ? [.learner] : Set(roles))))
        case .enrolments:
            return .enrolment(
                ImportedEnrolment(
                    member: try required("member"), programme: ProgrammeID(try required("programme")),
                    enrolledAt: try time("enrolled_at")))
        case .completions:
            guard let certificate = try day("certificate_date") else {
                throw CellError(field: "certificate_date", reason: "is empty; a completion needs its certificate's day")
            }
            return .completion(
                ImportedCompletion(
                    member: try required("member"), programme: ProgrammeID(try required("programme")),
                    completedAt: try time("completed_at"), certificateDate: certificate))
        case .memberships:
            return .membership(
                ImportedMembership(
                    member: try required("member"), chapter: ChapterID(try required("chapter")),
                    joinedAt: try time("joined_at")))
        case .organizers:
            return .organizer(
                ImportedOrganizer(
                    member: try required("member"), chapter: ChapterID(try required("chapter")),
                    appointedAt: try time("appointed_at")))
        case .activity: return .activity(try activity())
        }
    }

    private func chapter() throws(CellError) -> ImportedChapter {
        let place = cell("place")
        let focus: ChapterFocus
        func country() throws(CellError) -> CountryCode {
            do { return try CountryCode(cell("country")) } catch {
                throw CellError(field: "country", reason: error.description)
            }
        }
        switch try required("focus") {
        case "city": focus = .city(place, country: try country())
        case "country": focus = .country(try country())
        case "region": focus = .region(place)
        case "interest": focus = .interest(place)
        case let other:
            throw CellError(
                field: "focus",
                reason: "\(other.debugDescription) is not a focus: write city, country, region or interest")
        }
        return ImportedChapter(
            id: ChapterID(try required("id")), name: cell("name"), focus: focus, timeZone: optional("time_zone"))
    }

    private func activity() throws(CellError) -> ImportedActivity {
        var details = ActivityDetails()
        if let reaction = optional("reaction") {
            guard let value = ReactionKind(rawValue: reaction) else {
                throw CellError(field: "reaction", reason: "\(reaction.debugDescription) is not a reaction")
            }
            details.reaction = value
        }
        if let first = optional("first_response") {
            guard let value = Bool(first) else {
                throw CellError(field: "first_response", reason: "write true or false, not \(first.debugDescription)")
            }
            details.isFirstResponse = value
        }
        if let mode = optional("attendance_mode") {
            guard let value = AttendanceMode(rawValue: mode) else {
                throw CellError(
                    field: "attendance_mode", reason: "write inPerson or virtual, not \(mode.debugDescription)")
            }
            details.attendanceMode = value
        }
        if let position = optional("waitlist_position") {
            guard let value = Int32(position), value > 0 else {
                throw CellError(field: "waitlist_position", reason: "\(position.debugDescription) is not a position")
            }
            details.waitlistPosition = Int(value)
        }
        if let shared = optional("shared") {
            let parts = shared.split(separator: ":", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count) {
            case ("certificate", 2): details.shared = .certificate(ProgrammeID(parts[1]))
            case ("event", 2): details.shared = .event(EventID(parts[1]))
            case ("badge", 2): details.shared = .badge(BadgeID(parts[1]))
            case ("spotlight", 2): details.shared = .spotlight(parts[1])
            default:
                throw CellError(
                    field: "shared",
                    reason: "\(shared.debugDescription) is not something shared: write certificate:ID, event:ID, "
                        + "badge:ID or spotlight:MONTH")
            }
        }
        details.network = optional("network")
        details.day = try day("day")
        let member = try required("member")
        let kind = ActivityKind(try required("kind"))
        let time = try time("time")
        let subject: Subject? = optional("subject").map { Subject(rawValue: $0) }
        let chapter: ChapterID? = optional("chapter").map { ChapterID($0) }
        let programme: ProgrammeID? = optional("programme").map { ProgrammeID($0) }
        return ImportedActivity(
            member: member, kind: kind, time: time, subject: subject, subjectOwner: optional("subject_owner"),
            chapter: chapter, programme: programme, details: details)
    }

    // MARK: Times

    /// `YYYY-MM-DD`, the first ten bytes.
    static func parseDay(_ bytes: ArraySlice<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count >= 10 else { return nil }
        let b = Array(bytes.prefix(10))
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let year = number(b[0..<4]), let month = number(b[5..<7]), let day = number(b[8..<10])
        else { return nil }
        return (year, month, day)
    }

    /// RFC 3339: `2024-03-01T09:30:00Z`, with optional fractions of a second (milliseconds are
    /// kept) and an offset `+01:00` in place of `Z`.
    static func parseTime(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard let (year, month, day) = parseDay(b[...]), b.count >= 20,
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let hour = number(b[11..<13]), let minute = number(b[14..<16]), let second = number(b[17..<19]),
            hour < 24, minute < 60, second < 60, let date = try? LocalDate(year: year, month: month, day: day)
        else { return nil }
        var index = 19
        var milliseconds = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, let digit = number(b[index..<index + 1]) {
                if digits < 3 { milliseconds = milliseconds * 10 + digit }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { milliseconds *= 10 } }
        }
        guard index < b.count else { return nil }
        var offset = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                let hours = number(b[index + 1..<index + 3]), let minutes = number(b[index + 4..<index + 6]),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (b[index] == UInt8(ascii: "-") ? -1 : 1)
        default: return nil
        }
        let seconds = date.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Timestamp(millisecondsSince1970: Int64(seconds) * 1_000 + Int64(milliseconds)).date
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }
}
