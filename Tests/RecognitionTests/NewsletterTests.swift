import CommunityModel
import Foundation
import Storage
import Testing

@testable import Recognition

/// The monthly newsletter: upcoming events in the reader's time zone, the month's achievements
/// with consent respected, and every user-supplied string escaped in Markdown and HTML.
@Suite("Newsletter")
struct NewsletterTests {
    /// A Nairobi chapter with an organizer, a hostile event title and member names, and badges
    /// awarded on 2026-01-01; the newsletter is February's.
    static func newsletter(for reader: TimeZoneID = try! TimeZoneID("Asia/Tokyo")) async throws -> (
        Newsletter, RecognitionServiceTests.Fixture
    ) {
        let fixture = try await RecognitionServiceTests.Fixture()
        let community = fixture.community
        // Amina agrees to be featured; Baraka does not; a third member has a hostile name.
        _ = try await community.updateProfile(of: fixture.learners[0].id, by: fixture.learners[0].id) {
            $0.consents.insert(.spotlight)
        }
        let hostile = try await community.registerMember(
            NewMember(
                displayName: "سارة <script>alert(1)</script>", email: "sara@example.org", country: "EG",
                timeZone: "Africa/Cairo", consents: [.spotlight]))
        try await community.join("nbo", member: hostile.id, by: hostile.id)
        try await community.appointOrganizer(fixture.learners[0].id, of: "nbo", by: fixture.staff.id)
        // 2026-02-10 15:30 UTC: 00:30 on the 11th in Tokyo.
        let start = Date(timeIntervalSince1970: 1_770_737_400)
        try await community.createEvent(
            NewEvent(
                title: "<b>\"Pitch\" & 'demo'</b>; bring snacks, laptops", format: .inPerson(capacity: 20),
                start: start,
                end: start + 7_200),
            in: "nbo", by: fixture.learners[0].id)
        let recognition = try RecognitionService(community: community, badges: RecognitionServiceTests.badges)
        try await recognition.refresh()
        fixture.clock.set(Date(timeIntervalSince1970: 1_769_904_000))  // 2026-02-01
        let newsletter = try await recognition.newsletter(
            for: try LocalDate(year: 2026, month: 2, day: 1), audience: .everyone, readerTimeZone: reader,
            title: "Brightpath community — February", eventURL: { URL(string: "https://school.example/events/\($0)") },
            domain: "school.example")
        return (newsletter, fixture)
    }

    @Test("scenario: February's newsletter lists the event in the reader's time zone and January's badges")
    func contents() async throws {
        let (newsletter, _) = try await Self.newsletter()
        #expect(newsletter.events.count == 1)
        #expect(newsletter.events[0].localStart.contains("11 Feb 2026"), "\(newsletter.events[0].localStart)")
        #expect(newsletter.events[0].localStart.contains("00:30"), "\(newsletter.events[0].localStart)")
        let local = newsletter.badges.first { $0.badge == "Local" }
        // Three joined the chapter in January; two agreed to be featured. The third is neither
        // named nor counted (issue 26: in a small chapter a count alone names them).
        #expect(local?.count == 2)
        #expect(local?.named == ["Amina", "سارة <script>alert(1)</script>"])
        #expect(newsletter.markdown().contains("Local (bronze): 2 earned"))
    }

    @Test("HTML escapes hostile names and titles and loads nothing from outside; Markdown escapes them too")
    func escaping() async throws {
        let (newsletter, _) = try await Self.newsletter()
        let html = newsletter.html()
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;b&gt;&quot;Pitch&quot; &amp; &#39;demo&#39;&lt;/b&gt;"))
        #expect(html.contains("سارة"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<link"))
        let markdown = newsletter.markdown()
        #expect(!markdown.contains("<script>") && !markdown.contains("<b>"))
        #expect(markdown.contains("&lt;b&gt;"))
    }

    @Test("the events export as an iCalendar file, and an unknown chapter audience is refused")
    func calendarAndAudience() async throws {
        let (newsletter, fixture) = try await Self.newsletter()
        let file = newsletter.calendar(stamp: Date(timeIntervalSince1970: 1_769_904_000))
        #expect(file.contains("SUMMARY:<b>\"Pitch\" & 'demo'</b>\\; bring snacks\\, laptops"))
        #expect(file.contains("DTSTART:20260210T153000Z"))
        #expect(file.contains("LOCATION:Nairobi\\, KE"))
        let recognition = try RecognitionService(community: fixture.community, badges: [])
        await #expect(throws: CommunityError.self) {
            try await recognition.newsletter(
                for: try LocalDate(year: 2026, month: 2, day: 1), audience: .chapter("nowhere"), readerTimeZone: .utc,
                title: "X", eventURL: { _ in nil }, domain: "school.example")
        }
    }
}
