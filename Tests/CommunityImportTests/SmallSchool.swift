import CommunityImport
import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import StorageTestKit

/// A small school's history as import rows: programmes and a chapter, a staff member, three
/// learners, enrolments, a completion, a membership, an organizer and some posts, in time
/// order; and rows that the import must refuse.
struct SmallSchool {
    let community = TestCommunity()
    var store: InMemoryStore { community.store }
    var service: CommunityService { community.service }
    var clock: ManualClock { community.clock }

    static func day(_ year: Int, _ month: Int, _ day: Int, hour: Int = 9) -> Date {
        var components = DateComponents(year: year, month: month, day: day, hour: hour)
        components.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: components)!
    }

    private static func at(_ file: String, _ line: Int, _ content: ImportRow.Content) -> ImportRow {
        ImportRow(content, at: ImportLocation(file: file, line: line))
    }

    private static func learner(_ name: String, _ email: String, zone: String = "Africa/Nairobi") -> NewMember {
        NewMember(
            displayName: name, email: email, country: "KE", timeZone: zone, consents: [.publicLeaderboards])
    }

    /// The good rows, in time order (programmes and the chapter first).
    var rows: [ImportRow] {
        typealias Row = ImportRow
        return [
            Self.at("programmes.csv", 2, .programme(ImportedProgramme(id: "data-101", title: "Data Analytics"))),
            Self.at("programmes.csv", 3, .programme(ImportedProgramme(id: "lead-201", title: "Leadership"))),
            Self.at(
                "chapters.csv", 2,
                .chapter(
                    ImportedChapter(
                        id: "nairobi", name: "Nairobi", focus: .city("Nairobi", country: try! CountryCode("KE")),
                        timeZone: "Africa/Nairobi"))),
            Self.at(
                "members.csv", 2,
                .member(
                    ImportedMember(
                        schoolID: "S-0", joinedAt: Self.day(2024, 1, 10),
                        member: NewMember(
                            displayName: "Sam Staff", email: "sam@example.org", country: "KE", timeZone: "UTC",
                            roles: [.staff])))),
            Self.at(
                "members.csv", 3,
                .member(
                    ImportedMember(
                        schoolID: "S-1", joinedAt: Self.day(2024, 3, 1),
                        member: Self.learner("Amina Njoroge", "amina@example.org")))),
            Self.at(
                "enrolments.csv", 2,
                .enrolment(ImportedEnrolment(member: "S-1", programme: "data-101", enrolledAt: Self.day(2024, 3, 2)))),
            Self.at(
                "activity.csv", 2,
                .activity(
                    ImportedActivity(
                        member: "S-1", kind: .startedThread, time: Self.day(2024, 3, 3), subject: .thread("t-1")))),
            Self.at(
                "members.csv", 4,
                .member(
                    ImportedMember(
                        schoolID: "S-2", joinedAt: Self.day(2024, 4, 1),
                        member: Self.learner("Kofi Mensah", "kofi@example.org", zone: "Africa/Accra")))),
            Self.at(
                "activity.csv", 3,
                .activity(
                    ImportedActivity(
                        member: "S-2", kind: .replied, time: Self.day(2024, 4, 2), subject: .thread("t-1"),
                        subjectOwner: "S-1"))),
            Self.at(
                "activity.csv", 4,
                .activity(
                    ImportedActivity(
                        member: "S-1", kind: .reacted, time: Self.day(2024, 4, 3), subject: .post("p-7"),
                        subjectOwner: "S-2", details: ActivityDetails(reaction: .like)))),
            Self.at(
                "completions.csv", 2,
                .completion(
                    ImportedCompletion(
                        member: "S-1", programme: "data-101", completedAt: Self.day(2024, 10, 1),
                        certificateDate: try! LocalDate(year: 2024, month: 9, day: 30)))),
            Self.at(
                "memberships.csv", 2,
                .membership(ImportedMembership(member: "S-2", chapter: "nairobi", joinedAt: Self.day(2024, 11, 1)))),
            Self.at(
                "organizers.csv", 2,
                .organizer(ImportedOrganizer(member: "S-1", chapter: "nairobi", appointedAt: Self.day(2025, 2, 1)))),
            Self.at(
                "enrolments.csv", 3,
                .enrolment(ImportedEnrolment(member: "S-2", programme: "lead-201", enrolledAt: Self.day(2025, 2, 10)))),
        ]
    }

    /// Rows the import must refuse, each for one reason, after the good ones.
    var badRows: [ImportRow] {
        [
            // The email of another member.
            Self.at(
                "members.csv", 5,
                .member(
                    ImportedMember(
                        schoolID: "S-3", joinedAt: Self.day(2025, 3, 1),
                        member: Self.learner("Amina Again", "AMINA@example.org")))),
            // Not an email.
            Self.at(
                "members.csv", 6,
                .member(
                    ImportedMember(
                        schoolID: "S-4", joinedAt: Self.day(2025, 3, 1),
                        member: Self.learner("No Mail", "not-an-email")))),
            // A time zone that does not exist.
            Self.at(
                "members.csv", 7,
                .member(
                    ImportedMember(
                        schoolID: "S-5", joinedAt: Self.day(2025, 3, 1),
                        member: Self.learner("Lost Zone", "zone@example.org", zone: "Mars/Olympus")))),
            // A programme never imported.
            Self.at(
                "enrolments.csv", 4,
                .enrolment(ImportedEnrolment(member: "S-2", programme: "art-999", enrolledAt: Self.day(2025, 3, 2)))),
            // A certificate dated before the enrolment.
            Self.at(
                "completions.csv", 3,
                .completion(
                    ImportedCompletion(
                        member: "S-2", programme: "lead-201", completedAt: Self.day(2025, 3, 3),
                        certificateDate: try! LocalDate(year: 2020, month: 1, day: 1)))),
            // Not history a school brings.
            Self.at(
                "activity.csv", 5,
                .activity(ImportedActivity(member: "S-2", kind: .pointsAdjusted, time: Self.day(2025, 3, 4)))),
            // Earlier than what is already in.
            Self.at(
                "activity.csv", 6,
                .activity(
                    ImportedActivity(
                        member: "S-2", kind: .replied, time: Self.day(2024, 1, 1), subject: .thread("t-1")))),
        ]
    }

    func staffMember() async throws -> Member {
        try await member("S-0", by: nil)
    }

    /// The member the import minted for a school id, read as staff would.
    func member(_ schoolID: String, by staff: Member?) async throws -> Member {
        guard let link = try await store.record(RecordKey(collection: "import-members", id: schoolID)) else {
            throw Mismatch("no member imported for \(schoolID)")
        }
        let id = try StoredRecords.importedMember(link)
        guard let stored = try await store.record(RecordKey(collection: "members", id: id.rawValue)) else {
            throw Mismatch("no member record \(id)")
        }
        return try RecordDecoder().decode(Member.self, from: stored.data)
    }
}

struct Mismatch: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension StoreSnapshot {
    /// The snapshot without the import's own records (its marker, progress and status change
    /// with every run).
    var withoutImportBookkeeping: StoreSnapshot {
        StoreSnapshot(
            records: records.filter { !["import-marker", "import-progress", "import-status"].contains($0.collection) },
            head: head, entries: entries)
    }
}
