import CommunityImport
import CommunityModel
import CommunitySimulation
import CommunityTestSupport
import Foundation
import SQLiteStorage
import Storage
import StorageTestKit
import Testing

/// A school's import is killed (SIGKILL, while a chunk may be committing) and resumed: the
/// store ends exactly as after one uninterrupted import, record for record, entry for entry,
/// position for position.
@Suite("Resuming an import")
struct ResumeTests {
    static let scale = (members: 300, events: 6_000, chunk: 500)

    static func runChild(_ path: String, dieAfter: Int) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            try ChildProcess.executable(named: "import-kill-child"),
            [path, "\(scale.members)", "\(scale.events)", "\(scale.chunk)", "\(dieAfter)"])
    }

    @Test(
        "a kill during the import, then a resume, gives the store one uninterrupted import gives",
        arguments: [1, 1_250, 2_750, 6_100])
    func killThenResume(dieAfter: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = directory.appendingPathComponent("whole.sqlite").path
        let killed = directory.appendingPathComponent("killed.sqlite").path

        let uninterrupted = try await Self.runChild(whole, dieAfter: 0)
        #expect(uninterrupted.status == 0, "\(uninterrupted.error)")
        let kill = try await Self.runChild(killed, dieAfter: dieAfter)
        #expect(kill.status == SIGKILL, "the child was to kill itself: \(kill.output) \(kill.error)")

        // The killed import left its marker: commands wait for the resume.
        let store = try await SQLiteStorage.open(path: killed, configuration: .bulkLoad)
        let community = CommunityService(
            store: store,
            clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600 + 40 * 86_400)))
        await #expect(throws: CommunityError.self) {
            try await community.registerMember(
                NewMember(displayName: "Too Early", email: "early@example.org", country: "KE", timeZone: "UTC"))
        }
        let scale = ActivityLogGenerator.Scale(members: Self.scale.members, events: Self.scale.events, days: 30)
        let importer = try await CommunityImporter.begin(
            "generated", into: community, options: CommunityImporter.Options(chunkSize: Self.scale.chunk))
        try await importer.add(SchoolHistoryGenerator(scale: scale))
        let report = try await importer.finish()
        #expect(report.rejections.isEmpty)
        #expect(report.imported + report.skipped >= scale.members + scale.events)

        let expected = try await StoreSnapshot(of: try await SQLiteStorage.open(path: whole))
        let resumed = try await StoreSnapshot(of: store)
        #expect(!expected.isEmpty)
        #expect(resumed.head == expected.head)
        #expect(resumed.changes(to: expected).isEmpty, "\(resumed.changes(to: expected).prefix(5))")
        #expect(resumed == expected)
        #expect(try await store.isBulkLoading() == false)
    }
}
