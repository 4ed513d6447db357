// Readers of what the renderers write, written from the formats' rules (not from our writers),
// so that a harness can check a document by reading it back. `SelfChecks` shows each of them
// catching a document that breaks its rule.

/// Line breaks as a reader sees them, each as one newline: CRLF is one; NEL and the Unicode line
/// and paragraph separators are breaks, and so are the scalars in `alsoBreaks`.
func lineBreaksAsNewlines(_ text: String, alsoBreaks: Set<Unicode.Scalar> = []) -> String {
    var out = ""
    var previousWasCR = false
    for scalar in text.unicodeScalars {
        defer { previousWasCR = scalar == "\r" }
        switch scalar {
        case "\n": if !previousWasCR { out += "\n" }
        case "\r", "\u{85}", "\u{2028}", "\u{2029}": out += "\n"
        default:
            if alsoBreaks.contains(scalar) { out += "\n" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out
}

/// Whether `needle` occurs in `haystack`, byte for byte (Character comparison would let a
/// combining mark or joiner at the edge of a text hide it).
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}

enum MarkdownProperties {
    static let markup: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "|", "#", "~"]

    /// Escaped text stays on one line, has no raw `<`, `>` or markup punctuation, and reads back
    /// as the text with its line breaks (vertical tab and form feed included) as `<br>`.
    static func check(escaped: String, of text: String) throws(PropertyViolation) {
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
        try expect(!escaped.unicodeScalars.contains { breaks.contains($0) }, "escaped Markdown spans lines")
        var read = ""
        var scalars = Array(escaped.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\\" {
                guard let next = scalars.popFirst(), markup.contains(next) else {
                    throw PropertyViolation("escaped Markdown has a lone backslash")
                }
                read.unicodeScalars.append(next)
            } else if scalar == "&" {
                let entities = [("amp;", "&"), ("lt;", "<"), ("gt;", ">")]
                guard let (name, value) = entities.first(where: { scalars.starts(with: $0.0.unicodeScalars) }) else {
                    throw PropertyViolation("escaped Markdown has a raw &")
                }
                scalars = scalars.dropFirst(name.unicodeScalars.count)
                read += value
            } else if scalar == "<" {
                guard String(String.UnicodeScalarView(scalars.prefix(3))) == "br>" else {
                    throw PropertyViolation("escaped Markdown has a raw <")
                }
                scalars = scalars.dropFirst(3)
                read += "\n"
            } else {
                try expect(scalar != ">" && !markup.contains(scalar), "escaped Markdown has a raw \(scalar)")
                read.unicodeScalars.append(scalar)
            }
        }
        let expected = lineBreaksAsNewlines(text, alsoBreaks: ["\u{0B}", "\u{0C}"])
        try expect(
            read.unicodeScalars.elementsEqual(expected.unicodeScalars),
            "escaped Markdown reads back as \(read.debugDescription), not \(expected.debugDescription)")
    }
}

enum HTMLProperties {
    /// The tags of `html` are those of `template` (the same document with plain text), and its
    /// text, references decoded, holds every text (controls other than tab and line breaks dropped).
    static func check(_ html: String, template: String, texts: [String]) throws(PropertyViolation) {
        let (tags, text) = split(html)
        try expect(tags == split(template).tags, "the text added or changed a tag of the HTML")
        for input in texts {
            let shown = String(
                String.UnicodeScalarView(
                    input.unicodeScalars.filter {
                        $0.properties.generalCategory != .control || $0 == "\t" || $0 == "\n" || $0 == "\r"
                    }))
            try expect(
                containsBytes(Array(text.utf8), Array(shown.utf8)),
                "the HTML does not show the text \(input.debugDescription)")
        }
    }

    /// The tags, in order, and the text between them with character references decoded.
    static func split(_ html: String) -> (tags: [String], text: String) {
        var tags: [String] = []
        var text = ""
        var tag: String?
        var reference: String?
        for scalar in html.unicodeScalars {
            if var open = tag {
                if scalar == ">" {
                    tags.append(open)
                    tag = nil
                } else {
                    open.unicodeScalars.append(scalar)
                    tag = open
                }
            } else if var pending = reference {
                pending.unicodeScalars.append(scalar)
                if scalar == ";" {
                    let names = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'"]
                    text += names[pending] ?? pending
                    reference = nil
                } else {
                    reference = pending
                }
            } else if scalar == "<" {
                tag = ""
            } else if scalar == "&" {
                reference = "&"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return (tags, text + (reference ?? ""))
    }
}

enum CSVProperties {
    /// Reads `csv` by RFC 4180 (CRLF records, quoted fields with doubled quotes) and compares with
    /// the cells: a text cell starting with `=`, `+`, `-`, `@`, a tab or a CR reads back with a
    /// leading `'`; a number cell reads back as written.
    static func check(
        _ csv: String, header: [String], rows: [[String]], numberColumns: Set<Int>
    ) throws(PropertyViolation) {
        let read = try parse(csv)
        func expected(_ cell: String, number: Bool) -> String {
            if !number, let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                return "'" + cell
            }
            return cell
        }
        let wanted =
            [header.map { expected($0, number: false) }]
            + rows.map { row in row.enumerated().map { expected($0.element, number: numberColumns.contains($0.offset)) }
            }
        // Scalar by scalar: String's == would accept a cell rewritten in another normal form.
        try expect(
            read.map { $0.map { Array($0.unicodeScalars) } } == wanted.map { $0.map { Array($0.unicodeScalars) } },
            "the CSV reads back as \(read), not \(wanted)")
    }

    static func parse(_ csv: String) throws(PropertyViolation) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(csv.unicodeScalars)[...]
        var fieldStarted = false
        while let scalar = scalars.popFirst() {
            if !fieldStarted && field.isEmpty && scalar == "\"" {
                fieldStarted = true
                while true {
                    guard let inner = scalars.popFirst() else {
                        throw PropertyViolation("an unterminated quoted field")
                    }
                    if inner == "\"" {
                        if scalars.first == "\"" {
                            scalars.removeFirst()
                            field += "\""
                        } else {
                            break
                        }
                    } else {
                        field.unicodeScalars.append(inner)
                    }
                }
                try expect(
                    scalars.first == "," || scalars.first == "\r" || scalars.isEmpty,
                    "text after a quoted field's closing quote")
                continue
            }
            switch scalar {
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                try expect(scalars.popFirst() == "\n", "a CR that does not end a record")
                record.append(field)
                records.append(record)
                (record, field, fieldStarted) = ([], "", false)
            case "\n", "\"", ";", "\t":
                throw PropertyViolation("an unquoted field holds \(scalar.escaped(asASCII: true))")
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        try expect(record.isEmpty && field.isEmpty, "the last record is not ended by CRLF")
        return records
    }
}

enum ICalendarProperties {
    /// Lines end in CRLF, hold at most 75 octets of whole UTF-8 sequences and no other CR or LF;
    /// unfolded and unescaped (RFC 5545 §3.1 and §3.3.11), each property in `values` reads back as
    /// its text with line breaks as newlines and other controls dropped.
    static func check(_ document: String, values: [String: String]) throws(PropertyViolation) {
        try check(octets: Array(document.utf8), values: values)
    }

    static func check(octets: [UInt8], values: [String: String]) throws(PropertyViolation) {
        try expect(octets.count >= 2 && octets.suffix(2) == [13, 10], "the file does not end in CRLF")
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < octets.count {
            if octets[index] == 13 {
                try expect(index + 1 < octets.count && octets[index + 1] == 10, "a CR not followed by LF")
                lines.append(current)
                current = []
                index += 2
                continue
            }
            try expect(octets[index] != 10, "a bare LF")
            current.append(octets[index])
            index += 1
        }
        var unfolded: [String] = []
        for line in lines {
            try expect(line.count <= 75, "a line of \(line.count) octets")
            guard let text = String(validating: line, as: UTF8.self) else {
                throw PropertyViolation("a line splits a UTF-8 sequence")
            }
            // A continuation starts with one space octet (compared as bytes: a joiner after it
            // would make the space and the joiner one Character).
            if line.first == 0x20, let last = unfolded.popLast() {
                unfolded.append(last + String(decoding: line.dropFirst(), as: UTF8.self))
            } else {
                unfolded.append(text)
            }
        }
        for (name, value) in values {
            // Compared as bytes: a joiner after the colon would make ":" and it one Character.
            let prefix = Array((name + ":").utf8)
            guard let line = unfolded.first(where: { $0.utf8.starts(with: prefix) }) else {
                throw PropertyViolation("no \(name) line")
            }
            let read = try unescape(String(decoding: line.utf8.dropFirst(prefix.count), as: UTF8.self))
            let expected = String(
                String.UnicodeScalarView(
                    lineBreaksAsNewlines(value).unicodeScalars.filter {
                        $0 == "\n" || $0.properties.generalCategory != .control
                    }))
            try expect(
                read.unicodeScalars.elementsEqual(expected.unicodeScalars),
                "\(name) reads back as \(read.debugDescription), not \(expected.debugDescription)")
        }
    }

    static func unescape(_ text: String) throws(PropertyViolation) -> String {
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\" else {
                try expect(scalar != ";" && scalar != ",", "an unescaped \(scalar) in a TEXT value")
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalars.popFirst() {
            case "\\": out += "\\"
            case ";": out += ";"
            case ",": out += ","
            case "n", "N": out += "\n"
            default: throw PropertyViolation("an unknown escape in a TEXT value")
            }
        }
        return out
    }
}

/// Each property reader shown catching a document that breaks its rule: a harness whose checks
/// could not fail would prove nothing.
package enum SelfChecks {
    package struct Check: Sendable {
        package var name: String
        /// Nil when the broken document was caught.
        package var problem: @Sendable () -> String?
    }

    static func caught(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return "a broken document passed"
        } catch {
            return nil
        }
    }

    package static let all: [Check] = [
        Check(name: "markdown: a raw asterisk") { caught { try MarkdownProperties.check(escaped: "a*b", of: "a*b") } },
        Check(name: "markdown: a line break") { caught { try MarkdownProperties.check(escaped: "a\nb", of: "a\nb") } },
        Check(name: "html: a tag from the text") {
            caught { try HTMLProperties.check("<p><b>x</b></p>", template: "<p>y</p>", texts: ["<b>x</b>"]) }
        },
        Check(name: "html: text lost") {
            caught { try HTMLProperties.check("<p>x</p>", template: "<p>y</p>", texts: ["x & y"]) }
        },
        Check(name: "csv: a formula not neutralised") {
            caught { try CSVProperties.check("a\r\n=1\r\n", header: ["a"], rows: [["=1"]], numberColumns: []) }
        },
        Check(name: "csv: an unquoted comma") {
            caught { try CSVProperties.check("a\r\nb,c\r\n", header: ["a"], rows: [["b,c"]], numberColumns: []) }
        },
        Check(name: "icalendar: a 76-octet line") {
            caught {
                try ICalendarProperties.check(
                    "SUMMARY:" + String(repeating: "x", count: 68) + "\r\n", values: [:])
            }
        },
        Check(name: "icalendar: a split UTF-8 sequence") {
            caught {
                let line = "SUMMARY:" + String(repeating: "x", count: 66) + "é"
                let bytes = Array(line.utf8)
                let folded = Array(bytes.prefix(75)) + [13, 10, 32] + Array(bytes.dropFirst(75)) + [13, 10]
                try ICalendarProperties.check(octets: folded, values: [:])
            }
        },
        Check(name: "icalendar: an unescaped comma") {
            caught { try ICalendarProperties.check("SUMMARY:a,b\r\n", values: ["SUMMARY": "a,b"]) }
        },
    ]
}
