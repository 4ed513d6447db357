/// Words of a text, with where they are: what the checker matches phrases against.
///
/// A word is a run of characters (grapheme clusters) that are letters or digits, so a
/// combining accent stays with its letter and an emoji is never part of a word. Matching is
/// on the lowercased words, so it ignores case but never cuts a character in two.
struct ContentText {
    struct Word {
        var range: Range<String.Index>
        var folded: String
    }

    let text: String
    let words: [Word]

    init(_ text: String) {
        self.text = text
        var words: [Word] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if Self.isWordCharacter(text[index]) {
                if start == nil { start = index }
            } else if let begun = start {
                words.append(Word(range: begun..<index, folded: text[begun..<index].lowercased()))
                start = nil
            }
            index = next
        }
        if let begun = start {
            words.append(Word(range: begun..<text.endIndex, folded: text[begun...].lowercased()))
        }
        self.words = words
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// The lowercased words of a phrase.
    static func words(in phrase: String) -> [String] { ContentText(phrase).words.map(\.folded) }

    /// Whether only spaces and hyphens separate word `index` from the next.
    func isJoined(_ index: Int) -> Bool {
        guard index + 1 < words.count else { return false }
        return text[words[index].range.upperBound..<words[index + 1].range.lowerBound].allSatisfy {
            $0 == " " || $0 == "-" || $0 == "\u{00A0}"
        }
    }

    /// The range from word `index` to the last word of `phrase` (lowercased words) when the
    /// phrase starts there, its words joined by spaces or hyphens only.
    func match(_ phrase: [String], at index: Int) -> Range<String.Index>? {
        guard !phrase.isEmpty, index + phrase.count <= words.count else { return nil }
        for offset in phrase.indices {
            guard words[index + offset].folded == phrase[offset] else { return nil }
            if offset > 0, !isJoined(index + offset - 1) { return nil }
        }
        return words[index].range.lowerBound..<words[index + phrase.count - 1].range.upperBound
    }
}

/// Finds links in text and tells whether their host is allowed.
///
/// Links are parsed, not matched as substrings: the host is what follows the scheme up to the
/// path, after any `user@` part and before any port, so `https://brand.example@evil.net` and
/// `https://brand.example.evil.net` both point at `evil.net`'s hosts.
enum LinkScanner {
    struct Link {
        var range: Range<String.Index>
        /// Lowercased, without a trailing dot; empty when the link has none.
        var host: String
    }

    static func links(in text: String) -> [Link] {
        var links: [Link] = []
        var index = text.startIndex
        while index < text.endIndex {
            let atWordStart = index == text.startIndex || !ContentText.isWordCharacter(text[text.index(before: index)])
            if atWordStart, let prefix = linkPrefix(in: text, at: index) {
                var end = index
                while end < text.endIndex, !text[end].isWhitespace, !"<>\"".contains(text[end]) {
                    end = text.index(after: end)
                }
                // Sentence punctuation after a link is not part of it.
                while end > index, ".,;:!?)'".contains(text[text.index(before: end)]) {
                    end = text.index(before: end)
                }
                let link = String(text[index..<end])
                links.append(Link(range: index..<end, host: host(of: link, afterPrefix: prefix)))
                index = end
                continue
            }
            index = text.index(after: index)
        }
        return links
    }

    /// The length of the scheme (`https://`, `http://`) or `www.` that starts a link at `index`.
    private static func linkPrefix(in text: String, at index: String.Index) -> Int? {
        for prefix in ["https://", "http://", "www."] {
            var cursor = index
            var matched = true
            for expected in prefix {
                guard cursor < text.endIndex, text[cursor].lowercased() == String(expected) else {
                    matched = false
                    break
                }
                cursor = text.index(after: cursor)
            }
            if matched { return prefix.hasPrefix("www") ? 0 : prefix.count }
        }
        return nil
    }

    private static func host(of link: String, afterPrefix prefix: Int) -> String {
        var authority = Substring(link.dropFirst(prefix))
        if let end = authority.firstIndex(where: { "/?#\\".contains($0) }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.firstIndex(of: ":").map { authority[..<$0] } ?? authority
        }
        while host.hasSuffix(".") { host = host.dropLast() }
        return host.lowercased()
    }

    /// Whether `host` is `domain` or one of its subdomains.
    static func host(_ host: String, isWithin domain: String) -> Bool {
        let domain = domain.lowercased()
        return host == domain || host.hasSuffix("." + domain)
    }

    /// Letters, digits and hyphens in dot-separated labels, at least two of them.
    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }
}
