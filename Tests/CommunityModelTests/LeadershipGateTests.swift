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
    @Test("an organizer who has not passed the gate cannot create an event, and nothing is stored")
    func gateRefuses() async throws {
        let store = InMemoryStore()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
        let open = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 1))
        let staff = try await open.registerMember(
            .make("Sam", country: "NL", timeZone: "Europe/Amsterdam", roles: [.staff]))
        let chapter = try await open.createChapter(
            id: "accra", name: "Accra", focus: .country(try CountryCode("GH")), timeZone: "Africa/Accra", by: staff.id)
        let kofi = try await open.registerMember(.make("Kofi", country: "GH", timeZone: "Africa/Accra"))
        try await open.appointOrganizer(kofi.id, of: chapter.id, by: staff.id)

        let gated = CommunityService(
            store: store, clock: clock, ids: EntryIDGenerator(seed: 2),
            gate: RequiresAcknowledgement(acknowledged: [staff.id]))
        let community = TestCommunityView(store: store)
        try await community.expectRefusal({
            $0 == .acknowledgementRequired(member: kofi.id, action: "createChapterEvent", version: "2.0")
        }) {
            try await gated.createEvent(.meetup(from: clock.now()), in: chapter.id, by: kofi.id)
        }
        // Once acknowledged, the same organizer may act.
        let acknowledged = CommunityService(
            store: store, clock: clock, ids: EntryIDGenerator(seed: 3),
            gate: RequiresAcknowledgement(acknowledged: [kofi.id]))
        let event = try await acknowledged.createEvent(.meetup(from: clock.now()), in: chapter.id, by: kofi.id)
        #expect(event.createdBy == kofi.id)
    }
}
