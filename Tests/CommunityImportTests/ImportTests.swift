import CommunityImport
import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import StorageTestKit
import Testing

/// An online school adopts the library with years behind it: two programmes, a chapter, three
/// learners who joined in 2024 and 2025, their enrolments and a completion with its certificate
/// date, a membership, an organizer, and their posts. The import keeps every original date,
/// refuses the rows a command would refuse (saying file, line, field and why) while the good
/// rows go in, keeps the school's ids and emails out of the log, and leaves a community that
/// works through the public API, with log positions in time order.
@Suite("Importing a school")
struct ImportTests {
    @Test("a school's history goes in with its original dates; refused rows are reported and the rest lands")
    func scenario() async throws {
        let school = SmallSchool()
        let importer = try await CommunityImporter.begin("school", into: school.service)
        try await importer.add(school.rows + school.badRows)
        let report = try await importer.finish()

        #expect(report.imported == school.rows.count)
        #expect(report.skipped == 0)
        #expect(
            report.rejections.map { "\($0.file):\($0.line):\($0.field)" } == [
                "activity.csv:5:kind", "activity.csv:6:time", "completions.csv:3:certificateDate",
                "enrolments.csv:4:programme", "members.csv:5:email", "members.csv:6:email",
                "members.csv:7:timeZone",
            ])
        #expect(report.rejections.allSatisfy { !$0.reason.isEmpty })

        let staff = try await school.staffMember()
        let amina = try await school.member("S-1", by: staff)
        #expect(amina.profile.displayName == "Amina Njoroge")
        #expect(amina.joinedAt == SmallSchool.day(2024, 3, 1))
        #expect(amina.roles == [.learner, .alumnus, .chapterOrganizer])
        let journey = try await school.service.enrolments(of: amina.id, by: staff.id)
        #expect(journey.map(\.programme) == ["data-101"])
        #expect(journey.first?.enrolledAt == SmallSchool.day(2024, 3, 2))
        #expect(journey.first?.certificateDate == (try LocalDate(year: 2024, month: 9, day: 30)))
        #expect(try await school.service.contact(of: amina.id, by: staff.id).email == "amina@example.org")
        let nairobi = try await school.service.chapter("nairobi")
        #expect(nairobi.organizers == [amina.id])

        // The log: original times, positions in time order, no school id or email in it.
        let entries = try await school.store.allEntries()
        #expect(entries.count == report.entries)
        #expect(entries.map(\.entry.time) == entries.map(\.entry.time).sorted())
        #expect(entries.allSatisfy { $0.id.isImported })
        let bytes = entries.map { [UInt8]($0.entry.payload) + Array(($0.entry.subject ?? "").utf8) }
        for secret in ["S-1", "amina@example.org", "Amina"] {
            #expect(!bytes.contains { String(decoding: $0, as: UTF8.self).contains(secret) })
        }
    }

    @Test("while an import runs every command is refused; once it finishes the community takes commands")
    func commandsWaitForTheImport() async throws {
        let school = SmallSchool()
        let importer = try await CommunityImporter.begin("school", into: school.service)
        try await importer.add(school.rows)
        await #expect(throws: CommunityError.self) {
            try await school.service.registerMember(
                NewMember(displayName: "Sam Staff", email: "sam@example.org", country: "KE", timeZone: "UTC"))
        }
        _ = try await importer.finish()
        let sam = try await school.service.registerMember(
            NewMember(displayName: "Sam Late", email: "late@example.org", country: "KE", timeZone: "UTC"))
        #expect(sam.joinedAt == school.clock.now())
    }

    @Test("an import is refused into a community that already has live activity")
    func refusedAfterLiveActivity() async throws {
        let school = SmallSchool()
        try await school.service.registerMember(
            NewMember(displayName: "Early Bird", email: "early@example.org", country: "KE", timeZone: "UTC"))
        await #expect(throws: CommunityError.self) {
            _ = try await CommunityImporter.begin("school", into: school.service)
        }
        // Nor after an import, once commands have run.
        let other = SmallSchool()
        let first = try await CommunityImporter.begin("school", into: other.service)
        try await first.add(other.rows)
        _ = try await first.finish()
        try await other.service.registerMember(
            NewMember(displayName: "New Comer", email: "new@example.org", country: "KE", timeZone: "UTC"))
        await #expect(throws: CommunityError.self) {
            _ = try await CommunityImporter.begin("more", into: other.service)
        }
    }

    @Test("running a finished import's files again stores nothing twice")
    func rerunStoresNothingTwice() async throws {
        let school = SmallSchool()
        let first = try await CommunityImporter.begin("school", into: school.service)
        try await first.add(school.rows + school.badRows)
        _ = try await first.finish()
        let before = try await StoreSnapshot(of: school.store)

        let again = try await CommunityImporter.begin("school", into: school.service)
        try await again.add(school.rows + school.badRows)
        let report = try await again.finish()
        #expect(report.skipped == school.rows.count + school.badRows.count)
        #expect(try await StoreSnapshot(of: school.store).withoutImportBookkeeping == before.withoutImportBookkeeping)
    }

    @Test("a row whose location cannot name its entries is refused whole; the rows before it are kept")
    func badLocations() async throws {
        let school = SmallSchool()
        let importer = try await CommunityImporter.begin("school", into: school.service)
        let good = Array(school.rows.prefix(4))
        for location in [
            ImportLocation(file: "members.csv", line: 0), ImportLocation(file: "members|csv", line: 9),
            ImportLocation(file: "", line: 9), ImportLocation(file: "members.csv", line: -3),
        ] {
            var bad = school.rows[4]
            bad.location = location
            await #expect(throws: CommunityError.self) { try await importer.add(good + [bad]) }
        }
        let report = try await importer.finish()
        #expect(report.imported == 4)
        #expect(report.skipped == 12)
    }

    @Test("the change feed does not announce imported history as new")
    func feedSkipsImportedHistory() async throws {
        let school = SmallSchool()
        let importer = try await CommunityImporter.begin("school", into: school.service)
        try await importer.add(school.rows)
        _ = try await importer.finish()
        let sam = try await school.service.registerMember(
            NewMember(displayName: "Sam Late", email: "late@example.org", country: "KE", timeZone: "UTC"))
        var feed = school.service.activityFeed().makeAsyncIterator()
        let first = try await feed.next()
        #expect(first?.event.member == sam.id)
        #expect(first?.event.kind == .joinedCommunity)
        var all = school.service.activityFeed(includingImported: true).makeAsyncIterator()
        #expect(try await all.next()?.event.id.isImported == true)
    }
}
