import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// A gate that refuses leaders who have not acknowledged version 2.0 (as Guidelines will).
struct RequiresAcknowledgement: LeadershipGate {
    let acknowledged: Set<MemberID>

    func authorize(_ action: LeadershipAction, by member: Member, in chapter: ChapterID?) async throws(CommunityError) {
        guard acknowledged.contains(member.id) else {
            throw .acknowledgementRequired(member: member.id, action: action.rawValue, version: "2.0")
        }
    }
}

@Suite("The leadership gate")
struct LeadershipGateTests {
    /// A store with staff, the Accra chapter and Kofi, its organizer, through an open gate.
    struct Accra {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
        let open: CommunityService
        let staff: Member
        let chapter: Chapter
        let kofi: Member

        init() async throws {
            open = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 1))
            staff = try await open.registerMember(
                .make("Sam", country: "NL", timeZone: "Europe/Amsterdam", roles: [.staff]))
            chapter = try await open.createChapter(
                id: "accra", name: "Accra", focus: .country(try CountryCode("GH")), timeZone: "Africa/Accra",
                by: staff.id)
            kofi = try await open.registerMember(.make("Kofi", country: "GH", timeZone: "Africa/Accra"))
            try await open.appointOrganizer(kofi.id, of: chapter.id, by: staff.id)
        }

        /// The same store behind a gate that only `acknowledged` pass.
        func gated(_ acknowledged: Set<MemberID>, seed: UInt64 = 2) -> CommunityService {
            CommunityService(
                store: store, clock: clock, ids: EntryIDGenerator(seed: seed),
                gate: RequiresAcknowledgement(acknowledged: acknowledged))
        }
    }

    @Test("an organizer who has not passed the gate cannot create an event, and nothing is stored")
    func gateRefuses() async throws {
        let accra = try await Accra()
        let (store, clock, staff, chapter, kofi) = (accra.store, accra.clock, accra.staff, accra.chapter, accra.kofi)
        let gated = accra.gated([staff.id])
        let community = TestCommunityView(store: store)
        try await community.expectRefusal({
            $0 == .acknowledgementRequired(member: kofi.id, action: "createChapterEvent", version: "2.0")
        }) {
            try await gated.createEvent(.meetup(from: clock.now()), in: chapter.id, by: kofi.id)
        }
        // Once acknowledged, the same organizer may act.
        let acknowledged = accra.gated([kofi.id], seed: 3)
        let event = try await acknowledged.createEvent(.meetup(from: clock.now()), in: chapter.id, by: kofi.id)
        #expect(event.createdBy == kofi.id)
    }

    @Test("removing a post passes the leadership gate, as every leadership action does")
    func removalPassesTheGate() async throws {
        let accra = try await Accra()
        let ama = try await accra.open.registerMember(.make("Ama", country: "GH", timeZone: "Africa/Accra"))
        try await accra.open.join(accra.chapter.id, member: ama.id, by: ama.id)
        let thread = try await accra.open.startThread(
            on: accra.chapter.publicBoard, by: ama.id, title: "Hello", body: "all")
        try await TestCommunityView(store: accra.store).expectRefusal({
            $0 == .acknowledgementRequired(member: accra.kofi.id, action: "moderateBoard", version: "2.0")
        }) {
            try await accra.gated([accra.staff.id]).removePost(
                thread.openingPost, by: accra.kofi.id, reason: "Off topic")
        }
    }
}
