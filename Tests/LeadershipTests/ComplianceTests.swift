import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

/// Each quarter an organizer owes events and posts; the quarter is the chapter's own.
@Suite("Organizer compliance")
struct ComplianceTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("the same instants fall in different quarters in Auckland and Honolulu, and the report follows each chapter")
    func quarterBoundariesInTwoTimeZones() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let auckland = try await community.city(
            "akl", "Auckland", country: "NZ", timeZone: "Pacific/Auckland", by: staff)
        let honolulu = try await community.city(
            "hnl", "Honolulu", country: "US", timeZone: "Pacific/Honolulu", by: staff)
        let ana = try await community.learner("Ana", country: "NZ", timeZone: "Pacific/Auckland")
        let kai = try await community.learner("Kai", country: "US", timeZone: "Pacific/Honolulu")
        try await service.appointOrganizer(ana.id, of: auckland.id, by: staff.id)
        try await service.appointOrganizer(kai.id, of: honolulu.id, by: staff.id)

        community.clock.set(Self.utc("2026-03-20T00:00:00Z"))
        // 10:30Z on 31 March is 23:30 that day in Auckland (Q1) and 00:30 in Honolulu (Q1);
        // 11:30Z is 00:30 on 1 April in Auckland (Q2) and still 31 March in Honolulu (Q1).
        for start in ["2026-03-31T10:30:00Z", "2026-03-31T11:30:00Z"].map(Self.utc) {
            let event = NewEvent(title: "Meetup", format: .virtual(capacity: 20), start: start, end: start + 1_800)
            try await service.createEvent(event, in: auckland.id, by: ana.id)
            try await service.createEvent(event, in: honolulu.id, by: kai.id)
        }
        for number in 1...3 {
            try await service.startThread(on: auckland.publicBoard, by: ana.id, title: "Q1 note \(number)", body: "hi")
        }
        try await service.startThread(on: honolulu.publicBoard, by: kai.id, title: "Aloha", body: "hi")

        community.clock.set(Self.utc("2026-03-31T11:45:00Z"))
        let report = try await service.complianceReport(
            duties: OrganizerDuties(eventsPerQuarter: 1, postsPerQuarter: 3), by: staff.id)
        let aucklandRow = try #require(report.first { $0.chapter == auckland.id })
        let honoluluRow = try #require(report.first { $0.chapter == honolulu.id })

        #expect(aucklandRow.quarter == Quarter(year: 2026, number: 2))
        #expect(aucklandRow.eventsHeld == 1)
        #expect(aucklandRow.posts == 0, "posts of March belong to Auckland's Q1")
        #expect(aucklandRow.postsOwed == 3)
        #expect(aucklandRow.daysLeft == 90)  // 1 April to 30 June
        #expect(!aucklandRow.isMet)

        #expect(honoluluRow.quarter == Quarter(year: 2026, number: 1))
        #expect(honoluluRow.eventsHeld == 2)
        #expect(honoluluRow.posts == 1)
        #expect(honoluluRow.postsOwed == 2)
        #expect(honoluluRow.daysLeft == 0)
        #expect(report.map(\.chapterName) == ["Auckland", "Honolulu"])
    }

    @Test("cancelled events and other organizers' events do not count")
    func onlyHeldEventsOfTheOrganizer() async throws {
        let community = TestCommunity()
        let service = community.service
        let (staff, chapter, amina) = try await community.nairobiWithOrganizer()
        let start = community.clock.now() + 86_400
        let held = NewEvent(title: "Held", format: .virtual(capacity: 5), start: start, end: start + 3_600)
        let cancelled = try await service.createEvent(held, in: chapter.id, by: amina.id)
        try await service.cancelEvent(cancelled.id, by: amina.id)
        try await service.createEvent(held, in: chapter.id, by: staff.id)
        let row = try #require(try await service.complianceReport(by: staff.id).first)
        #expect(row.organizer == amina.id)
        #expect(row.eventsHeld == 0)
        #expect(row.eventsOwed == 1)
        let newYearsEve = try LocalDate(year: 2026, month: 12, day: 31)
        #expect(Quarter(containing: newYearsEve).lastDay == newYearsEve)
    }
}
