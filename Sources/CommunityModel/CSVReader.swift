import Foundation

/// Reads comma-separated values by RFC 4180, one record at a time, with the line each record
/// starts on: for files a school exports from its systems (the import reads them).
///
/// The rules, strictly where a file would otherwise be misread:
/// - Records end with CRLF; a bare LF is accepted too (files written on Unix). A line break at
///   the very end adds no record; an empty line is a record with one empty field.
/// - Fields are separated by commas. A field enclosed in double quotes may hold commas, line
///   breaks and quotes (written twice, `""`); after its closing quote only a comma or the end
///   of the record may follow.
/// - A quote inside a field that does not begin with one is an error, as is a quoted field
///   that never ends: both usually mean a file cut or edited by hand, and guessing would move
///   every later field.
/// - The text is UTF-8 (a leading byte-order mark is skipped); invalid UTF-8 is an error.
/// - No field may be longer than `maximumFieldBytes` (1 MiB unless told), so that a damaged
///   file cannot exhaust memory.
///
/// ```swift
/// var reader = CSVReader(data: try Data(contentsOf: url))
/// while let record = try reader.next() {
///     print(record.line, record.fields)
/// }
/// ```
public struct CSVReader: Sendable {
    /// One record: its fields, and the line of the file it starts on (1 for the first).
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The longest field read unless told otherwise: 1 MiB.
    public static let defaultMaximumFieldBytes = 1 << 20

    private let bytes: [UInt8]
    private let maximumFieldBytes: Int
    private var offset: Int
    private var line = 1

    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - maximumFieldBytes: the longest field accepted, in UTF-8 bytes.
    public init(data: Data, maximumFieldBytes: Int = CSVReader.defaultMaximumFieldBytes) {
        bytes = Array(data)
        self.maximumFieldBytes = maximumFieldBytes
        offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, or nil at the end of the data.
    ///
    /// - Throws: ``CSVError`` naming the line (and field) where the data breaks the rules.
    public mutating func next() throws(CSVError) -> Record? {
        guard offset < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        while true {
            let (field, ended) = try readField()
            fields.append(field)
            if ended { return Record(line: start, fields: fields) }
        }
    }

    /// Reads one field; `ended` is true when the record ends after it.
    private mutating func readField() throws(CSVError) -> (String, ended: Bool) {
        var field: [UInt8] = []
        let fieldLine = line
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
            offset += 1
            while true {
                guard offset < bytes.count else { throw .unterminatedQuote(line: fieldLine) }
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "\"") {
                    if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
                        offset += 1
                        try append(byte, to: &field)
                        continue
                    }
                    break
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
                try append(byte, to: &field)
            }
            // After the closing quote: a comma, the end of the record, or the end of the data.
            guard let ended = separator() else { throw .textAfterClosingQuote(line: line) }
            return (try text(field, line: fieldLine), ended)
        }
        while true {
            if let ended = separator() { return (try text(field, line: fieldLine), ended) }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") { throw .quoteInUnquotedField(line: line) }
            offset += 1
            try append(byte, to: &field)
        }
    }

    /// Consumes what ends a field, if it is at the offset: a comma (`false`: the record goes on),
    /// a line break or the end of the data (`true`: the record ends); nil for anything else.
    private mutating func separator() -> Bool? {
        guard offset < bytes.count else { return true }
        switch bytes[offset] {
        case UInt8(ascii: ","):
            offset += 1
            return false
        case UInt8(ascii: "\n"):
            offset += 1
            line += 1
            return true
        case UInt8(ascii: "\r") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "\n"):
            offset += 2
            line += 1
            return true
        default: return nil
        }
    }

    private func append(_ byte: UInt8, to field: inout [UInt8]) throws(CSVError) {
        guard field.count < maximumFieldBytes else { throw .fieldTooLong(line: line, limit: maximumFieldBytes) }
        field.append(byte)
    }

    private func text(_ field: [UInt8], line: Int) throws(CSVError) -> String {
        guard let text = String(validating: field, as: UTF8.self) else { throw .invalidUTF8(line: line) }
        return text
    }
}

/// Why a CSV file could not be read, with the line to look at.
public enum CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A quoted field that never ends: its opening quote is on `line`.
    case unterminatedQuote(line: Int)
    /// A quote in a field that does not begin with one.
    case quoteInUnquotedField(line: Int)
    /// Something other than a comma or a line break right after a quoted field's closing quote.
    case textAfterClosingQuote(line: Int)
    /// Bytes that are not UTF-8.
    case invalidUTF8(line: Int)
    /// A field longer than the reader's limit.
    case fieldTooLong(line: Int, limit: Int)

    /// The line to look at.
    public var line: Int {
        switch self {
        case .unterminatedQuote(let line), .quoteInUnquotedField(let line), .textAfterClosingQuote(let line),
            .invalidUTF8(let line), .fieldTooLong(let line, _):
            line
        }
    }

    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            "Line \(line): a quoted field never ends; close it with a quote (write a quote inside it twice: \"\")."
        case .quoteInUnquotedField(let line):
            "Line \(line): a quote inside a field that is not quoted; quote the whole field and write the quote twice (\"\")."
        case .textAfterClosingQuote(let line):
            "Line \(line): text after a quoted field's closing quote; a comma or the end of the line must follow it."
        case .invalidUTF8(let line): "Line \(line): the bytes are not UTF-8; save the file as UTF-8."
        case .fieldTooLong(let line, let limit):
            "Line \(line): a field is longer than \(limit) bytes; check that the file is not damaged."
        }
    }
}
