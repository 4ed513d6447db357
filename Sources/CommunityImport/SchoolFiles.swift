import CommunityModel
import Foundation
import Storage

/// A school's export as CSV files in one folder, read as import rows in the order an import
/// takes them: programmes and chapters first, then every dated row of every file by time.
///
/// Each file is optional, RFC 4180 CSV in UTF-8 with a header row naming its columns (in any
/// order; see <doc:ImportingASchool> for the columns of each file). Each file must be in time
/// order itself; the reader merges them. A cell that does not parse becomes a refused row
/// (file, line, column, reason) that the import reports; a file that is not CSV past some line
/// is reported at that line and not read further.
///
/// ```swift
/// let files = try SchoolFiles(directory: URL(fileURLWithPath: "export"))
/// try await importer.add(files)
/// ```
public struct SchoolFiles: Sequence, Sendable {
    /// The files a school may bring, in the order rows of the same time are taken.
    public enum Kind: String, CaseIterable, Sendable {
        case programmes, chapters, members, enrolments, completions, memberships, organizers, activity

        /// The file's name: `members.csv`.
        public var fileName: String { "\(rawValue).csv" }

        /// The columns a file must have.
        public var requiredColumns: [String] {
            switch self {
            case .programmes: ["id", "title"]
            case .chapters: ["id", "name", "focus"]
            case .members: ["school_id", "joined_at", "display_name", "email", "country", "time_zone"]
            case .enrolments: ["member", "programme", "enrolled_at"]
            case .completions: ["member", "programme", "completed_at", "certificate_date"]
            case .memberships: ["member", "chapter", "joined_at"]
            case .organizers: ["member", "chapter", "appointed_at"]
            case .activity: ["member", "kind", "time"]
            }
        }

        /// The columns a file may have besides.
        public var optionalColumns: [String] {
            switch self {
            case .chapters: ["place", "country", "time_zone"]
            case .members: ["languages", "headline", "consents", "roles"]
            case .activity:
                [
                    "subject", "subject_owner", "chapter", "programme", "reaction", "first_response",
                    "attendance_mode", "waitlist_position", "shared", "network", "day",
                ]
            default: []
            }
        }
    }

    private let files: [(kind: Kind, data: Data, columns: [String: Int])]

    /// Opens the files of `directory` that exist (at least one must) and checks their headers.
    ///
    /// - Throws: ``SchoolFilesError`` for a folder with none of the files, a header that lacks a
    ///   column or names one no file of its kind has, or a file that cannot be read.
    public init(directory: URL) throws(SchoolFilesError) {
        var contents: [Kind: Data] = [:]
        for kind in Kind.allCases {
            let url = directory.appendingPathComponent(kind.fileName)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do { contents[kind] = try Data(contentsOf: url, options: .alwaysMapped) } catch {
                throw .unreadable(file: kind.fileName, reason: "\(error)")
            }
        }
        try self.init(contents: contents)
    }

    /// The files' contents by kind, as ``init(directory:)`` reads them (the fuzz harness feeds
    /// any bytes this way).
    package init(contents: [Kind: Data]) throws(SchoolFilesError) {
        var files: [(Kind, Data, [String: Int])] = []
        for kind in Kind.allCases {
            guard let data = contents[kind] else { continue }
            files.append((kind, data, try Self.header(of: data, kind: kind)))
        }
        guard !files.isEmpty else {
            throw .noFiles(expected: Kind.allCases.map(\.fileName))
        }
        self.files = files
    }

    private static func header(of data: Data, kind: Kind) throws(SchoolFilesError) -> [String: Int] {
        var reader = CSVReader(data: data)
        let header: [String]
        do {
            guard let record = try reader.next() else { throw SchoolFilesError.missingHeader(file: kind.fileName) }
            header = record.fields
        } catch let error as SchoolFilesError {
            throw error
        } catch {
            throw .unreadable(file: kind.fileName, reason: "\(error)")
        }
        var columns: [String: Int] = [:]
        let known = Set(kind.requiredColumns + kind.optionalColumns)
        for (index, name) in header.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard known.contains(name) else {
                throw .unknownColumn(
                    file: kind.fileName, column: name, known: kind.requiredColumns + kind.optionalColumns)
            }
            guard columns.updateValue(index, forKey: name) == nil else {
                throw .duplicateColumn(file: kind.fileName, column: name)
            }
        }
        for name in kind.requiredColumns where columns[name] == nil {
            throw .missingColumn(file: kind.fileName, column: name)
        }
        return columns
    }

    public func makeIterator() -> Iterator { Iterator(files) }

    /// A time as the files write it: RFC 3339 (`2024-03-01T09:30:00Z`, `2024-03-01T12:30:00+03:00`),
    /// fractions of a second kept to the millisecond; nil for anything else.
    public static func time(from text: String) -> Date? { RowParser.parseTime(text) }

    /// Rows in import order: programmes and chapters, then every dated row by time.
    public struct Iterator: IteratorProtocol {
        private var sources: [Source]

        fileprivate init(_ files: [(kind: Kind, data: Data, columns: [String: Int])]) {
            sources = files.map { Source(kind: $0.kind, reader: CSVReader(data: $0.data), columns: $0.columns) }
            for index in sources.indices { sources[index].skipHeader() }
        }

        public mutating func next() -> ImportRow? {
            var best: Int?
            for index in sources.indices {
                guard let row = sources[index].peek() else { continue }
                // Undated rows (programmes, chapters, refusals) go as soon as they are met.
                guard let time = row.time else {
                    best = index
                    break
                }
                if let current = best, let other = sources[current].peek()?.time, other <= time { continue }
                best = index
            }
            guard let best else { return nil }
            return sources[best].take()
        }
    }

    private struct Source {
        let kind: Kind
        var reader: CSVReader
        let columns: [String: Int]
        var head: ImportRow?
        var finished = false

        init(kind: Kind, reader: CSVReader, columns: [String: Int]) {
            self.kind = kind
            self.reader = reader
            self.columns = columns
        }

        mutating func skipHeader() { _ = try? reader.next() }

        mutating func peek() -> ImportRow? {
            if head == nil, !finished { head = read() }
            return head
        }

        mutating func take() -> ImportRow? {
            defer { head = nil }
            return peek()
        }

        private mutating func read() -> ImportRow? {
            do {
                guard let record = try reader.next() else {
                    finished = true
                    return nil
                }
                let location = ImportLocation(file: kind.fileName, line: record.line)
                do {
                    return ImportRow(
                        try RowParser(columns: columns, fields: record.fields).content(of: kind), at: location)
                } catch {
                    return ImportRow(.refused(field: error.field, reason: error.reason), at: location)
                }
            } catch {
                finished = true
                return ImportRow(
                    .refused(field: "csv", reason: "\(error); the rest of the file was not read"),
                    at: ImportLocation(file: kind.fileName, line: error.line))
            }
        }
    }
}

/// Why a school's files cannot be read at all (a cell that does not parse is a refused row
/// instead, reported by the import).
public enum SchoolFilesError: Error, Hashable, Sendable, CustomStringConvertible {
    case noFiles(expected: [String])
    case unreadable(file: String, reason: String)
    case missingHeader(file: String)
    case missingColumn(file: String, column: String)
    case unknownColumn(file: String, column: String, known: [String])
    case duplicateColumn(file: String, column: String)

    public var description: String {
        switch self {
        case .noFiles(let expected):
            "The folder holds none of the files an import reads (\(expected.joined(separator: ", ")))."
        case .unreadable(let file, let reason): "\(file) cannot be read: \(reason)."
        case .missingHeader(let file): "\(file) is empty: its first line must name its columns."
        case .missingColumn(let file, let column): "\(file) has no column \(column), which it needs."
        case .unknownColumn(let file, let column, let known):
            "\(file) has a column \(column.debugDescription) that no \(file) has; its columns are "
                + known.joined(separator: ", ") + "."
        case .duplicateColumn(let file, let column): "\(file) names the column \(column) twice."
        }
    }
}
