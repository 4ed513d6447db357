import CommunityImport
import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// The sample export of the import guide (Documentation/ImportSample) goes in as the guide
/// says: the good rows land with their times (offsets honoured), the five bad rows are reported
/// with file, line, column and reason. Files with a broken header are refused whole; a cell
/// that does not parse is a reported row.
@Suite("A school's CSV files")
struct SchoolFilesTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Documentation/ImportSample")

    @Test("the guide's sample files import, and the report names the five rows they get wrong")
    func sampleFiles() async throws {
        let community = TestCommunity()
        community.clock.set(SmallSchool.day(2025, 1, 1))
        let importer = try await CommunityImporter.begin("sample", into: community.service)
        try await importer.add(try SchoolFiles(directory: Self.sample))
        let report = try await importer.finish()

        #expect(
            report.rejections.map { "\($0.file):\($0.line): \($0.field)" } == [
                "activity.csv:12: kind", "activity.csv:13: subjectOwner", "completions.csv:3: certificateDate",
                "enrolments.csv:6: programme", "members.csv:7: email",
            ])
        #expect(report.imported == 28)

        let school = try await StoredSchool(community.store)
        let amina = try #require(school.members["S-101"])
        #expect(amina.joinedAt == SmallSchool.day(2024, 1, 15, hour: 6).addingTimeInterval(30 * 60))
        #expect(amina.roles == [.learner, .alumnus, .chapterOrganizer])
        #expect(amina.profile.languages == ["en", "sw"])
        #expect(amina.profile.consents == [.publicLeaderboards, .newsletter])
        #expect(school.members["S-103"]?.profile.headline == "Marketing, data and coffee")
        #expect(school.members["S-100"]?.roles == [.staff])
        #expect(try await community.service.chapter("nairobi").organizers == [amina.id])
    }

    @Test("a header without a needed column, or with one no such file has, refuses the files before anything goes in")
    func badHeaders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("school-files-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let members = folder.appendingPathComponent("members.csv")
        try Data("school_id,joined_at,display_name,email,country\n".utf8).write(to: members)
        #expect(throws: SchoolFilesError.missingColumn(file: "members.csv", column: "time_zone")) {
            try SchoolFiles(directory: folder)
        }
        try Data("school_id,joined_at,display_name,email,country,time_zone,shoe_size\n".utf8).write(to: members)
        #expect(throws: SchoolFilesError.self) { try SchoolFiles(directory: folder) }
        try FileManager.default.removeItem(at: members)
        #expect(throws: SchoolFilesError.self) { try SchoolFiles(directory: folder) }
    }

    @Test("a cell that does not parse is a refused row with its column; a broken quote stops its file at that line")
    func badCells() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("school-files-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(
            """
            school_id,joined_at,display_name,email,country,time_zone,consents
            S-1,2024-01-01T00:00:00Z,Ana,ana@example.org,KE,UTC,
            S-2,yesterday,Ben,ben@example.org,KE,UTC,
            S-3,2024-01-02T00:00:00.1234567Z,Cy,cy@example.org,KE,UTC,sharing
            S-4,2024-01-03T00:00:00Z,"Dee,dee@example.org,KE,UTC,

            """.utf8
        ).write(to: folder.appendingPathComponent("members.csv"))
        let rows = Array(try SchoolFiles(directory: folder))
        #expect(rows.map(\.location.line) == [2, 3, 4, 5])
        let community = TestCommunity()
        let importer = try await CommunityImporter.begin("cells", into: community.service)
        try await importer.add(rows)
        let report = try await importer.finish()
        #expect(report.imported == 1)
        #expect(report.rejections.map { "\($0.line):\($0.field)" } == ["3:joined_at", "4:consents", "5:csv"])
    }

    @Test(
        "RFC 3339 times: offsets, fractions, and what is not a time",
        arguments: [
            ("2024-03-01T09:30:00Z", 1_709_285_400_000 as Int64?),
            ("2024-03-01T09:30:00.5+01:00", 1_709_281_800_500),
            ("2024-03-01t09:30:00.123456z", 1_709_285_400_123),
            ("2024-02-30T09:30:00Z", nil), ("2024-03-01T24:00:00Z", nil), ("2024-03-01T09:30:00", nil),
            ("2024-03-01T09:30:00.Z", nil), ("2024-03-01T09:30:00+1:00", nil), ("", nil), ("2024-03-01", nil),
        ])
    func times(text: String, milliseconds: Int64?) {
        let parsed = SchoolFiles.time(from: text).map { Timestamp($0).millisecondsSince1970 }
        #expect(parsed == milliseconds)
    }
}

/// The stored members by school id.
struct StoredSchool {
    var members: [String: Member] = [:]

    init(_ store: any DataStore) async throws {
        var byID: [MemberID: Member] = [:]
        for member in try await StoredRecords.all(Member.self, in: "members", of: store) { byID[member.id] = member }
        for record in try await store.allRecords(in: "import-members") {
            members[record.id] = byID[try StoredRecords.importedMember(record)]
        }
    }
}
