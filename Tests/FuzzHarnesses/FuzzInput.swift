/// Reads typed values from a fuzzer's bytes, front to back. An input that runs out reads zeros
/// and empty texts, so every input means something and a short one stays short.
package struct FuzzInput {
    private let bytes: [UInt8]
    private var index = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var isExhausted: Bool { index >= bytes.count }

    /// The bytes not read yet.
    package var rest: [UInt8] { index < bytes.count ? Array(bytes[index...]) : [] }

    package mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    package mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Eight bytes, little-endian: every `Int64`, the extremes included.
    package mutating func int64() -> Int64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return Int64(bitPattern: value)
    }

    /// A value in `range`, drawn from up to eight bytes.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound))
        guard width != .max else { return Int(int64()) }
        let raw = UInt64(bitPattern: int64())
        return Int(Int64(range.lowerBound) &+ Int64(bitPattern: raw % (width + 1)))
    }

    /// Mostly small, sometimes an extreme: `Int.min`, `Int.max`, zero, or any value.
    package mutating func anyInt() -> Int {
        switch byte() % 8 {
        case 0: .min
        case 1: .max
        case 2: Int(int64())
        case 3: 0
        default: Int(Int8(bitPattern: byte()))
        }
    }

    package mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int(byte()) % elements.count]
    }

    /// A text of up to `maxBytes` UTF-8 bytes (invalid sequences repaired), often with one of
    /// ``hostilePieces`` spliced in.
    package mutating func text(maxBytes: Int = 64) -> String {
        let count = min(Int(byte()), maxBytes)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(count)
        for _ in 0..<count {
            guard !isExhausted else { break }
            chunk.append(byte())
        }
        var text = String(decoding: chunk, as: UTF8.self)
        if byte() % 3 == 0 { text += pick(Self.hostilePieces) }
        return text
    }

    /// What breaks documents: markup, quotes, separators, line breaks of every kind, controls,
    /// bidirectional overrides, formula starts, joiners, and long runs.
    package static let hostilePieces: [String] = [
        "<script>alert(1)</script>", "\"'&<>", "a,b;c\td", "=HYPERLINK(\"x\")", "+1", "-2", "@sum",
        "\r\n", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}\u{0C}", "\u{0}\u{1}\u{7F}",
        "\u{202E}evil\u{202C}", "\u{2066}x\u{2069}", "\u{200C}\u{200D}", "👩🏽‍💻", "نام‌خانوادگی", "हिन्दी",
        "\\", "*_`[]|#~", "# heading", "- item", "](javascript:x)", "ú", "e\u{301}", String(repeating: "é", count: 40),
        String(repeating: "x", count: 80), "\u{FEFF}", "\u{D7FF}\u{E000}\u{10FFFF}",
    ]
}
