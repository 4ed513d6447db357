import CommunityModel
import Foundation
import Testing

@testable import Recognition

/// iCalendar files (RFC 5545) that calendars accept whatever the titles hold: text escaped,
/// lines folded at 75 octets without splitting a character's bytes, CRLF line ends.
@Suite("iCalendar export")
struct ICalendarTests {
    static let start = Date(timeIntervalSince1970: 1_795_595_400)  // 2026-11-25T08:30:00Z

    /// The lines of a file: split at CRLF (there must be no bare CR or LF), each valid UTF-8.
    static func physicalLines(_ file: String) -> [String] {
        let bytes = Array(file.utf8)
        var lines: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append([])
                index += 2
                continue
            }
            #expect(bytes[index] != 0x0D && bytes[index] != 0x0A, "a bare CR or LF at byte \(index)")
            lines[lines.count - 1].append(bytes[index])
            index += 1
        }
        #expect(lines.last == [], "the file ends with CRLF")
        return lines.dropLast().map { line in
            #expect(String(validating: line, as: UTF8.self) != nil, "a line splits a UTF-8 sequence")
            #expect(line.count <= 75, "a line of \(line.count) octets")
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// Whether a physical line continues the one before: its first octet is a space. (Not
    /// `hasPrefix(" ")`: a space followed by a skin-tone modifier or a zero-width joiner is one
    /// Character, which is not `" "`.)
    static func isContinuation(_ line: String) -> Bool { line.utf8.first == 0x20 }

    /// Content lines: physical lines unfolded (a line starting with a space continues the last).
    static func contentLines(_ file: String) -> [String] {
        var result: [String] = []
        for line in physicalLines(file) {
            if isContinuation(line) {
                result[result.count - 1] += String(decoding: line.utf8.dropFirst(), as: UTF8.self)
            } else {
                result.append(line)
            }
        }
        return result
    }

    @Test("a calendar has PRODID and VERSION, and each event a UID, DTSTAMP, DTSTART and DTEND in UTC")
    func structure() {
        let entry = CalendarEntry(
            uid: "e-1@school.example", start: Self.start, end: Self.start + 5_400, summary: "Monthly meetup",
            location: "Nairobi, KE")
        let file = ICalendar.document([entry], name: "Nairobi chapter", stamp: Self.start - 86_400)
        let lines = Self.contentLines(file)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.contains("VERSION:2.0"))
        #expect(lines.contains("PRODID:-//LearningCommunity//Recognition//EN"))
        #expect(lines.contains("UID:e-1@school.example"))
        #expect(lines.contains("DTSTAMP:20261124T083000Z"))
        #expect(lines.contains("DTSTART:20261125T083000Z"))
        #expect(lines.contains("DTEND:20261125T100000Z"))
        #expect(lines.contains("SUMMARY:Monthly meetup"))
        #expect(lines.contains("LOCATION:Nairobi\\, KE"))
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
    }

    @Test("hostile titles: commas, semicolons, backslashes and every kind of line break are escaped")
    func escaping() {
        let title = "Pitch night; bring snacks, laptops\\chargers\nand\r\nfriends\rtoo"
        let file = ICalendar.document(
            [CalendarEntry(uid: "e-2", start: Self.start, end: Self.start + 60, summary: title)], stamp: Self.start)
        #expect(
            Self.contentLines(file).contains(
                "SUMMARY:Pitch night\\; bring snacks\\, laptops\\\\chargers\\nand\\nfriends\\ntoo"))
    }

    @Test("a 200-emoji title is folded at 75 octets, never inside an emoji, and unfolds to the escaped title")
    func foldingLongTitles() {
        let title = String(repeating: "🎉", count: 100) + String(repeating: "👩🏽‍💻", count: 100)
        let file = ICalendar.document(
            [CalendarEntry(uid: "e-3", start: Self.start, end: Self.start + 60, summary: title)], stamp: Self.start)
        // "SUMMARY:" and 100 four-byte and 100 fifteen-byte emoji: 1,908 octets, 26 lines at least.
        let continuations = Self.physicalLines(file).filter(Self.isContinuation)
        #expect(continuations.count >= 25)
        #expect(Self.contentLines(file).contains("SUMMARY:" + title))
    }

    @Test("events are sorted by start, and a cancelled one says so")
    func orderAndStatus() {
        let later = CalendarEntry(uid: "b", start: Self.start + 3_600, end: Self.start + 7_200, summary: "Later")
        let earlier = CalendarEntry(
            uid: "a", start: Self.start, end: Self.start + 60, summary: "Earlier", url: "https://meet.example/a",
            isCancelled: true)
        let lines = Self.contentLines(ICalendar.document([later, earlier], stamp: Self.start))
        #expect(lines.filter { $0.hasPrefix("SUMMARY:") } == ["SUMMARY:Earlier", "SUMMARY:Later"])
        #expect(lines.contains("URL:https://meet.example/a"))
        #expect(lines.contains("STATUS:CANCELLED"))
    }
}
