import CommunityModel
import CommunitySimulation
import Foundation
import Storage
import Testing

@testable import Guidelines

/// A community whose leaders pass the guidelines gate, on an in-memory store.
struct GuidelinesFixture {
    let store = InMemoryStore()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_794_000_000))  // 2026-11-06
    let community: CommunityService
    let guidelines: GuidelinesService

    init() {
        community = CommunityService(
            store: store, clock: clock, ids: EntryIDGenerator(seed: 4), gate: GuidelinesService.gate(store: store))
        guidelines = GuidelinesService(community: community)
    }

    func member(_ name: String, roles: Set<Role> = [.learner]) async throws -> Member {
        try await community.registerMember(
            NewMember(
                displayName: name, email: "\(name.lowercased())@example.org", country: "KE",
                timeZone: "Africa/Nairobi", languages: ["en"], consents: [], roles: roles))
    }

    func document(_ version: String) throws -> GuidelineDocument {
        SampleGuidelines.document(version: try GuidelineVersion(version))
    }

    /// A chapter with an appointed organizer.
    func chapterWithOrganizer(staff: Member) async throws -> (Chapter, Member) {
        let chapter = try await community.createChapter(
            id: "nbo", name: "Nairobi", focus: .country(try CountryCode("KE")), timeZone: "Africa/Nairobi", by: staff.id
        )
        let organizer = try await member("Otieno")
        try await community.join(chapter.id, member: organizer.id, by: organizer.id)
        _ = try await community.appointOrganizer(organizer.id, of: chapter.id, by: staff.id)
        return (chapter, try await community.member(organizer.id))
    }

    func meetup() -> NewEvent {
        NewEvent(
            title: "Budget night", description: "Bring a budget.", format: .inPerson(capacity: 20),
            start: clock.now().addingTimeInterval(7 * 86_400), end: clock.now().addingTimeInterval(7 * 86_400 + 7_200))
    }
}

// The scenario: staff publish Brightpath's guidelines 1.0. Otieno, a new organizer, cannot
// create an event until he acknowledges them; once he does, he can. A minor update (1.1)
// changes nothing for him; a major one (2.0) blocks him again until he acknowledges it.

@Suite("Guidelines service")
struct GuidelinesServiceTests {
    @Test("leaders are refused until they acknowledge the current major version; a minor version does not block")
    func acknowledgementGate() async throws {
        let fixture = GuidelinesFixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let (chapter, otieno) = try await fixture.chapterWithOrganizer(staff: staff)
        // Before any guidelines exist, leaders act freely.
        _ = try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)

        try await fixture.guidelines.publish(try fixture.document("1.0"), by: staff.id)
        let before = try await fixture.store.allEntries().count
        await #expect(
            throws: CommunityError.acknowledgementRequired(
                member: otieno.id, action: "create a chapter event", version: "1.0")
        ) {
            try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)
        }
        #expect(try await fixture.store.allEntries().count == before)
        // Staff are never held back.
        _ = try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: staff.id)

        try await fixture.guidelines.acknowledge(try GuidelineVersion("1.0"), by: otieno.id)
        _ = try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)

        try await fixture.guidelines.publish(try fixture.document("1.1"), by: staff.id)
        _ = try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)

        try await fixture.guidelines.publish(try fixture.document("2.0"), by: staff.id)
        await #expect(
            throws: CommunityError.acknowledgementRequired(
                member: otieno.id, action: "create a chapter event", version: "2.0")
        ) {
            try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)
        }
        try await fixture.guidelines.acknowledge(try GuidelineVersion("2.0"), by: otieno.id)
        _ = try await fixture.community.createEvent(fixture.meetup(), in: chapter.id, by: otieno.id)
        #expect(
            try await fixture.guidelines.acknowledgement(of: otieno.id, by: otieno.id)?.version
                == (try GuidelineVersion("2.0")))
    }

    @Test("announcements on the chapter board pass the same gate")
    func announcementGate() async throws {
        let fixture = GuidelinesFixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let (chapter, otieno) = try await fixture.chapterWithOrganizer(staff: staff)
        let thread = try await fixture.community.startThread(
            on: chapter.publicBoard, by: otieno.id, title: "Next meetup", body: "On the 12th.")
        try await fixture.guidelines.publish(try fixture.document("1.0"), by: staff.id)
        await #expect(
            throws: CommunityError.acknowledgementRequired(
                member: otieno.id, action: "post an announcement", version: "1.0")
        ) {
            try await fixture.community.markAnnouncement(thread.id, by: otieno.id)
        }
        try await fixture.guidelines.acknowledge(try GuidelineVersion("1.0"), by: otieno.id)
        let announced = try await fixture.community.markAnnouncement(thread.id, by: otieno.id)
        #expect(announced.announcedAt != nil)
        // A learner is no leader: refused for that, whatever they acknowledged.
        let learner = try await fixture.member("Lea")
        try await fixture.community.join(chapter.id, member: learner.id, by: learner.id)
        await #expect(throws: CommunityError.self) {
            try await fixture.community.markAnnouncement(thread.id, by: learner.id)
        }
    }

    @Test("publishing needs staff and a newer version; acknowledging needs the current version")
    func publishingRules() async throws {
        let fixture = GuidelinesFixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let learner = try await fixture.member("Lea")
        await #expect(throws: CommunityError.self) {
            try await fixture.guidelines.publish(try fixture.document("1.0"), by: learner.id)
        }
        try await fixture.guidelines.publish(try fixture.document("1.2"), by: staff.id)
        await #expect(throws: CommunityError.self) {
            try await fixture.guidelines.publish(try fixture.document("1.1"), by: staff.id)
        }
        await #expect(throws: CommunityError.self) {
            try await fixture.guidelines.acknowledge(try GuidelineVersion("1.0"), by: learner.id)
        }
        #expect(try await fixture.guidelines.current()?.version == (try GuidelineVersion("1.2")))
        #expect(
            try await fixture.guidelines.document(try GuidelineVersion("1.2")).title
                == "Brightpath community guidelines")
        await #expect(throws: CommunityError.notFound(kind: "guidelines version", id: "9.0")) {
            try await fixture.guidelines.document(try GuidelineVersion("9.0"))
        }
        // Acknowledging twice keeps the first acknowledgement.
        let first = try await fixture.guidelines.acknowledge(try GuidelineVersion("1.2"), by: learner.id)
        fixture.clock.advance(by: 60)
        #expect(try await fixture.guidelines.acknowledge(try GuidelineVersion("1.2"), by: learner.id) == first)
    }

    @Test("onboarding: each step of the role's checklist, and the leaders still onboarding")
    func onboardingProgress() async throws {
        let fixture = GuidelinesFixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        let (_, otieno) = try await fixture.chapterWithOrganizer(staff: staff)
        let manager = try await fixture.member("Mia")
        try await fixture.community.grantRole(.communityManager, to: manager.id, by: staff.id)
        _ = try await fixture.member("Lea")
        try await fixture.guidelines.publish(try fixture.document("1.0"), by: staff.id)

        var progress = try await fixture.guidelines.onboarding(of: otieno.id, by: otieno.id)
        #expect(progress.steps.map(\.item) == [.acknowledgeGuidelines, .attendTraining, .readFAQ])
        #expect(progress.doneCount == 0)
        #expect(progress.steps[0].detail == "acknowledge guidelines 1.0")
        var incomplete = try await fixture.guidelines.incompleteOnboarding(by: staff.id)
        #expect(incomplete.items.map(\.member).sorted() == [manager.id, otieno.id].sorted())

        try await fixture.guidelines.acknowledge(try GuidelineVersion("1.0"), by: otieno.id)
        let session = try await fixture.guidelines.scheduleTraining(
            title: "Running your first meetup", for: .chapterOrganizer,
            at: fixture.clock.now().addingTimeInterval(3_600),
            minutes: 60, by: staff.id)
        // Attendance is recorded once the session has begun.
        await #expect(throws: CommunityError.self) {
            try await fixture.guidelines.recordAttendance(at: session.id, of: otieno.id, by: staff.id)
        }
        fixture.clock.advance(by: 3_700)
        try await fixture.guidelines.recordAttendance(at: session.id, of: otieno.id, by: staff.id)
        progress = try await fixture.guidelines.onboarding(of: otieno.id, by: otieno.id)
        #expect(progress.doneCount == 2 && !progress.isComplete)
        #expect(progress.steps[1].detail == "attended “Running your first meetup”")

        try await fixture.guidelines.markFAQRead(by: otieno.id)
        #expect(try await fixture.guidelines.onboarding(of: otieno.id, by: otieno.id).isComplete)
        incomplete = try await fixture.guidelines.incompleteOnboarding(by: staff.id)
        #expect(incomplete.items.map(\.member) == [manager.id])
        #expect(incomplete.items[0].steps.map(\.item) == [.acknowledgeGuidelines, .attendTraining])

        // A new major version reopens the acknowledgement step.
        try await fixture.guidelines.publish(try fixture.document("2.0"), by: staff.id)
        #expect(try await fixture.guidelines.onboarding(of: otieno.id, by: otieno.id).doneCount == 2)
    }

    @Test("the FAQ is searched by words, best match first")
    func faqSearch() async throws {
        let fixture = GuidelinesFixture()
        let staff = try await fixture.member("Sam", roles: [.staff])
        try await fixture.guidelines.saveFAQ(
            id: "logo", question: "May I use the logo on my slides?", answer: "Ask your community manager first.",
            tags: ["brand"], by: staff.id)
        try await fixture.guidelines.saveFAQ(
            id: "venue", question: "Who pays for the venue?",
            answer: "The school can refund a small venue; keep the receipt.",
            tags: ["money"], by: staff.id)
        try await fixture.guidelines.saveFAQ(
            id: "slides", question: "Where are the meetup slides?", answer: "In the organizer kit, with the logo.",
            by: staff.id)
        let found = try await fixture.guidelines.searchFAQ("Logo SLIDES")
        #expect(found.map(\.entry.id) == ["logo", "slides"])
        #expect(found.map(\.score) == [6, 4])
        #expect(try await fixture.guidelines.searchFAQ("receipt").map(\.entry.id) == ["venue"])
        #expect(try await fixture.guidelines.searchFAQ("parking").isEmpty)
        await #expect(throws: CommunityError.self) { try await fixture.guidelines.searchFAQ("  ?! ") }
    }

    @Test("the guidelines render as Markdown, with what leaders need and text escaped")
    func markdown() throws {
        var document = SampleGuidelines.document(version: try GuidelineVersion("1.0"))
        document.style.toneNotes.append("Use *stars* sparingly")
        let markdown = document.markdown()
        #expect(markdown.hasPrefix("# Brightpath community guidelines (version 1.0)\n"))
        for expected in [
            "## Roles", "### Chapter Organizer", "> A Brightpath Academy community", "## Logo", "\\#LearnTogether",
            "Avoid “guaranteed job”: we promise no jobs.; say “career support”", "- Use \\*stars\\* sparingly",
            "Link only to brightpath.example, linkedin.example",
        ] {
            #expect(markdown.contains(expected), "\(expected)")
        }
    }
}
