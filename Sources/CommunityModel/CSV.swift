import Foundation

/// Comma-separated values as spreadsheets read them (RFC 4180, lines ended by CRLF).
package enum CSV {
    /// One text cell: quoted when it holds a comma, a semicolon, a tab, a quote or a line break
    /// (quotes doubled), so that a spreadsheet splitting on semicolons or tabs (common in
    /// German or French locales) keeps it whole; a text starting with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return gets a leading `'`, so a spreadsheet shows it instead of running it
    /// as a formula.
    ///
    /// Looks at Unicode scalars, not Characters: `"\r\n"` is one Character, equal to neither
    /// `"\r"` nor `"\n"`, so a Character test would leave a CRLF unquoted.
    package static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        return quoted(text)
    }

    /// A number the library wrote (a count, a percentage, a negative balance): never
    /// neutralised, so it stays a number, and quoted only if it somehow needs it.
    package static func number(_ value: String) -> String { quoted(value) }

    /// Quoted when it must be; also when it starts with a byte-order mark, which a reader at
    /// the start of a file would take for the file's own and drop.
    private static func quoted(_ text: String) -> String {
        guard
            text.unicodeScalars.first == "\u{FEFF}"
                || text.unicodeScalars.contains(where: { ",;\t\"\n\r".unicodeScalars.contains($0) })
        else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// A header line and rows; the cells of `numberColumns` (0-based) are numbers the library
    /// wrote, every other cell is text.
    package static func render(header: [String], rows: [[String]], numberColumns: Set<Int> = []) -> String {
        let lines =
            [header.map(cell)]
            + rows.map { row in
                row.enumerated().map { numberColumns.contains($0.offset) ? number($0.element) : cell($0.element) }
            }
        return lines.map { $0.joined(separator: ",") + "\r\n" }.joined()
    }
}
