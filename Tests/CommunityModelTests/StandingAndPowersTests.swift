import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// Standing takes powers away, and roles with powers over others come only from staff: the
/// findings of a careful read, each refused and storing nothing.
@Suite("Standing and powers")
struct StandingAndPowersTests {
    /// A community with staff and Mia, a community manager.
    static func withManager() async throws -> (community: TestCommunity, staff: Member, manager: Member) {
        let community = TestCommunity()
        let staff = try await community.staff()
        let manager = try await community.learner("Mia")
        try await community.service.grantRole(.communityManager, to: manager.id, by: staff.id)
        return (community, staff, manager)
    }

    static func isNotPermitted(_ error: CommunityError) -> Bool {
        if case .notPermitted = error { true } else { false }
    }

    static func isRefused(_ error: CommunityError) -> Bool {
        switch error {
        case .notPermitted, .accessDenied: true
        default: false
        }
    }

    @Test(
        "a suspended member cannot post, reply, react, join or register, keeps public reads, and acts again once it ends"
    )
    func suspendedMember() async throws {
        let community = TestCommunity()
        let service = community.service
        let view = TestCommunityView(store: community.store)
        let staff = try await community.staff()
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let other = try await community.city("lagos", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        let amina = try await community.learner("Amina")
        let baraka = try await community.learner("Baraka")
        for member in [amina, baraka] { try await service.join(chapter.id, member: member.id, by: member.id) }
        let thread = try await service.startThread(on: chapter.publicBoard, by: baraka.id, title: "Hi", body: "all")
        let start = community.clock.now() + 3 * 86_400
        let meetup = try await service.createEvent(
            NewEvent(title: "Meetup", format: .virtual(capacity: 10), start: start, end: start + 3_600),
            in: chapter.id, by: staff.id)
        let until = community.clock.now() + 86_400
        try await service.suspend(amina.id, until: until, by: staff.id, reason: "Spam")

        try await view.expectRefusal(Self.isRefused) {
            _ = try await service.startThread(on: chapter.publicBoard, by: amina.id, title: "Buy", body: "now")
        }
        try await view.expectRefusal(Self.isRefused) {
            _ = try await service.reply(to: thread.id, by: amina.id, body: "Buy now")
        }
        try await view.expectRefusal(Self.isRefused) {
            try await service.react(.like, to: thread.openingPost, by: amina.id)
        }
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.join(other.id, member: amina.id, by: amina.id)
        }
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.register(amina.id, for: meetup.id, by: amina.id)
        }
        // Public reads and her own data stay.
        #expect(try await service.posts(in: thread.id, by: amina.id).count == 1)
        #expect(try await service.member(amina.id).id == amina.id)

        community.clock.advance(by: 86_400)
        _ = try await service.reply(to: thread.id, by: amina.id, body: "Sorry, all")
    }

    @Test("a suspended organizer cannot remove a post, create a chapter event or recommend, until it ends")
    func suspendedOrganizer() async throws {
        let community = TestCommunity()
        let service = community.service
        let view = TestCommunityView(store: community.store)
        let staff = try await community.staff()
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let kofi = try await community.learner("Kofi")
        let baraka = try await community.learner("Baraka")
        for member in [kofi, baraka] { try await service.join(chapter.id, member: member.id, by: member.id) }
        try await service.appointOrganizer(kofi.id, of: chapter.id, by: staff.id)
        let thread = try await service.startThread(on: chapter.publicBoard, by: baraka.id, title: "Hi", body: "all")
        try await service.suspend(kofi.id, until: community.clock.now() + 86_400, by: staff.id, reason: "Conduct")

        try await view.expectRefusal(Self.isRefused) {
            try await service.removePost(thread.openingPost, by: kofi.id, reason: "Off topic")
        }
        let start = community.clock.now() + 3 * 86_400
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.createEvent(
                NewEvent(title: "Meetup", format: .virtual(capacity: 10), start: start, end: start + 3_600),
                in: chapter.id, by: kofi.id)
        }
        community.clock.advance(by: 86_400)
        try await service.removePost(thread.openingPost, by: kofi.id, reason: "Off topic")
    }

    @Test(
        "a community manager cannot grant or revoke the staff or community manager role, to themself or anyone; staff can"
    )
    func noEscalation() async throws {
        let (community, staff, manager) = try await Self.withManager()
        let service = community.service
        let view = TestCommunityView(store: community.store)
        let amina = try await community.learner("Amina")
        for (role, target) in [(Role.staff, manager.id), (.staff, amina.id), (.communityManager, amina.id)] {
            try await view.expectRefusal(Self.isNotPermitted) {
                _ = try await service.grantRole(role, to: target, by: manager.id)
            }
        }
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.revokeRole(.staff, from: staff.id, by: manager.id)
        }
        // A community manager still grants what carries no power over others.
        _ = try await service.grantRole(.alumnus, to: amina.id, by: manager.id)
        _ = try await service.grantRole(.communityManager, to: amina.id, by: staff.id)
        _ = try await service.revokeRole(.communityManager, from: amina.id, by: staff.id)
    }

    @Test("a member's activity is read by the member and staff, and refused to anyone else")
    func activityReaders() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let amina = try await community.learner("Amina")
        let baraka = try await community.learner("Baraka")
        #expect(try await community.service.activity(of: amina.id, by: amina.id).count == 1)
        #expect(try await community.service.activity(of: amina.id, by: staff.id).count == 1)
        await #expect(throws: CommunityError.self) {
            try await community.service.activity(of: amina.id, by: baraka.id)
        }
    }

    @Test(
        "a member changes their own profile and consents, also while suspended; a community manager fixes fields, never consents; no one else"
    )
    func profileChanges() async throws {
        let (community, staff, manager) = try await Self.withManager()
        let service = community.service
        let view = TestCommunityView(store: community.store)
        let amina = try await community.learner("Amina")
        let baraka = try await community.learner("Baraka")

        let fixed = try await service.updateProfile(of: amina.id, by: manager.id) { $0.headline = "Data analyst" }
        #expect(fixed.profile.headline == "Data analyst")
        let logged = try #require(try await service.activity(of: amina.id, by: amina.id).last?.event)
        #expect(logged.kind == .profileUpdated && logged.actor == manager.id)
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.updateProfile(of: amina.id, by: manager.id) { $0.consents.insert(.spotlight) }
        }
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.updateProfile(of: amina.id, by: baraka.id) { $0.headline = "Hacked" }
        }
        try await service.suspend(amina.id, until: community.clock.now() + 86_400, by: staff.id, reason: "Spam")
        let withdrawn = try await service.updateProfile(of: amina.id, by: amina.id) {
            $0.consents.remove(.publicLeaderboards)
        }
        #expect(!withdrawn.consents(to: .publicLeaderboards))
    }

    @Test(
        "memberships and registrations say who acts: the member, or staff and community managers for them; no one else")
    func actingForOthers() async throws {
        let (community, staff, manager) = try await Self.withManager()
        let service = community.service
        let view = TestCommunityView(store: community.store)
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let amina = try await community.learner("Amina")
        let baraka = try await community.learner("Baraka")
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.join(chapter.id, member: amina.id, by: baraka.id)
        }
        _ = try await service.join(chapter.id, member: amina.id, by: manager.id)
        let joined = try #require(try await service.activity(of: amina.id, by: amina.id).last?.event)
        #expect(joined.kind == .joinedChapter && joined.actor == manager.id)
        let start = community.clock.now() + 86_400
        let meetup = try await service.createEvent(
            NewEvent(title: "Meetup", format: .virtual(capacity: 5), start: start, end: start + 3_600),
            in: chapter.id, by: staff.id)
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.register(amina.id, for: meetup.id, by: baraka.id)
        }
        _ = try await service.register(amina.id, for: meetup.id, by: manager.id)
        try await view.expectRefusal(Self.isNotPermitted) {
            _ = try await service.cancelRegistration(of: amina.id, for: meetup.id, by: baraka.id)
        }
        _ = try await service.cancelRegistration(of: amina.id, for: meetup.id, by: amina.id)
        try await view.expectRefusal(Self.isNotPermitted) {
            try await service.leave(chapter.id, member: amina.id, by: baraka.id)
        }
        try await service.leave(chapter.id, member: amina.id, by: amina.id)
    }
}
