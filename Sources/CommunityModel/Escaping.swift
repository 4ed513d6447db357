// Text escaped for the documents the library renders (surveys, certificates, newsletters,
// reports): shared by every module of the package, not part of its public API.

/// Markdown text that shows as written.
package enum MarkdownEscaping {
    /// Escapes text for a Markdown paragraph, heading, list item or table cell: HTML's `&`, `<`
    /// and `>` become entities (no tag can be injected), the punctuation of emphasis, links,
    /// code, headings and table cells gets a backslash, and line breaks become `<br>`, so a
    /// cell or list item stays on one line (and no text ever starts a line: list markers and
    /// heading underlines in it stay plain).
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n":
                if !previousWasCR { out += "<br>" }
            case "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "<br>"
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// HTML text that shows as written.
package enum HTMLEscaping {
    /// Escapes text for an HTML element's content or a quoted attribute value: `&`, `<`, `>`,
    /// `"` and `'` become character references. Control characters other than tab and line
    /// breaks are dropped (they are not allowed in HTML); everything else, right-to-left text
    /// included, is kept as it is.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
