import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

/// An integrator follows the community's activity: decoded, in order, filtered by kind, member
/// or subject, resumed from the last position handled, woken by new commits.
@Suite("Activity feed")
struct ActivityFeedTests {
    /// The first `count` activities a feed yields, or fewer after ten seconds.
    static func first(_ count: Int, of feed: ActivityFeed) async throws -> [LoggedActivity] {
        let task = Task {
            var found: [LoggedActivity] = []
            for try await logged in feed {
                found.append(logged)
                if found.count == count { break }
            }
            return found
        }
        let timeout = Task {
            try await Task.sleep(for: .seconds(10))
            task.cancel()
        }
        defer { timeout.cancel() }
        return try await task.value
    }

    @Test("scenario: a notifier follows registrations and a member's activity, resumes, and is woken by commits")
    func following() async throws {
        let community = TestCommunity()
        let service = community.service
        let (staff, chapter, members) = try await community.nairobiWithMembers("Amina", "Baraka")
        let (amina, baraka) = (members[0], members[1])
        let start = community.clock.now() + 86_400
        let meetup = try await service.createEvent(
            NewEvent(title: "Meetup", format: .virtual(capacity: 1), start: start, end: start + 3_600),
            in: chapter.id, by: staff.id)
        try await service.register(amina.id, for: meetup.id, by: amina.id)

        // Registrations and waitlistings, from the beginning; a waitlisting committed later wakes it.
        let later = Task {
            try await Self.first(
                2, of: service.activityFeed(filter: .kinds([.registeredForEvent, .waitlistedForEvent])))
        }
        try await Task.sleep(for: .milliseconds(200))
        try await service.register(baraka.id, for: meetup.id, by: baraka.id)
        let found = try await later.value
        #expect(found.map(\.event.kind) == [.registeredForEvent, .waitlistedForEvent])
        #expect(found.map(\.event.member) == [amina.id, baraka.id])

        // Resuming after the first yields the second only; a member's feed is theirs alone.
        let resumed = try await Self.first(
            1,
            of: service.activityFeed(
                after: found[0].position, filter: .kinds([.registeredForEvent, .waitlistedForEvent])))
        #expect(resumed.map(\.position) == [found[1].position])
        let hers = try await Self.first(3, of: service.activityFeed(filter: .member(amina.id)))
        #expect(hers.allSatisfy { $0.event.member == amina.id })
        #expect(hers.map(\.event.kind) == [.joinedCommunity, .joinedChapter, .registeredForEvent])
        let aboutMeetup = try await Self.first(2, of: service.activityFeed(filter: .subject(.event(meetup.id))))
        #expect(aboutMeetup.map(\.position) == aboutMeetup.map(\.position).sorted())
        #expect(aboutMeetup.allSatisfy { $0.event.subject == .event(meetup.id) })
    }
}
