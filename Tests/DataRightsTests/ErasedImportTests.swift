import CommunityImport
import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// A school imports its members, one of them asks to be erased, and a later import brings the
/// same person again: they are recognised by a keyed hash of their email or school id, without
/// the library keeping either, and not imported unless the school asks.
@Suite("An erased person is not imported again unless asked")
struct ErasedImportTests {
    static func member(
        _ schoolID: String, _ email: String, line: Int, joined: Date, name: String = "Kofi Mensah",
        roles: Set<Role> = [.learner]
    ) -> ImportRow {
        ImportRow(
            .member(
                ImportedMember(
                    schoolID: schoolID, joinedAt: joined,
                    member: NewMember(
                        displayName: name, email: email, country: "GH", timeZone: "Africa/Accra",
                        roles: roles))),
            at: ImportLocation(file: "members.csv", line: line))
    }

    static func importing(
        _ rows: [ImportRow], as source: String, into community: CommunityService, readmit: Bool = false
    )
        async throws -> ImportReport
    {
        let importer = try await CommunityImporter.begin(
            source, into: community, options: CommunityImporter.Options(readmitsErased: readmit))
        try await importer.add(rows)
        return try await importer.finish()
    }

    @Test("a row with the erased person's email or school id is refused; with readmitsErased it is imported")
    func erasedPersonIsRecognised() async throws {
        let community = TestCommunity()
        let now = community.clock.now()
        let first = try await Self.importing(
            [
                Self.member(
                    "S-0", "sam@example.org", line: 2, joined: now.addingTimeInterval(-30 * 86_400), name: "Sam Staff",
                    roles: [.staff]),
                Self.member("S-1", "kofi@example.org", line: 3, joined: now.addingTimeInterval(-20 * 86_400)),
            ], as: "first", into: community.service)
        #expect(first.imported == 2, "\(first.rejections)")
        let staff = try #require(try await community.store.fetch("sam@example.org", from: Collections.emails)).value
            .member
        let kofi = try #require(try await community.store.fetch("kofi@example.org", from: Collections.emails)).value
            .member

        let report = try await community.service.eraseMember(kofi, by: staff, rights: ErasureScenario.rights)
        // The email and the school id.
        #expect(report.identitiesRemembered == 2)
        let found = try await RawScan.records(of: community.store, for: ["kofi@example.org", "Kofi Mensah"])
        #expect(found.isEmpty, "\(found)")

        community.clock.advance(by: 86_400)
        let later = community.clock.now().addingTimeInterval(-3_600)
        let again = try await Self.importing(
            [
                Self.member("S-1", "kofi.new@example.org", line: 2, joined: later),
                Self.member("S-77", "Kofi@Example.org", line: 3, joined: later),
                Self.member("S-2", "ama@example.org", line: 4, joined: later),
            ], as: "second", into: community.service)
        #expect(again.imported == 1)
        #expect(again.rejections.map(\.line) == [2, 3])
        #expect(again.rejections.allSatisfy { $0.reason.contains("erased on request") })

        community.clock.advance(by: 86_400)
        let readmitted = try await Self.importing(
            [Self.member("S-1", "kofi@example.org", line: 2, joined: community.clock.now().addingTimeInterval(-60))],
            as: "third", into: community.service, readmit: true)
        #expect(readmitted.imported == 1)
        #expect(readmitted.rejections.isEmpty)
    }
}
