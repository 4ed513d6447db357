import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import Leadership
import Storage
import Testing

@testable import Recognition

/// Every projection of the library folds any value a log entry can hold without trapping: days
/// and times at the edges of the supported years (and going backwards between them), counts at
/// the limits of their types, every kind with every detail. An entry whose time or day lies
/// outside the supported years does not decode, and the host quarantines it for all.
@Suite("Projections at the limits")
struct ProjectionLimitsTests {
    static let kinds: [ActivityKind] = [
        .announced, .answerAccepted, .answerUnaccepted, .answered, .askedQuestion, .attendedEvent, .attendedTraining,
        .badgeAwarded, .badgeRevoked, .becameOrganizer, .cancelledEvent, .cancelledRegistration, .checkedIn, .completed,
        .contentRemoved, .createdEvent, .enrolled, .eventCancelledForRegistrant, .gaveFeedback, .guidelinesAcknowledged,
        .guidelinesPublished, .handledFeedback, .joinedChallengeTeam, .joinedChapter, .joinedCommunity, .leftChapter,
        .openedFeedback, .organizerApplication, .organizerApplicationMoved, .placedInChallenge, .pointsAdjusted,
        .profileUpdated, .promotedFromWaitlist, .reacted, .reactionWithdrawn, .referralAttributed,
        .registeredForChallenge, .registeredForEvent, .replied, .reportedContent, .respondedToSurvey, .rewardEarned,
        .rewardMoved, .roleGranted, .roleRevoked, .shared, .startedThread, .steppedDown, .submittedChallengeSolution,
        .suspended, .suspensionLifted, .thanked, .waitlistedForEvent, .warned,
    ]

    /// Entries of every kind at the first and last supported moments, with extreme details.
    static func extremeLog() throws -> [LogEntry] {
        let first = Timestamp(millisecondsSince1970: LocalDate.supportedMilliseconds.lowerBound)
        let last = Timestamp(millisecondsSince1970: LocalDate.supportedMilliseconds.upperBound)
        let firstDay = try LocalDate(year: LocalDate.supportedYears.lowerBound, month: 1, day: 1)
        let lastDay = try LocalDate(year: LocalDate.supportedYears.upperBound, month: 12, day: 31)
        var details = ActivityDetails(
            isFirstResponse: true, reaction: .like, attendanceMode: .virtual, waitlistPosition: .max,
            certificateDate: lastDay, role: .staff, shared: .badge("b"), network: String(repeating: "n", count: 300),
            points: .max, day: firstDay, placement: .min, country: try CountryCode("KE"),
            consents: Set(Consent.allCases), until: last.date,
            reversedKind: .answered, reversedDay: firstDay, roles: Set(Role.allCases))
        var entries: [LogEntry] = []
        let ids = EntryIDGenerator(seed: 11)
        for (index, kind) in kinds.enumerated() {
            for (time, day) in [(last, lastDay), (first, firstDay), (last, firstDay), (first, lastDay)] {
                details.points = index % 2 == 0 ? .max : .min
                details.placement = index % 2 == 0 ? .min : .max
                let reverses: EntryID? = index % 3 == 0 ? entries.last?.id : nil
                entries.append(
                    try ActivityEvent(
                        id: ids.next(at: time), kind: kind, member: index % 2 == 0 ? "ada" : "ben", time: time,
                        localDate: day,
                        context: ActivityContext(
                            actor: "sam", subject: .post("p"), subjectOwner: index % 2 == 0 ? "ben" : "ada",
                            chapter: "nbo", programme: "data", board: "b", reverses: reverses, details: details)
                    ).logEntry())
            }
        }
        return entries
    }

    @Test("every hosted projection folds every kind at the limits of days, times and counts, and restores")
    func extremes() async throws {
        let store = InMemoryStore()
        try await store.append(try Self.extremeLog())
        let badges = SampleBadges.everyCriterion
        let community = CommunityService(store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)))
        let host = try ProjectionHost(store: store, pageSize: 7, checkpointInterval: 20)
        let game = try GamificationService(community: community, host: host)
        let recognition = try RecognitionService(community: community, badges: badges, gamification: game)
        let leadership = try LeadershipService(community: community, host: host)
        try await game.registerLedger()
        try await host.register(try HomeworkProjection())
        _ = try await recognition.refresh()
        try await leadership.refresh()
        let report = try await host.catchUp()
        // The log, and the entries announcing what it earned (awards, grants).
        #expect(report.position >= UInt64(Self.kinds.count * 4))
        // Nothing was quarantined: every value was in range, and every projection used it.
        #expect(try await host.quarantined().items.isEmpty)
        let engagement = try #require(
            await host.state(of: EngagementProjection.self, named: try EngagementProjection().checkpointName))
        #expect(engagement.memberCount == 2)
        let ledger = try #require(await host.state(of: PointsLedger.self, named: game.pointsLedgerName))
        #expect(!ledger.lines(of: "ada").isEmpty)
        _ = engagement.superusers(on: try LocalDate(year: 2200, month: 12, day: 31))
        _ = engagement.superusers(on: try LocalDate(year: 1900, month: 1, day: 1))
        _ = try await game.leaderboard(.global, .allTime)

        // A new host restores every state from the checkpoints the first one saved.
        let again = try ProjectionHost(store: store)
        let otherGame = try GamificationService(community: community, host: again)
        try await otherGame.registerLedger()
        _ = try await RecognitionService(community: community, badges: badges, gamification: otherGame).refresh()
        try await LeadershipService(community: community, host: again).refresh()
        #expect(await again.state(of: EngagementProjection.self, named: "engagement") == engagement)
    }

    @Test("an entry whose time or day lies outside the supported years does not decode, and is quarantined")
    func outsideTheYears() async throws {
        let ids = EntryIDGenerator(seed: 12)
        let inside = Timestamp(millisecondsSince1970: 1_767_225_600_000)
        let day = try LocalDate(year: 2026, month: 1, day: 1)
        let cases: [(Timestamp, LocalDate)] = [
            (Timestamp(millisecondsSince1970: .max), day), (Timestamp(millisecondsSince1970: .min), day),
            (Timestamp(millisecondsSince1970: LocalDate.supportedMilliseconds.upperBound + 1), day),
            // Days no initializer makes any more: a damaged store could still hold them.
            (inside, .unchecked(year: Int.max, month: 1, day: 1)), (inside, .unchecked(year: 2026, month: 2, day: 30)),
            (inside, .unchecked(year: 1899, month: 12, day: 31)), (inside, .unchecked(year: 2026, month: 13, day: 1)),
        ]
        let store = InMemoryStore()
        for (time, localDate) in cases {
            let entry = try ActivityEvent(
                id: ids.next(at: inside), kind: .replied, member: "ada", time: time, localDate: localDate,
                context: ActivityContext()
            ).logEntry()
            #expect(throws: StorageError.self) { try ActivityEvent(entry) }
            try await store.append([entry])
        }
        // A suspension whose end lies past the supported years (the review of the fuzz harnesses
        // found member facts carrying it into a checkpoint they then could not restore).
        var suspension = ActivityContext(actor: "sam")
        suspension.details.until = Date(timeIntervalSince1970: 1e15)
        let suspended = try ActivityEvent(
            id: ids.next(at: inside), kind: .suspended, member: "ada", time: inside, localDate: day,
            context: suspension
        ).logEntry()
        #expect(throws: StorageError.self) { try ActivityEvent(suspended) }
        try await store.append([suspended])
        let host = try ProjectionHost(store: store)
        try await host.register(try EngagementProjection())
        let report = try await host.catchUp()
        #expect(report.quarantined == cases.count + 1)
        #expect(try await host.quarantined().items.allSatisfy { $0.projection == "*" })
    }
}
