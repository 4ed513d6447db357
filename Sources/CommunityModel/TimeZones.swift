import Foundation
import Storage

/// An IANA time zone identifier such as `Europe/Amsterdam` or `Pacific/Auckland`.
///
/// Abbreviations and offsets (`EST`, `GMT+5`, `CET`) are refused: they do not follow daylight
/// saving rules of a place, so local days and streaks would be wrong half the year.
public struct TimeZoneID: Hashable, Comparable, Sendable, ValidatedString, CustomStringConvertible {
    public let identifier: String

    /// - Throws: ``CommunityError/unknownTimeZone(_:)`` unless `identifier` is a known IANA
    ///   region identifier (or `UTC`).
    public init(_ identifier: String) throws(CommunityError) {
        guard Self.isValid(identifier), TimeZone(identifier: identifier) != nil else {
            throw .unknownTimeZone(identifier)
        }
        self.identifier = identifier
    }

    /// Coordinated Universal Time.
    public static let utc = TimeZoneID(unchecked: "UTC")

    private init(unchecked: String) { identifier = unchecked }

    /// The Foundation time zone; always present for a validated identifier.
    public var timeZone: TimeZone { TimeZone(identifier: identifier) ?? .gmt }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.identifier < rhs.identifier }

    public var description: String { identifier }

    private static let known = Set(TimeZone.knownTimeZoneIdentifiers)

    /// Foundation's list (`TimeZone.knownTimeZoneIdentifiers`) holds ICU's canonical names,
    /// which lag IANA renames (it has `Asia/Calcutta` but not `Asia/Kolkata`). A region
    /// identifier that the system's time zone database resolves is accepted too.
    private static func isValid(_ identifier: String) -> Bool {
        if identifier == "UTC" { return true }
        // IANA region identifiers are "Area/Location"; the legacy single-word names in the
        // database (EST, CET, Cuba, ...) and the Etc/ offsets are not places.
        guard identifier.contains("/"), !identifier.hasPrefix("Etc/"), !identifier.hasPrefix("SystemV/") else {
            return false
        }
        return known.contains(identifier) || TimeZone(identifier: identifier) != nil
    }
}

/// A calendar day (year, month, day) without a time zone: the day a member lived something on,
/// in their own time zone.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Set once, by an initializer that checked them: a day is always a calendar day of
    /// ``supportedYears``.
    public private(set) var year: Int
    public private(set) var month: Int
    public private(set) var day: Int

    /// The day, checked: a calendar day of ``supportedYears``.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` (field `date`) for a day that does
    ///   not exist or lies outside ``supportedYears``.
    public init(year: Int, month: Int, day: Int) throws(CommunityError) {
        self.init(unchecked: year, month: month, day: day)
        guard isSupported else {
            throw .invalidInput(
                field: "date",
                reason:
                    "\(year)-\(month)-\(day) is not a calendar day of the years \(Self.supportedYears.lowerBound) to \(Self.supportedYears.upperBound)"
            )
        }
    }

    /// A day that is not checked: for tests that write damaged entries, as a damaged store would
    /// hold them. Never for values from outside.
    package static func unchecked(year: Int, month: Int, day: Int) -> LocalDate {
        LocalDate(unchecked: year, month: month, day: day)
    }

    /// For days the arithmetic of this file made, or checks itself.
    private init(unchecked year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local day of `date` in `timeZone`; a date outside ``supportedYears`` (or no date at
    /// all: NaN, infinity) gives the nearest supported day.
    public init(_ date: Date, in timeZone: TimeZoneID) {
        let seconds = date.timeIntervalSince1970
        let first = Double(Self.supportedMilliseconds.lowerBound) / 1_000
        let last = Double(Self.supportedMilliseconds.upperBound) / 1_000
        guard seconds.isFinite, seconds >= first - 86_400, seconds <= last + 86_400 else {
            self = seconds > last ? Self.last : Self.first
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let day = LocalDate(unchecked: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        self = day.isSupported ? day : (day.year > 2000 ? Self.last : Self.first)
    }

    /// The first day of month `month` of `year`, where `month` may run past 1…12 (13 is the
    /// next January, 0 the last December); outside ``supportedYears`` it stays at the first or
    /// last supported month instead of overflowing.
    public static func firstOfMonth(year: Int, month: Int) -> LocalDate {
        let (yearMonths, overflowA) = year.multipliedReportingOverflow(by: 12)
        let (monthIndex, overflowC) = month.subtractingReportingOverflow(1)
        let (index, overflowB) = yearMonths.addingReportingOverflow(monthIndex)
        let lowest = supportedYears.lowerBound * 12
        let highest = supportedYears.upperBound * 12 + 11
        let clamped: Int
        if overflowA {
            clamped = year > 0 ? highest : lowest
        } else if overflowC {
            clamped = lowest  // month is Int.min
        } else if overflowB {
            clamped = monthIndex > 0 ? highest : lowest  // both terms had this sign
        } else {
            clamped = min(max(index, lowest), highest)
        }
        return LocalDate(unchecked: clamped / 12, month: clamped % 12 + 1, day: 1)
    }

    /// The last day of month `month` of `year`, read as ``firstOfMonth(year:month:)`` reads them:
    /// outside ``supportedYears`` it is the last day of the first or last supported month.
    public static func lastOfMonth(year: Int, month: Int) -> LocalDate {
        let first = firstOfMonth(year: year, month: month)
        return LocalDate(unchecked: first.year, month: first.month, day: length(ofMonth: first.month, in: first.year))
    }

    /// The first and last supported days.
    public static let first = LocalDate(unchecked: supportedYears.lowerBound, month: 1, day: 1)
    public static let last = LocalDate(unchecked: supportedYears.upperBound, month: 12, day: 31)

    private enum CodingKeys: String, CodingKey { case year, month, day }

    /// Decodes a day and checks it as ``init(year:month:day:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let (year, month, day) = (
            try container.decode(Int.self, forKey: .year), try container.decode(Int.self, forKey: .month),
            try container.decode(Int.self, forKey: .day)
        )
        do {
            try self.init(year: year, month: month, day: day)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .year, in: container, debugDescription: error.description)
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whether the day exists in the Gregorian calendar (years 1 to 9999).
    public var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month) else { return false }
        return (1...Self.length(ofMonth: month, in: year)).contains(day)
    }

    /// The day `days` later (earlier when negative), in the Gregorian calendar; past the ends
    /// of ``supportedYears`` it stays at the first or last day instead of overflowing.
    public func adding(days: Int) -> LocalDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return LocalDate(dayNumber: overflow ? (days > 0 ? Int.max : Int.min) : sum)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (negative before), by integer
    /// arithmetic only: the difference of two days' numbers is the number of days between them.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day with this ``dayNumber``; a number outside ``supportedYears`` gives the first or
    /// last supported day.
    public init(dayNumber: Int) {
        let dayNumber = min(max(dayNumber, Self.firstDayNumber), Self.lastDayNumber)
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(unchecked: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day numbers of the first and last supported days (1900-01-01 and 2200-12-31).
    static let firstDayNumber = -25_567
    static let lastDayNumber = 84_370

    /// The years the library works with: a day outside them is refused where it comes in (a
    /// log entry that holds one does not decode, so no projection ever folds it).
    public static let supportedYears = 1900...2200

    /// Whether this is a real calendar day in ``supportedYears``.
    public var isSupported: Bool {
        guard Self.supportedYears.contains(year), (1...12).contains(month) else { return false }
        return (1...Self.length(ofMonth: month, in: year)).contains(day)
    }

    /// The number of days of `month` (1…12) in `year`, by the Gregorian rules.
    private static func length(ofMonth month: Int, in year: Int) -> Int {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return lengths[month - 1] + (month == 2 && leap ? 1 : 0)
    }

    /// The first and last millisecond (since 1970, UTC) of ``supportedYears``: the times a log
    /// entry may hold.
    public static let supportedMilliseconds: ClosedRange<Int64> =
        Int64(firstDayNumber) * 86_400_000...Int64(lastDayNumber + 1) * 86_400_000 - 1

    /// Monday = 1 … Sunday = 7 (ISO 8601).
    public var isoWeekday: Int { ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1 }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// Local days of many instants in a few zones, fast: each zone's UTC offset is looked up once
/// for the stretch of time it holds (until the zone's next transition, and never longer than a
/// day), and the day is then plain arithmetic. Gives exactly what `LocalDate(_:in:)` gives; an
/// import computes the local day of millions of entries with it.
package struct LocalDayCache {
    private struct Stretch {
        var start: Int64
        var end: Int64
        var offsetMilliseconds: Int64
    }

    private var stretches: [String: Stretch] = [:]

    package init() {}

    /// The local day of `time` in `zone`.
    package mutating func day(_ time: Timestamp, in zone: TimeZoneID) -> LocalDate {
        let milliseconds = time.millisecondsSince1970
        let stretch: Stretch
        if let known = stretches[zone.identifier], known.start <= milliseconds, milliseconds < known.end {
            stretch = known
        } else {
            let timeZone = zone.timeZone
            let date = time.date
            let offset = Int64(timeZone.secondsFromGMT(for: date)) * 1_000
            let dayLater = milliseconds + 86_400_000
            var end = dayLater
            if let next = timeZone.nextDaylightSavingTimeTransition(after: date) {
                end = min(end, Timestamp(next).millisecondsSince1970)
            }
            stretch = Stretch(start: milliseconds, end: max(end, milliseconds + 1), offsetMilliseconds: offset)
            stretches[zone.identifier] = stretch
        }
        let local = milliseconds + stretch.offsetMilliseconds
        let dayNumber = Int(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000)
        guard dayNumber > LocalDate.firstDayNumber, dayNumber < LocalDate.lastDayNumber else {
            return LocalDate(time.date, in: zone)
        }
        return LocalDate(dayNumber: dayNumber)
    }
}
