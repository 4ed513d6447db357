import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// The story a newcomer should read first: one learner's way through the community.
@Suite("A learner's journey")
struct LearnerJourneyScenarioTests {
    @Test("a learner joins a chapter, unlocks boards as they enrol and complete, and is promoted from a waitlist")
    func learnerJourney() async throws {
        let community = TestCommunity()
        let service = community.service

        // The school sets up a programme and a public chapter with an organizer.
        let staff = try await community.staff()
        let programme = try await service.createProgramme(id: "data-101", title: "Data Analytics", by: staff.id)
        let nairobi = try await service.createChapter(
            id: "nairobi", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
            timeZone: "Africa/Nairobi", by: staff.id)
        let organizer = try await community.learner("Otieno Organizer")
        try await service.appointOrganizer(organizer.id, of: nairobi.id, by: staff.id)

        // Amina joins the community and the public chapter; she sees its public board only.
        let amina = try await community.learner("Amina")
        #expect(try await service.journey(of: amina.id, by: amina.id).stage == .prospect)
        try await service.join(nairobi.id, member: amina.id, by: amina.id)
        var visible = try await service.boards(visibleTo: amina.id, by: amina.id).map(\.board.id)
        #expect(visible == [nairobi.publicBoard])

        // She enrols: the programme's private board unlocks.
        try await service.enrol(amina.id, in: programme.id, by: amina.id)
        #expect(try await service.journey(of: amina.id, by: amina.id).stage == .enrolled)
        visible = try await service.boards(visibleTo: amina.id, by: amina.id).map(\.board.id)
        #expect(visible.contains(programme.learnersBoard))
        #expect(!visible.contains(programme.alumniBoard))

        // She completes: the alumni board unlocks, and she is an alumnus.
        try await service.recordCompletion(
            of: amina.id, in: programme.id, certificateDate: try LocalDate(year: 2026, month: 1, day: 1), by: staff.id)
        #expect(try await service.journey(of: amina.id, by: amina.id).stage == .alumnus)
        visible = try await service.boards(visibleTo: amina.id, by: amina.id).map(\.board.id)
        #expect(visible.contains(programme.alumniBoard))

        // The organizer announces a meetup with two seats; two others take them, Amina waits.
        let meetup = try await service.createEvent(
            .meetup(capacity: 2, from: community.clock.now()), in: nairobi.id, by: organizer.id)
        let baraka = try await community.learner("Baraka")
        let chebet = try await community.learner("Chebet")
        #expect(try await service.register(baraka.id, for: meetup.id, by: baraka.id) == .registered(.inPerson))
        #expect(try await service.register(chebet.id, for: meetup.id, by: chebet.id) == .registered(.inPerson))
        #expect(
            try await service.register(amina.id, for: meetup.id, by: amina.id) == .waitlisted(.inPerson, position: 1))

        // Baraka cancels: Amina is promoted into his seat.
        let cancellation = try await service.cancelRegistration(of: baraka.id, for: meetup.id, by: baraka.id)
        #expect(cancellation.promoted == amina.id)

        // On the day, Amina checks in.
        community.clock.advance(by: 48 * 3_600)
        try await service.checkIn(amina.id, at: meetup.id, by: amina.id)
        // The roster is for the chapter's organizers and staff; anyone sees how many attended.
        #expect(try await service.roster(of: meetup.id, by: staff.id).attended == [amina.id])
        #expect(try await service.event(meetup.id).attendedCount == 1)

        // Every step is in her activity log, in order.
        #expect(
            try await community.kinds(of: amina.id) == [
                .joinedCommunity, .joinedChapter, .enrolled, .completed, .waitlistedForEvent,
                .promotedFromWaitlist, .attendedEvent,
            ])
    }
}
