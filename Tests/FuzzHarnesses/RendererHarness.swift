import CommunityModel
import Foundation
import Recognition
import Storage

/// The Markdown, HTML, CSV, iCalendar and Open Badges writers fed hostile text: every input
/// goes through each of them.
///
/// Properties: HTML has exactly the tags of the same document with plain text, and its text
/// gives back every input (controls dropped); escaped Markdown stays on one line, has no raw
/// markup, and unescapes to the input; CSV parses back (RFC 4180, by the harness's reader and
/// by the library's `CSVReader`) to the cells, text starting
/// like a formula neutralised, numbers not; iCalendar lines are at most 75 octets, end in
/// CRLF, never split a UTF-8 sequence, and unfold and unescape to the input; Open Badges
/// documents are JSON whose fields are the input.
enum RendererHarness {
    static let target = FuzzTarget(
        name: "renderers",
        summary: "hostile text through the Markdown, HTML, CSV, iCalendar and Open Badges writers, read back"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let texts = (0..<4).map { _ in input.text(maxBytes: 120) }
        try checkMarkdown(texts)
        try checkHTML(texts)
        try checkCSV(texts, input.anyInt())
        try checkICalendar(texts, start: input.int64())
        try checkOpenBadges(texts)
    }

    // MARK: Markdown

    static func checkMarkdown(_ texts: [String]) throws(PropertyViolation) {
        for text in texts {
            let escaped = MarkdownEscaping.escape(text)
            try MarkdownProperties.check(escaped: escaped, of: text)
        }
        let rendered = certificate(texts)
        let markdown = rendered.markdown()
        let plain = plainMarkdown
        try expect(
            markdown.split(separator: "\n", omittingEmptySubsequences: false).count
                == plain.split(separator: "\n", omittingEmptySubsequences: false).count,
            "a certificate's Markdown has more lines with this text")
    }

    // MARK: HTML

    static func checkHTML(_ texts: [String]) throws(PropertyViolation) {
        let html = certificate(texts).html()
        try HTMLProperties.check(html, template: plainHTML, texts: Array(texts.prefix(4)))
    }

    /// The certificate with plain texts, whose lines and tags a hostile one must keep.
    static let plainMarkdown = certificate(["a", "b", "c", "d"]).markdown()
    static let plainHTML = certificate(["a", "b", "c", "d"]).html()

    /// A certificate with the texts as its name, achievement, issuer and code.
    static func certificate(_ texts: [String]) -> Certificate {
        Certificate(
            member: "m1", recipientName: texts[0], achievement: texts[1], issuedOn: LocalDate(dayNumber: 20_454),
            issuer: texts[2], verificationCode: texts[3])
    }

    // MARK: CSV

    static func checkCSV(_ texts: [String], _ number: Int) throws(PropertyViolation) {
        let rows = [texts, [texts[1], String(number), texts[3], texts[0]]]
        let csv = CSV.render(header: ["a", "b", "c", "d"], rows: rows, numberColumns: [1])
        try CSVProperties.check(csv, header: ["a", "b", "c", "d"], rows: rows, numberColumns: [1])
        // The library's own reader (what the import uses) reads the same cells as the rules do.
        var reader = CSVReader(data: Data(csv.utf8))
        var read: [[String]] = []
        do {
            while let record = try reader.next() { read.append(record.fields) }
        } catch {
            throw PropertyViolation("CSVReader refused what CSV.render wrote: \(error)")
        }
        let parsed = try CSVProperties.parse(csv)
        guard read == parsed else { throw PropertyViolation("CSVReader read \(read), the rules read \(parsed)") }
    }

    // MARK: iCalendar

    static func checkICalendar(_ texts: [String], start: Int64) throws(PropertyViolation) {
        let date = Date(timeIntervalSince1970: Double(start % 20_000_000_000))
        let entry = CalendarEntry(
            uid: "e1@school.example", start: date, end: date.addingTimeInterval(3_600), summary: texts[0],
            description: texts[1], location: texts[2], url: "https://school.example/e1")
        let document = ICalendar.document([entry], name: texts[3], stamp: date)
        try ICalendarProperties.check(
            document,
            values: ["SUMMARY": texts[0], "DESCRIPTION": texts[1], "LOCATION": texts[2], "X-WR-CALNAME": texts[3]])
    }

    // MARK: Open Badges

    static let publisher: OpenBadgesPublisher = {
        do {
            return try OpenBadgesPublisher(
                issuer: IssuerProfile(
                    name: "School", url: URL(string: "https://school.example")!, email: "badges@school.example"),
                baseURL: URL(string: "https://school.example/badges")!, secret: Array(repeating: 7, count: 32))
        } catch {
            fatalError("the harness's publisher does not build: \(error)")
        }
    }()

    static func checkOpenBadges(_ texts: [String]) throws(PropertyViolation) {
        let badge = BadgeDefinition(
            id: "b1", name: texts[0], description: texts[1], criterion: .count(.answered, atLeast: 3),
            image: URL(string: "https://school.example/b1.png")!)
        let document = publisher.badgeClassDocument(badge)
        // Read with JSONDecoder: Foundation's JSONSerialization drops a U+FEFF inside a string.
        struct BadgeClass: Decodable {
            var type: String
            var name: String
            var description: String
        }
        guard let read = try? JSONDecoder().decode(BadgeClass.self, from: document) else {
            throw PropertyViolation("a BadgeClass document is not the JSON of a BadgeClass")
        }
        try expect(read.type == "BadgeClass", "a BadgeClass document says it is a \(read.type)")
        try expect(
            read.name.unicodeScalars.elementsEqual(texts[0].unicodeScalars),
            "a BadgeClass's name reads back as \(read.name.debugDescription)")
        try expect(
            read.description.unicodeScalars.elementsEqual(texts[1].unicodeScalars),
            "a BadgeClass's description does not read back")
    }
}
