import CommunityModel
import Foundation
import Testing

@testable import Recognition

/// Spotlight picks: recent achievements, variety across countries and chapters, nobody featured
/// within the cooldown, consent respected, each pick with its reason.
@Suite("Spotlights")
struct SpotlightTests {
    static let november = try! LocalDate(year: 2026, month: 11, day: 1)
    static func day(_ day: Int, month: Int = 10) -> Date {
        Date(
            timeIntervalSince1970: Double(try! LocalDate(year: 2026, month: month, day: day).dayNumber) * 86_400 + 3_600
        )
    }

    static func candidate(
        _ member: MemberID, _ country: String, _ chapters: [ChapterID], _ achievements: [(String, Date)],
        consented: Bool = true, lastFeatured: LocalDate? = nil
    ) -> SpotlightCandidate {
        SpotlightCandidate(
            member: member, country: try! CountryCode(country), chapters: chapters,
            achievements: achievements.map { (what: $0.0, at: $0.1) }, consented: consented, lastFeatured: lastFeatured)
    }

    @Test("scenario: three picks, spread over countries and chapters, each with its reason")
    func picks() throws {
        let candidates = [
            Self.candidate(
                "ada", "KE", ["nbo"], [("Helper", Self.day(3)), ("Host", Self.day(9)), ("Regular", Self.day(20))]),
            Self.candidate("ben", "KE", ["nbo"], [("Helper", Self.day(5)), ("Host", Self.day(6))]),
            Self.candidate("cai", "NG", ["lagos"], [("Helper", Self.day(12))]),
            Self.candidate("dee", "IN", [], [("Regular", Self.day(2))]),
        ]
        let picks = try SpotlightSelection.choose(candidates, month: Self.november, policy: SpotlightPolicy(picks: 3))
        // Ada has the most; then Ben (Kenya, Nairobi again) gives way to Cai and Dee, who add variety.
        #expect(picks.map(\.member) == ["ada", "cai", "dee"])
        #expect(
            picks[0].reason
                == "3 recent achievements (Helper, Host, Regular); the first pick from KE, the first from chapter nbo")
        #expect(picks[2].reason == "1 recent achievement (Regular); the first pick from IN")
        #expect(picks.allSatisfy { $0.month == Self.november })
    }

    @Test("no consent, featured within the cooldown, or nothing recent: not picked")
    func exclusions() throws {
        let candidates = [
            Self.candidate("ada", "KE", ["nbo"], [("Helper", Self.day(3))], consented: false),
            Self.candidate(
                "ben", "NG", ["lagos"], [("Helper", Self.day(5))],
                lastFeatured: try LocalDate(year: 2026, month: 6, day: 1)
            ),
            Self.candidate("cai", "IN", [], [("Helper", Self.day(1, month: 1))]),  // January: too long ago
            Self.candidate("dee", "BR", [], [("Helper", Self.day(2, month: 11))]),  // in the month itself: not yet
            Self.candidate(
                "eve", "JP", [], [("Helper", Self.day(7))], lastFeatured: try LocalDate(year: 2026, month: 4, day: 1)),
        ]
        let picks = try SpotlightSelection.choose(candidates, month: Self.november, policy: SpotlightPolicy(picks: 5))
        // Ben was featured in June (within six months of November); Eve in April (just outside).
        #expect(picks.map(\.member) == ["eve"])
        #expect(throws: RecognitionError.self) {
            try SpotlightSelection.choose(candidates, month: Self.november, policy: SpotlightPolicy(picks: 0))
        }
    }

    @Test("through the service: picks come from stored badges, and once featured a member waits out the cooldown")
    func featuredMembersWait() async throws {
        let fixture = try await RecognitionServiceTests.Fixture()
        for learner in fixture.learners {
            _ = try await fixture.community.updateProfile(of: learner.id, by: learner.id) {
                $0.consents.insert(.spotlight)
            }
        }
        let recognition = try RecognitionService(community: fixture.community, badges: RecognitionServiceTests.badges)
        try await recognition.refresh()
        let february = try LocalDate(year: 2026, month: 2, day: 1)
        let picks = try await recognition.spotlightPicks(
            for: february, policy: SpotlightPolicy(picks: 1), by: fixture.staff.id)
        #expect(picks.count == 1)
        #expect(picks[0].reason.hasPrefix("2 recent achievements (Local, Welcome)"))  // same moment: by name
        try await recognition.feature(picks, by: fixture.staff.id)
        let march = try await recognition.spotlightPicks(
            for: try LocalDate(year: 2026, month: 3, day: 1), policy: SpotlightPolicy(picks: 2), by: fixture.staff.id)
        #expect(!march.map(\.member).contains(picks[0].member))
        await #expect(throws: CommunityError.self) { try await recognition.feature(picks, by: fixture.learners[0].id) }
    }
}
