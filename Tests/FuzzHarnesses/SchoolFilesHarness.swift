import CommunityImport
import CommunityModel
import Foundation
import Storage

/// A school's export files as the import reads them: any bytes as one of its files (the first
/// byte picks which), with a valid header in front or not.
///
/// Properties: the files are refused whole with a typed `SchoolFilesError`, or read as rows,
/// each file's rows on increasing lines and each refused row naming a field and a reason; every
/// time a row carries is one RFC 3339 reads back the same (written as UTC with milliseconds).
enum SchoolFilesHarness {
    static let target = FuzzTarget(
        name: "school-files",
        summary: "any bytes as a school's export file: refused whole with a typed error, or rows on increasing lines"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let kinds = SchoolFiles.Kind.allCases
        let kind = kinds[Int(input.byte()) % kinds.count]
        var data = Data()
        if input.bool() {
            data.append(contentsOf: (kind.requiredColumns + kind.optionalColumns).joined(separator: ",").utf8)
            data.append(contentsOf: "\n".utf8)
        }
        data.append(contentsOf: input.rest)
        let files: SchoolFiles
        do { files = try SchoolFiles(contents: [kind: data]) } catch { return }
        var lastLine = 0
        for row in files {
            try expect(row.location.file == kind.fileName, "a row of \(row.location.file) from \(kind.fileName)")
            try expect(row.location.line > lastLine, "line \(row.location.line) after line \(lastLine)")
            lastLine = row.location.line
            if case .refused(let field, let reason) = row.content {
                try expect(!field.isEmpty && !reason.isEmpty, "a refused row without its field or reason")
            }
            if let time = row.time {
                let written = rfc3339(time)
                try expect(
                    SchoolFiles.time(from: written) == time, "\(time) written as \(written) does not read back")
            }
        }
    }

    /// `2024-03-01T09:30:00.123Z`.
    static func rfc3339(_ date: Date) -> String {
        let milliseconds = Timestamp(date).millisecondsSince1970
        let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        let fraction = milliseconds - seconds * 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = LocalDate(dayNumber: Int(days))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(day)T\(two(rest / 3_600)):\(two(rest / 60 % 60)):\(two(rest % 60)).\(millis)Z"
    }
}
