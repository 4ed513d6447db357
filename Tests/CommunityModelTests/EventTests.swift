import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@Suite("Events, registration and waitlists")
struct EventTests {
    func setUp() async throws -> (TestCommunity, Member, Chapter) {
        let community = TestCommunity()
        let staff = try await community.staff()
        let chapter = try await community.service.createChapter(
            id: "sp", name: "São Paulo", focus: .city("São Paulo", country: try CountryCode("BR")),
            timeZone: "America/Sao_Paulo", by: staff.id)
        return (community, staff, chapter)
    }

    @Test("a hybrid event has separate in-person and virtual seats, each with its own waitlist")
    func hybridLanes() async throws {
        let (community, staff, chapter) = try await setUp()
        let now = community.clock.now()
        let event = try await community.service.createEvent(
            NewEvent(
                title: "Hybrid night", format: .hybrid(inPersonCapacity: 1, virtualCapacity: 1),
                start: now + 3_600, end: now + 7_200), in: chapter.id, by: staff.id)
        let a = try await community.learner("Ana")
        let b = try await community.learner("Bruno")
        let c = try await community.learner("Carla")
        #expect(
            try await community.service.register(a.id, for: event.id, mode: .inPerson, by: a.id)
                == .registered(.inPerson))
        #expect(
            try await community.service.register(b.id, for: event.id, mode: .virtual, by: b.id) == .registered(.virtual)
        )
        #expect(
            try await community.service.register(c.id, for: event.id, mode: .virtual, by: c.id)
                == .waitlisted(.virtual, position: 1))
        let stored = try await community.service.event(event.id)
        #expect(stored.registeredCount == 2)
        #expect(stored.waitlistCount == 1)
        #expect(stored.timeZone.identifier == "America/Sao_Paulo")
    }

    @Test("the waitlist promotes in the order members joined it")
    func waitlistOrder() async throws {
        let (community, staff, chapter) = try await setUp()
        let event = try await community.service.createEvent(
            .meetup(capacity: 1, from: community.clock.now()), in: chapter.id, by: staff.id)
        let seated = try await community.learner("Seated")
        let first = try await community.learner("First")
        let second = try await community.learner("Second")
        for member in [seated, first, second] {
            try await community.service.register(member.id, for: event.id, by: member.id)
        }
        #expect(
            try await community.service.cancelRegistration(of: seated.id, for: event.id, by: seated.id).promoted
                == first.id)
        #expect(
            try await community.service.cancelRegistration(of: first.id, for: event.id, by: first.id).promoted
                == second.id)
        #expect(
            try await community.service.cancelRegistration(of: second.id, for: event.id, by: second.id).promoted == nil)
        // Leaving the waitlist frees no seat and promotes nobody.
        let lane = try await community.service.roster(of: event.id, by: staff.id).lanes[.inPerson]
        #expect(lane?.registered == [] && lane?.waitlist == [])
    }

    @Test("a cancelled event tells every registrant through their activity stream")
    func cancellation() async throws {
        let (community, staff, chapter) = try await setUp()
        let event = try await community.service.createEvent(
            .meetup(capacity: 1, from: community.clock.now()), in: chapter.id, by: staff.id)
        let a = try await community.learner("Ana")
        let b = try await community.learner("Bruno")
        try await community.service.register(a.id, for: event.id, by: a.id)
        try await community.service.register(b.id, for: event.id, by: b.id)
        try await community.service.cancelEvent(event.id, by: staff.id)
        for member in [a, b] {
            #expect(try await community.kinds(of: member.id).last == .eventCancelledForRegistrant)
        }
        #expect(try await community.service.registrations(of: a.id, by: a.id).map(\.status) == [.eventCancelled])
        await #expect(throws: CommunityError.self) {
            try await community.service.register(a.id, for: event.id, by: a.id)
        }
    }

    @Test("many members registering at once never take more seats than there are")
    func concurrentRegistrations() async throws {
        let (community, staff, chapter) = try await setUp()
        let event = try await community.service.createEvent(
            .meetup(capacity: 5, from: community.clock.now()), in: chapter.id, by: staff.id)
        var members: [Member] = []
        for index in 0..<20 { members.append(try await community.learner("Member \(index)")) }
        let service = community.service
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in members {
                group.addTask { _ = try await service.register(member.id, for: event.id, by: member.id) }
            }
            try await group.waitForAll()
        }
        let stored = try await service.roster(of: event.id, by: staff.id)
        #expect(stored.registeredCount == 5)
        #expect(stored.waitlistCount == 15)
        #expect(Set(stored.lanes[.inPerson]!.registered + stored.lanes[.inPerson]!.waitlist) == Set(members.map(\.id)))
    }

    @Test("check-in opens an hour before the start")
    func checkInWindow() async throws {
        let (community, staff, chapter) = try await setUp()
        let event = try await community.service.createEvent(
            .meetup(from: community.clock.now()), in: chapter.id, by: staff.id)
        let a = try await community.learner("Ana")
        try await community.service.register(a.id, for: event.id, by: a.id)
        await #expect(throws: CommunityError.self) { try await community.service.checkIn(a.id, at: event.id, by: a.id) }
        community.clock.set(event.start - 1_800)
        try await community.service.checkIn(a.id, at: event.id, by: a.id)
        await #expect(throws: CommunityError.self) { try await community.service.checkIn(a.id, at: event.id, by: a.id) }
    }
}
