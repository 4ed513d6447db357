import Foundation
import Testing

/// `community-demo --out DIR` writes every artifact it shows under stable names, and each one
/// is what the tools people use expect: HTML whose elements nest, iCalendar with CRLF lines
/// folded at 75 octets, CSV rows of equal width, and Open Badges documents that link to each
/// other by id.
@Suite("community-demo --out")
struct DemoArtifactsTests {
    @Test("--out DIR writes the newsletter, the value report, insights, calendars and Open Badges documents")
    func artifacts() async throws {
        let folder = try CommunityDemoTests.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await CommunityDemoTests.run(["--out", "out"], in: folder)
        #expect(result.status == 0, "stderr: \(result.error)")
        let out = folder.appendingPathComponent("out")
        func text(_ name: String) throws -> String {
            try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        for name in ["newsletter.html", "value-report.html", "certificate.html"] {
            try Self.expectWellFormedHTML(try text(name), name)
        }
        try Self.expectBalancedFragment(try text("member-card.html"), "member-card.html")
        #expect(try text("newsletter.md").hasPrefix("# Brightpath community newsletter"))
        #expect(try text("newsletter.md").contains("## Upcoming events"))

        let events = result.output.split(separator: "\n").first { $0.contains("events in one calendar file") }
        let count = events.flatMap { Int($0.drop { !$0.isNumber }.prefix { $0.isNumber }) } ?? -1
        #expect(try Self.calendarEvents(try text("chapter-events.ics"), "chapter-events.ics") == count)
        #expect(try Self.calendarEvents(try text("newsletter.ics"), "newsletter.ics") > 0)

        for name in ["value-report.csv", "insights-threads.csv", "insights-events.csv"] {
            let rows = Self.csvRows(try text(name))
            #expect(rows.count > 1, "\(name) has no data rows")
            #expect(Set(rows.map(\.count)).count == 1, "\(name): rows of \(Set(rows.map(\.count))) cells")
        }

        // The three Open Badges documents, named after the last path segment of their ids, link up.
        let badges = out.appendingPathComponent("open-badges")
        var documents: [String: [String: Any]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: badges.path) {
            let data = try Data(contentsOf: badges.appendingPathComponent(name))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let id = try #require(object["id"] as? String)
            #expect(URL(string: id)?.lastPathComponent == name, "\(name) holds \(id)")
            documents[try #require(object["type"] as? String)] = object
        }
        let issuer = try #require(documents["Issuer"])
        let badgeClass = try #require(documents["BadgeClass"])
        let assertion = try #require(documents["Assertion"])
        #expect(badgeClass["issuer"] as? String == issuer["id"] as? String)
        #expect(assertion["badge"] as? String == badgeClass["id"] as? String)
        #expect(documents.count == 3)

        // What the demo printed names the files it wrote.
        #expect(result.output.contains("written to out/newsletter.html, out/newsletter.md, out/newsletter.ics"))
    }

    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "link", "input", "wbr", "col", "source"]

    /// A page: a doctype, then `html` holding `head` and `body`, every element closed in order.
    static func expectWellFormedHTML(_ html: String, _ name: String) throws {
        #expect(html.hasPrefix("<!DOCTYPE html>"), "\(name) has no doctype")
        let tags = try expectBalancedFragment(html, name)
        #expect(tags.first == "html", "\(name) does not start with <html>")
        #expect(tags.contains("head") && tags.contains("body"), "\(name) lacks head or body")
    }

    /// Checks that every opened element is closed in order (void elements excepted) and that no
    /// `<` or `&` stands unescaped in text; returns the opened elements in order.
    @discardableResult
    static func expectBalancedFragment(_ html: String, _ name: String) throws -> [String] {
        var open: [String] = []
        var opened: [String] = []
        var rest = Substring(html)
        while let start = rest.firstIndex(of: "<") {
            let text = rest[..<start]
            for match in text.split(separator: "&").dropFirst() {
                #expect(
                    match.prefix { $0 != ";" }.allSatisfy { $0.isLetter || $0.isNumber || $0 == "#" }
                        && match.contains(";"), "\(name): a bare & in text")
            }
            guard let end = rest[start...].firstIndex(of: ">") else {
                Issue.record("\(name): a tag that does not close")
                return opened
            }
            let tag = rest[rest.index(after: start)..<end]
            rest = rest[rest.index(after: end)...]
            if tag.hasPrefix("!") { continue }
            let element = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if tag.hasPrefix("/") {
                #expect(open.last == element, "\(name): </\(element)> closes <\(open.last ?? "nothing")>")
                if open.last == element { open.removeLast() }
            } else if !voidElements.contains(element) && !tag.hasSuffix("/") {
                open.append(element)
                opened.append(element)
            }
        }
        #expect(open.isEmpty, "\(name): \(open) never closed")
        return opened
    }

    /// Checks RFC 5545's line rules (CRLF endings, at most 75 octets a line, folded lines go on
    /// with a space) and returns the number of events.
    static func calendarEvents(_ file: String, _ name: String) throws -> Int {
        let bytes = Array(file.utf8)
        #expect(bytes.suffix(2) == [13, 10], "\(name) does not end with CRLF")
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            #expect(index > 0 && bytes[index - 1] == 13, "\(name): a line feed without a carriage return")
            lines.append(bytes[start..<max(start, index - 1)])
            start = index + 1
        }
        for line in lines { #expect(line.count <= 75, "\(name): a line of \(line.count) octets") }
        let unfolded = lines.reduce(into: [String]()) { result, line in
            let text = String(decoding: line, as: UTF8.self)
            if line.first == 32, !result.isEmpty {
                result[result.count - 1] += text.dropFirst()
            } else {
                result.append(text)
            }
        }
        #expect(unfolded.first == "BEGIN:VCALENDAR" && unfolded.last == "END:VCALENDAR", "\(name)")
        #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == unfolded.filter { $0 == "END:VEVENT" }.count)
        return unfolded.filter { $0 == "BEGIN:VEVENT" }.count
    }

    /// RFC 4180 rows: fields separated by commas, quoted fields may hold commas, quotes (doubled)
    /// and line breaks, records end with CRLF.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\r" {
                continue
            } else if scalar == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }
}
