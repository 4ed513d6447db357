import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

/// Advocacy: a share gives a referral code; a sign-up or enrolment that arrives with it is
/// attributed to the advocate once (first touch wins), within the window, never to oneself;
/// codes that cannot attribute are recorded with the reason, never a crash.
@Suite("Advocacy and referrals")
struct AdvocacyTests {
    struct Fixture {
        let community = TestCommunity()
        var service: CommunityService { community.service }
        let staff: Member
        let ada: Member
        let ben: Member
        let programme: Programme

        init() async throws {
            staff = try await community.staff()
            ada = try await community.service.registerMember(
                NewMember(
                    displayName: "Ada", email: "ada@example.org", country: "KE", timeZone: "Africa/Nairobi",
                    consents: [.publicLeaderboards]))
            ben = try await community.learner("Ben")
            programme = try await community.service.createProgramme(
                id: "finance", title: "Finance Basics", by: staff.id)
        }
    }

    /// The finding of issue 26: codes came from the seeded generator behind entry ids, whose
    /// state every minted id exposes, so the next code could be computed. Two services with the
    /// same id seed and the same history now mint different codes.
    @Test("a referral code does not follow from the id generator: it comes from the system's secrets")
    func codesAreSecret() async throws {
        var codes: [String] = []
        for _ in 0..<2 {
            let store = InMemoryStore()
            let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
            let service = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 9))
            let ada = try await service.registerMember(
                NewMember(
                    id: "ada", displayName: "Ada", email: "ada@example.org", country: "KE", timeZone: "Africa/Nairobi"))
            codes.append(try await service.share(.badge("Helper"), by: ada.id, on: "LinkedIn").code)
        }
        #expect(codes[0] != codes[1])
        #expect(codes.allSatisfy { $0.count == 16 })
    }

    @Test("scenario: Ada shares her badge on LinkedIn; Cleo signs up and enrols with the code; Ada's funnel shows it")
    func funnel() async throws {
        let fixture = try await Fixture()
        let service = fixture.service
        let share = try await service.share(.badge("Helper"), by: fixture.ada.id, on: "LinkedIn")
        #expect(share.code.count == 16 && share.network == "linkedin")
        let cleo = try await fixture.community.learner("Cleo")
        #expect(
            try await service.attributeReferral(code: share.code, to: cleo.id, for: .signUp)
                == .attributed(advocate: fixture.ada.id, firstTouch: true))
        try await service.enrol(cleo.id, in: fixture.programme.id, by: cleo.id)
        // The enrolment arrives with Ben's code: first touch wins, it counts for Ada.
        let benShare = try await service.share(.badge("Helper"), by: fixture.ben.id, on: "X")
        #expect(
            try await service.attributeReferral(code: benShare.code, to: cleo.id, for: .enrolment(fixture.programme.id))
                == .attributed(advocate: fixture.ada.id, firstTouch: false))
        let funnel = try await service.advocacyFunnel(of: fixture.ada.id, by: fixture.staff.id)
        #expect(funnel.shares == 1 && funnel.signUps == 1 && funnel.enrolments == 1)
        #expect(try await service.advocacyFunnel(of: fixture.ben.id, by: fixture.staff.id).signUps == 0)
        // Ben did not agree to appear on public boards: the ranking leaves him out.
        #expect(try await service.advocacyRanking().map(\.advocate) == [fixture.ada.id])
        #expect(try await fixture.community.kinds(of: fixture.ada.id).contains(.referralAttributed))
    }

    @Test("malformed, unknown, expired and one's own codes attribute nothing and say why; odd input never crashes")
    func unattributed() async throws {
        let fixture = try await Fixture()
        let service = fixture.service
        let code = try await service.share(.spotlight("2026-01"), by: fixture.ada.id, on: "WeChat").code
        let cleo = try await fixture.community.learner("Cleo")
        // Her own code: never attributed.
        #expect(
            try await service.attributeReferral(code: code, to: fixture.ada.id, for: .signUp)
                == .unattributed(.selfReferral))
        for odd in ["hello", "", String(repeating: "7", count: 10_000), "A\u{0}B", "🎉🎉🎉", "ZZZZ-ZZZZ-ZZZZ-ZZZU"] {
            #expect(
                try await service.attributeReferral(code: odd, to: cleo.id, for: .signUp)
                    == .unattributed(.malformedCode))
        }
        #expect(
            try await service.attributeReferral(code: "0000-0000-0000-0000", to: cleo.id, for: .signUp)
                == .unattributed(.unknownCode))
        // Typed by hand (lower case, dashes, O for 0) the code still works, within the window.
        let typed = code.lowercased().replacingOccurrences(of: "0", with: "o")
        fixture.community.clock.advance(by: 31 * 86_400)
        #expect(
            try await service.attributeReferral(code: typed, to: cleo.id, for: .signUp) == .unattributed(.expiredCode))
        #expect(
            try await service.attributeReferral(
                code: typed, to: cleo.id, for: .signUp, policy: ReferralPolicy(windowDays: 60))
                == .attributed(advocate: fixture.ada.id, firstTouch: true))
        await #expect(throws: CommunityError.self) {
            try await service.attributeReferral(code: code, to: "nobody", for: .signUp)
        }
        await #expect(throws: CommunityError.self) {
            try await service.attributeReferral(code: code, to: cleo.id, for: .enrolment("no-such-programme"))
        }
    }
}
