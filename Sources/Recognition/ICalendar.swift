public import CommunityModel
public import Foundation

/// One event of an iCalendar file.
public struct CalendarEntry: Hashable, Sendable {
    /// Stable across exports, so calendars update the event instead of adding it again.
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String?
    /// Where an in-person event takes place.
    public var location: String?
    /// Where to join a virtual (or hybrid) event.
    public var url: String?
    public var isCancelled: Bool

    public init(
        uid: String, start: Date, end: Date, summary: String, description: String? = nil, location: String? = nil,
        url: String? = nil, isCancelled: Bool = false
    ) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.location = location
        self.url = url
        self.isCancelled = isCancelled
    }

    /// A chapter event: in person at the chapter's place, virtual at `joinURL` (built by the
    /// integrator from the event id), hybrid at both. The UID is the event id at `domain`.
    public init(_ event: EventListing, chapter: Chapter, joinURL: URL?, domain: String) {
        var location: String?
        var url: String?
        switch event.format {
        case .inPerson: location = chapter.placeName
        case .virtual: url = joinURL?.absoluteString
        case .hybrid:
            location = chapter.placeName
            url = joinURL?.absoluteString
        }
        self.init(
            uid: "\(event.id)@\(domain)", start: event.start, end: event.end, summary: event.title,
            description: event.description.isEmpty ? nil : event.description, location: location, url: url,
            isCancelled: event.status == .cancelled)
    }
}

extension Chapter {
    /// The chapter's place for a calendar: its city and country, or its name.
    var placeName: String {
        if case .city(let city, let country) = focus { return "\(city), \(country)" }
        return name
    }
}

/// Writes iCalendar files (RFC 5545): a VCALENDAR with PRODID and VERSION, one VEVENT per
/// entry with UID, DTSTAMP, DTSTART and DTEND in UTC, SUMMARY, and LOCATION or URL. Text is
/// escaped (backslash, comma, semicolon, line breaks); lines are folded at 75 octets without
/// splitting a UTF-8 sequence; every line ends in CRLF.
public enum ICalendar {
    public static let productID = "-//LearningCommunity//Recognition//EN"

    /// The file for `entries`, sorted by start then UID. `stamp` is DTSTAMP: when the file was made.
    public static func document(_ entries: [CalendarEntry], name: String? = nil, stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        if let name { lines.append("X-WR-CALNAME:\(escape(name))") }
        for entry in entries.sorted(by: { ($0.start, $0.uid) < ($1.start, $1.uid) }) {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:\(escape(entry.uid))")
            lines.append("DTSTAMP:\(utc(stamp))")
            lines.append("DTSTART:\(utc(entry.start))")
            lines.append("DTEND:\(utc(entry.end))")
            lines.append("SUMMARY:\(escape(entry.summary))")
            if let description = entry.description { lines.append("DESCRIPTION:\(escape(description))") }
            if let location = entry.location { lines.append("LOCATION:\(escape(location))") }
            // URL is a URI value: not TEXT, so not escaped; line breaks cannot occur in a URL.
            if let url = entry.url { lines.append("URL:\(url.filter { !$0.isNewline })") }
            lines.append("STATUS:\(entry.isCancelled ? "CANCELLED" : "CONFIRMED")")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    /// TEXT escaping (RFC 5545 §3.3.11): `\` `;` `,` escaped, every line break (CRLF, CR, LF,
    /// and the Unicode line separators) written as `\n`; other control characters dropped.
    static func escape(_ text: String) -> String {
        var result = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r", "\u{2028}", "\u{2029}", "\u{85}": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }
            default:
                if scalar.properties.generalCategory == .control { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Folds a content line (RFC 5545 §3.1): at most 75 octets per line, continuations start
    /// with one space (which counts toward their 75), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if octets + width > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += width
        }
        return result
    }

    /// The Gregorian calendar in UTC, made once: making one costs more than reading a date with it.
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZoneID.utc.timeZone
        return calendar
    }()

    /// A UTC date-time: `20261123T183000Z`.
    static func utc(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }
}
