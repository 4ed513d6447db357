import Foundation

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
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local day of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZoneID) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whether the day exists in the Gregorian calendar (years 1 to 9999).
    public var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= lengths[month - 1] + (month == 2 && leap ? 1 : 0)
    }

    /// The day `days` later (earlier when negative), in the Gregorian calendar.
    public func adding(days: Int) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZoneID.utc.timeZone
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            let moved = calendar.date(byAdding: .day, value: days, to: start)
        else { return self }
        return LocalDate(moved, in: .utc)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
