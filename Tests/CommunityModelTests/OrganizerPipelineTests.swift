import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// The path from superuser to vetted organizer: staff nominate Amina, vet her, and once active
/// she runs events for her own chapter, and only for it.
@Suite("Organizer pipeline")
struct OrganizerPipelineTests {
    struct World {
        let community: TestCommunity
        let staff: Member
        let nairobi: Chapter
        let lagos: Chapter
        let programme: Programme
        var service: CommunityService { community.service }

        /// A learner who completed the programme and belongs to Nairobi.
        func graduate(_ name: String) async throws -> Member {
            let member = try await community.learner(name)
            try await service.enrol(member.id, in: programme.id, by: member.id)
            community.clock.advance(by: 86_400)
            try await service.recordCompletion(
                of: member.id, in: programme.id, certificateDate: LocalDate(community.clock.now(), in: .utc),
                by: staff.id)
            try await service.join(nairobi.id, member: member.id, by: member.id)
            return member
        }
    }

    func world() async throws -> World {
        let community = TestCommunity()
        let staff = try await community.staff()
        let service = community.service
        let nairobi = try await community.city(
            "nairobi", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let lagos = try await community.city("lagos", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        let programme = try await service.createProgramme(id: "data", title: "Data Analytics", by: staff.id)
        return World(
            community: community, staff: staff, nairobi: nairobi, lagos: lagos, programme: programme)
    }

    func meetup(_ world: World, hoursAhead: Double = 48) -> NewEvent {
        let start = world.community.clock.now() + hoursAhead * 3_600
        return NewEvent(title: "Study night", format: .virtual(capacity: 30), start: start, end: start + 7_200)
    }

    @Test("nominated, vetted and activated, an organizer runs events in their chapter and nowhere else")
    func fromSuperuserToOrganizer() async throws {
        let world = try await world()
        let service = world.service
        let amina = try await world.graduate("Amina")
        var application = try await service.nominateOrganizer(
            amina.id, of: world.nairobi.id, by: world.staff.id, reason: "top of the March cohort")
        #expect(application.nomination == .nominatedBy(world.staff.id))
        for (stage, reason) in [
            (OrganizerStage.underReview, "interview booked"), (.approved, "great interview"),
            (.onboarded, "guidelines read, training attended"), (.active, "first quarter starts"),
        ] {
            application = try await service.moveOrganizerApplication(
                application.id, to: stage, by: world.staff.id, reason: reason)
        }
        #expect(application.stage == .active)
        #expect(application.history.map(\.to) == [.applied, .underReview, .approved, .onboarded, .active])
        #expect(application.history.allSatisfy { $0.by == world.staff.id && !$0.reason.isEmpty })

        let event = try await service.createEvent(meetup(world), in: world.nairobi.id, by: amina.id)
        #expect(event.chapter == world.nairobi.id)
        try await world.community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            _ = try await service.createEvent(meetup(world), in: world.lagos.id, by: amina.id)
        }

        // On leave, the powers pause; back, they return; retired, they end.
        try await service.moveOrganizerApplication(application.id, to: .onLeave, by: world.staff.id, reason: "exams")
        try await world.community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            _ = try await service.createEvent(meetup(world), in: world.nairobi.id, by: amina.id)
        }
        try await service.moveOrganizerApplication(application.id, to: .active, by: world.staff.id, reason: "back")
        _ = try await service.createEvent(meetup(world, hoursAhead: 72), in: world.nairobi.id, by: amina.id)
        try await service.moveOrganizerApplication(application.id, to: .retired, by: world.staff.id, reason: "moved")
        #expect(try await service.chapter(world.nairobi.id).organizers.isEmpty)
        let kinds = try await world.community.kinds(of: amina.id)
        #expect(kinds.filter { $0 == .becameOrganizer }.count == 2)
        #expect(kinds.filter { $0 == .steppedDown }.count == 2)
    }

    @Test("every move the stage does not allow is refused, naming the moves it does allow")
    func illegalTransitions() throws {
        for from in OrganizerStage.allCases {
            for to in OrganizerStage.allCases where !from.next.contains(to) {
                var application = OrganizerApplication(
                    id: "a1", member: "m", chapter: "c", nomination: .selfApplication, stage: from, history: [])
                let before = application
                #expect(throws: CommunityError.self, "\(from) → \(to)") {
                    try application.move(to: to, by: "staff", at: Date(timeIntervalSince1970: 0), reason: "try")
                }
                #expect(application == before)
            }
        }
    }

    @Test("an illegal move through the service stores nothing")
    func illegalMoveStoresNothing() async throws {
        let world = try await world()
        let amina = try await world.graduate("Amina")
        let application = try await world.service.applyToOrganize(
            world.nairobi.id, by: amina.id, reason: "I host already")
        try await world.community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            _ = try await world.service.moveOrganizerApplication(
                application.id, to: .active, by: world.staff.id, reason: "skip the vetting")
        }
    }

    @Test("an ineligible member is told every rule they fail")
    func eligibilityListsFailingRules() async throws {
        let world = try await world()
        let newcomer = try await world.community.learner("Newcomer")
        try await world.service.suspend(
            newcomer.id, until: world.community.clock.now() + 86_400 * 7, by: world.staff.id, reason: "spam")
        let eligibility = try await world.service.eligibility(
            of: newcomer.id, toOrganize: world.nairobi.id, by: newcomer.id)
        #expect(Set(eligibility.failing.keys) == [.completedAProgramme, .inGoodStanding, .memberOfChapter])
        // Applying is taking part: while suspended, standing refuses it first.
        try await world.community.expectRefusal({ $0.rule == .goodStanding }) {
            _ = try await world.service.applyToOrganize(world.nairobi.id, by: newcomer.id, reason: "please")
        }
        try await world.service.liftSuspension(of: newcomer.id, by: world.staff.id, reason: "appeal")
        try await world.community.expectRefusal({ error in
            guard case .notPermitted(_, _, .organizerEligibility, let reason) = error else { return false }
            return reason.contains("completedAProgramme") && reason.contains("memberOfChapter")
        }) {
            _ = try await world.service.applyToOrganize(world.nairobi.id, by: newcomer.id, reason: "please")
        }
    }

    @Test("a suspension ends good standing until it is lifted or runs out")
    func suspensionAndGoodStanding() async throws {
        let world = try await world()
        let amina = try await world.graduate("Amina")
        let service = world.service
        try await service.suspend(
            amina.id, until: world.community.clock.now() + 3_600, by: world.staff.id, reason: "heated thread")
        #expect(try await !service.eligibility(of: amina.id, toOrganize: world.nairobi.id, by: amina.id).isEligible)
        world.community.clock.advance(by: 7_200)
        #expect(try await service.eligibility(of: amina.id, toOrganize: world.nairobi.id, by: amina.id).isEligible)
        try await service.warn(amina.id, by: world.staff.id, reason: "tone")
        try await service.suspend(
            amina.id, until: world.community.clock.now() + 3_600, by: world.staff.id, reason: "again")
        try await service.liftSuspension(of: amina.id, by: world.staff.id, reason: "appeal upheld")
        let standing = try await service.standing(of: amina.id, by: world.staff.id)
        #expect(standing.history.map(\.kind) == [.suspended, .warned, .suspended, .suspensionLifted])
        // Her standing, with its reasons, is hers and staff's to read, no one else's.
        #expect(try await service.standing(of: amina.id, by: amina.id) == standing)
        let other = try await world.graduate("Baraka")
        await #expect(throws: CommunityError.self) { try await service.standing(of: amina.id, by: other.id) }
        #expect(standing.isInGoodStanding(at: world.community.clock.now()))
        try await world.community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await service.liftSuspension(of: amina.id, by: world.staff.id, reason: "twice")
        }
        try await world.community.expectRefusal({ if case .invalidInput = $0 { true } else { false } }) {
            try await service.suspend(amina.id, until: world.community.clock.now() - 1, by: world.staff.id, reason: "x")
        }
        try await world.community.expectRefusal({ if case .notPermitted = $0 { true } else { false } }) {
            try await service.warn(world.staff.id, by: amina.id, reason: "payback")
        }
    }

    @Test("one open application per member and chapter; after a rejection they may apply again")
    func oneOpenApplication() async throws {
        let world = try await world()
        let amina = try await world.graduate("Amina")
        let first = try await world.service.applyToOrganize(world.nairobi.id, by: amina.id, reason: "keen")
        try await world.community.expectRefusal({ if case .alreadyExists = $0 { true } else { false } }) {
            _ = try await world.service.applyToOrganize(world.nairobi.id, by: amina.id, reason: "again")
        }
        try await world.service.moveOrganizerApplication(first.id, to: .rejected, by: world.staff.id, reason: "not yet")
        let second = try await world.service.applyToOrganize(world.nairobi.id, by: amina.id, reason: "a year on")
        #expect(second.id != first.id)
        #expect(
            try await world.service.organizerApplications(of: world.nairobi.id, by: world.staff.id).map(\.stage) == [
                .rejected, .applied,
            ])
    }
}
