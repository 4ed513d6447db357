import Foundation
import Storage
import Testing

@testable import CommunityModel

/// The RFC 4180 reader the import uses: what it reads, where it refuses, and that it reads back
/// everything the library's own CSV writer writes.
@Suite("Reading CSV files")
struct CSVReaderTests {
    static func records(_ text: String) throws -> [CSVReader.Record] {
        var reader = CSVReader(data: Data(text.utf8))
        var records: [CSVReader.Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    @Test("records and fields with the line each record starts on; CRLF or LF; no record after a final line break")
    func plainRecords() throws {
        #expect(
            try Self.records("id,name\r\nm1,Ada\r\nm2,Grace\r\n") == [
                .init(line: 1, fields: ["id", "name"]), .init(line: 2, fields: ["m1", "Ada"]),
                .init(line: 3, fields: ["m2", "Grace"]),
            ])
        #expect(
            try Self.records("a,b\nc,d") == [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["c", "d"])])
        #expect(try Self.records("") == [])
        #expect(
            try Self.records("a,,\r\n\r\nb") == [
                .init(line: 1, fields: ["a", "", ""]), .init(line: 2, fields: [""]), .init(line: 3, fields: ["b"]),
            ])
    }

    @Test("a quoted field holds commas, line breaks and doubled quotes; later records keep their line numbers")
    func quotedFields() throws {
        let text = "note,n\r\n\"Hello, \"\"world\"\"\r\nsecond line\",1\r\n\"\",2\r\nlast,3"
        #expect(
            try Self.records(text) == [
                .init(line: 1, fields: ["note", "n"]),
                .init(line: 2, fields: ["Hello, \"world\"\r\nsecond line", "1"]),
                .init(line: 4, fields: ["", "2"]), .init(line: 5, fields: ["last", "3"]),
            ])
    }

    @Test("a byte-order mark is skipped; names in every script read as written")
    func unicode() throws {
        let text = "\u{FEFF}name\r\nṢadé Adébáyọ̀\r\n\"山田, 花子\"\r\n"
        #expect(try Self.records(text).map(\.fields) == [["name"], ["Ṣadé Adébáyọ̀"], ["山田, 花子"]])
    }

    @Test(
        "a file that breaks the rules is refused at the line to look at",
        arguments: [
            ("a,b\r\n\"open,c\r\nd,e\r\n", CSVError.unterminatedQuote(line: 2)),
            ("a,b\r\nx\"y,z\r\n", .quoteInUnquotedField(line: 2)),
            ("a\r\n\"q\"x,b\r\n", .textAfterClosingQuote(line: 2)),
        ])
    func malformed(_ text: String, _ error: CSVError) {
        #expect(throws: error) { try Self.records(text) }
    }

    @Test("bytes that are not UTF-8, and a field past the limit, are typed errors")
    func damagedBytes() {
        var bytes = Data("a,b\r\n".utf8)
        bytes.append(contentsOf: [0x66, 0xFF, 0x0D, 0x0A])
        var reader = CSVReader(data: bytes)
        #expect(throws: CSVError.invalidUTF8(line: 2)) {
            while try reader.next() != nil {}
        }
        var long = CSVReader(data: Data(("x," + String(repeating: "y", count: 100)).utf8), maximumFieldBytes: 64)
        #expect(throws: CSVError.fieldTooLong(line: 1, limit: 64)) {
            while try long.next() != nil {}
        }
        #expect(CSVError.quoteInUnquotedField(line: 7).description.hasPrefix("Line 7:"))
    }

    @Test("everything the library's CSV writer writes reads back cell for cell")
    func readsWhatTheWriterWrites() throws {
        var random = SeededGenerator(seed: 4180)
        let alphabet = Array("ab ,;\t\"\r\n=+-@'é山\u{200D}👩‍💻0")
        func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        for _ in 0..<2_000 {
            let columns = 1 + below(4)
            let header = (0..<columns).map { "c\($0)" }
            var rows: [[String]] = []
            for _ in 0..<below(4) {
                var row: [String] = []
                for _ in 0..<columns {
                    row.append(String((0..<below(8)).map { _ in alphabet[below(alphabet.count)] }))
                }
                rows.append(row)
            }
            let text = CSV.render(header: header, rows: rows, numberColumns: [0])
            var expected = [header]
            for row in rows {
                expected.append(row.enumerated().map { $0.offset == 0 ? $0.element : Self.neutralised($0.element) })
            }
            #expect(try Self.records(text).map(\.fields) == expected, "\(text.debugDescription)")
        }
    }

    @Test(
        "a first cell that starts with a byte-order mark keeps it: the writer quotes it, the reader skips only the file's own"
    )
    func byteOrderMarkInACell() throws {
        let text = CSV.render(header: ["\u{FEFF}id", "name"], rows: [["\u{FEFF}", "Ada"]])
        #expect(try Self.records(text).map(\.fields) == [["\u{FEFF}id", "name"], ["\u{FEFF}", "Ada"]])
        #expect(try Self.records("\u{FEFF}" + text).map(\.fields).first == ["\u{FEFF}id", "name"])
    }

    /// What the writer makes of a text cell: a leading `'` before a formula start.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
