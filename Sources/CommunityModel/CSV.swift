import Foundation

/// Comma-separated values as spreadsheets read them.
package enum CSV {
    /// One cell: quoted when it holds a comma, a quote, or a line break (quotes doubled); a
    /// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
    /// a spreadsheet shows it instead of running it as a formula.
    ///
    /// Looks at Unicode scalars, not Characters: `"\r\n"` is one Character, equal to neither
    /// `"\r"` nor `"\n"`, so a Character test would leave a CRLF unquoted.
    package static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// A header line and rows, each line ended by CRLF.
    package static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }
}
