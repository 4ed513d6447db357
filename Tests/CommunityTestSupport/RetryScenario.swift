import CommunityModel
import Foundation
import Gamification
import Storage
import Testing

/// The two commands that must not apply twice, on any backend: a points adjustment and
/// an event registration, each run once while the test makes the answer to its commit go
/// missing (`arm` is called just before each command); then what the store holds is counted.
package struct RetryScenario {
    package let community: CommunityService
    package let clock: ManualClock
    package let gamification: GamificationService
    package let staff: MemberID
    package let learner: MemberID
    package let event: EventID
    /// The store to count in (the backend itself, not a wrapper around it).
    package let store: any DataStore

    /// A community with a founding staff member, a learner, a chapter and an event, on `store`
    /// (through `serving`, a wrapper that can lose answers, when given).
    package static func make(on store: any DataStore, serving: (any DataStore)? = nil) async throws -> RetryScenario {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_000_000))  // 2026-11-30
        let community = CommunityService(
            store: serving ?? store, clock: clock, ids: EntryIDGenerator(seed: 28), secrets: SeededSecrets(seed: 28))
        let staff = try await community.registerMember(
            NewMember(
                displayName: "Sam Staff", email: "sam@school.example", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]))
        let learner = try await community.registerMember(
            NewMember(displayName: "Ada", email: "ada@school.example", country: "KE", timeZone: "Africa/Nairobi"))
        let chapter = try await community.createChapter(
            id: "nbo", name: "Nairobi", focus: .city("Nairobi", country: try CountryCode("KE")),
            timeZone: "Africa/Nairobi",
            by: staff.id)
        let event = try await community.createEvent(
            NewEvent(
                title: "Meetup", format: .inPerson(capacity: 10), start: clock.now() + 86_400,
                end: clock.now() + 90_000),
            in: chapter.id, by: staff.id)
        return RetryScenario(
            community: community, clock: clock, gamification: try GamificationService(community: community),
            staff: staff.id,
            learner: learner.id, event: event.id, store: store)
    }

    /// Adjusts the learner's points and registers them for the event, calling `arm` before each
    /// command; then checks that each took effect exactly once.
    package func runOnce(key: IdempotencyKey? = nil, arm: () async throws -> Void) async throws {
        try await arm()
        let adjustment = try await gamification.adjustPoints(
            of: learner, points: 50, reason: "Hosted a meetup", by: staff, idempotencyKey: key)
        #expect(adjustment.points == 50)
        try await arm()
        let outcome = try await community.register(learner, for: event, by: learner, idempotencyKey: key)
        #expect(outcome == .registered(.inPerson))
        try await expectAppliedOnce()
    }

    /// One adjustment and one registration are stored, each logged once.
    package func expectAppliedOnce() async throws {
        let entries = try await store.allEntries().map(\.entry.kind)
        #expect(entries.filter { $0 == "pointsAdjusted" }.count == 1, "\(entries)")
        #expect(entries.filter { $0 == "registeredForEvent" }.count == 1, "\(entries)")
        let adjustments = try await store.records(in: "points-adjustments", where: nil, after: nil, limit: 100)
        #expect(adjustments.records.count == 1)
        let event = try await community.roster(of: event, by: staff)
        #expect(event.lanes[.inPerson]?.registered == [learner])
        let statement = try await gamification.points(of: learner, by: staff)
        #expect(statement.balance == 50)
    }
}
