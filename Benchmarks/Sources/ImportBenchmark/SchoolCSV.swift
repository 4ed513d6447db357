import CommunityImport
import CommunityModel
import Foundation
import Storage

/// Writes import rows as the import guide's CSV files, so that reading them back through
/// `SchoolFiles` can be timed apart from the import.
struct SchoolCSV {
    private var files: [SchoolFiles.Kind: FileHandle] = [:]
    private var buffers: [SchoolFiles.Kind: [UInt8]] = [:]
    let directory: URL

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static let headers: [SchoolFiles.Kind: String] = [
        .programmes: "id,title", .chapters: "id,name,focus,place",
        .members: "school_id,joined_at,display_name,email,country,time_zone,consents",
        .enrolments: "member,programme,enrolled_at", .completions: "member,programme,completed_at,certificate_date",
        .memberships: "member,chapter,joined_at", .organizers: "member,chapter,appointed_at",
        .activity: "member,kind,time,subject,subject_owner,chapter,programme,reaction,first_response,attendance_mode",
    ]

    /// `2024-03-01T09:30:00.123Z`.
    static func time(_ date: Date) -> String {
        let milliseconds = Timestamp(date).millisecondsSince1970
        let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(LocalDate(dayNumber: Int(days)))T\(pad(rest / 3_600, 2)):\(pad(rest / 60 % 60, 2)):"
            + "\(pad(rest % 60, 2)).\(pad(milliseconds - seconds * 1_000, 3))Z"
    }

    mutating func write(_ row: ImportRow) throws {
        let (kind, cells): (SchoolFiles.Kind, [String]) =
            switch row.content {
            case .programme(let p): (.programmes, [p.id.rawValue, p.title])
            case .chapter(let c): (.chapters, [c.id.rawValue, c.name, "interest", c.name])
            case .member(let m):
                (
                    .members,
                    [
                        m.schoolID, Self.time(m.joinedAt), m.member.displayName, m.member.email, m.member.country,
                        m.member.timeZone, m.member.consents.map(\.rawValue).sorted().joined(separator: " "),
                    ]
                )
            case .enrolment(let e): (.enrolments, [e.member, e.programme.rawValue, Self.time(e.enrolledAt)])
            case .completion(let c):
                (
                    .completions,
                    [c.member, c.programme.rawValue, Self.time(c.completedAt), c.certificateDate.description]
                )
            case .membership(let m): (.memberships, [m.member, m.chapter.rawValue, Self.time(m.joinedAt)])
            case .organizer(let o): (.organizers, [o.member, o.chapter.rawValue, Self.time(o.appointedAt)])
            case .activity(let a):
                (
                    .activity,
                    [
                        a.member, a.kind.rawValue, Self.time(a.time), a.subject?.rawValue ?? "", a.subjectOwner ?? "",
                        a.chapter?.rawValue ?? "", a.programme?.rawValue ?? "", a.details.reaction?.rawValue ?? "",
                        a.details.isFirstResponse.map { "\($0)" } ?? "", a.details.attendanceMode?.rawValue ?? "",
                    ]
                )
            case .refused: (.activity, [])
            }
        guard !cells.isEmpty else { return }
        if buffers[kind] == nil {
            let url = directory.appendingPathComponent(kind.fileName)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            files[kind] = try FileHandle(forWritingTo: url)
            buffers[kind] = Array((Self.headers[kind]! + "\n").utf8)
        }
        buffers[kind]!.append(contentsOf: (cells.joined(separator: ",") + "\n").utf8)
        if buffers[kind]!.count > 1 << 20 { try flush(kind) }
    }

    private mutating func flush(_ kind: SchoolFiles.Kind) throws {
        try files[kind]?.write(contentsOf: buffers[kind] ?? [])
        buffers[kind] = []
    }

    mutating func close() throws {
        for kind in Array(files.keys) {
            try flush(kind)
            try files[kind]?.close()
        }
    }
}
