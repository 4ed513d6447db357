import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

@Suite("Countries, time zones and local days")
struct ValueTests {
    @Test("the embedded country list holds the 249 ISO 3166-1 alpha-2 codes")
    func countryList() throws {
        #expect(CountryCode.all.count == 249)
        #expect(try CountryCode("nl").code == "NL")
    }

    @Test("activity is stamped with the member's own calendar day")
    func localDays() async throws {
        let community = TestCommunity()
        // 2026-01-01T00:00Z is already the afternoon of 1 January in Auckland,
        // but still the afternoon of 31 December in Honolulu.
        let auckland = try await community.learner("Aroha", country: "NZ", timeZone: "Pacific/Auckland")
        let honolulu = try await community.learner("Kai", country: "US", timeZone: "Pacific/Honolulu")
        let aDay = try await community.service.activity(of: auckland.id, by: auckland.id).first?.event.localDate
        let hDay = try await community.service.activity(of: honolulu.id, by: honolulu.id).first?.event.localDate
        #expect(try aDay == LocalDate(year: 2026, month: 1, day: 1))
        #expect(try hDay == LocalDate(year: 2025, month: 12, day: 31))
    }

    @Test("a later change of time zone does not move days already logged")
    func timeZoneChange() async throws {
        let community = TestCommunity()
        let kai = try await community.learner("Kai", country: "US", timeZone: "Pacific/Honolulu")
        try await community.service.updateProfile(of: kai.id, by: kai.id) { $0.timeZone = "Pacific/Auckland" }
        let days = try await community.service.activity(of: kai.id, by: kai.id).map(\.event.localDate)
        #expect(days == [try LocalDate(year: 2025, month: 12, day: 31), try LocalDate(year: 2026, month: 1, day: 1)])
    }

    @Test("an activity event survives the trip through a log entry unchanged")
    func activityRoundTrip() throws {
        let event = ActivityEvent(
            id: EntryIDGenerator(seed: 1).next(at: Timestamp(millisecondsSince1970: 5)), kind: .answered, member: "m",
            time: Timestamp(millisecondsSince1970: 5), localDate: try LocalDate(year: 2026, month: 2, day: 3),
            context: ActivityContext(
                actor: "s", subject: .thread("t"), subjectOwner: "o", chapter: "c", programme: "p", board: "b",
                details: ActivityDetails(isFirstResponse: true)))
        #expect(try ActivityEvent(event.logEntry()) == event)
    }
}
