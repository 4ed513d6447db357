import CommunityTestSupport
import Foundation
import Storage
import Testing

@testable import CommunityModel

/// An activity event survives the trip through the log exactly, whatever fields it carries, and
/// bytes that are not a payload are a typed error, never a crash.
@Suite("Activity payloads")
struct ActivityPayloadTests {
    static let ids = EntryIDGenerator(seed: 5)
    static let time = Timestamp(millisecondsSince1970: 1_767_225_600_000)

    static let full = ActivityEvent(
        id: ids.next(at: time), kind: .shared, member: "m-1", time: time,
        localDate: try! LocalDate(year: 2026, month: 1, day: 1),
        context: ActivityContext(
            actor: "staff-ü", subject: .event("e-1"), subjectOwner: "m-2", chapter: "nairobi", programme: "data",
            board: "b-1", reverses: ids.next(at: time),
            details: ActivityDetails(
                isFirstResponse: true, reaction: .insightful, attendanceMode: .virtual, waitlistPosition: 300,
                certificateDate: try! LocalDate(year: 1900, month: 2, day: 28), role: .chapterOrganizer,
                shared: .badge("mentor 🏅"), network: "linkedin")))

    @Test("every field, and every field left out, comes back exactly")
    func roundTrip() throws {
        let bare = ActivityEvent(
            id: Self.ids.next(at: Self.time), kind: .joinedCommunity, member: "m-3", time: Self.time,
            localDate: try LocalDate(year: 2026, month: 12, day: 31))
        var shares = [Self.full, bare]
        for item in [SharedItem.certificate("data"), .event("e-9")] {
            var event = Self.full
            event.details.shared = item
            shares.append(event)
        }
        // The facts a member's entries carry: country, consents (also none), roles, a suspension's end.
        var facts = bare
        facts.details = ActivityDetails(
            country: try CountryCode("KE"), consents: [.publicLeaderboards, .newsletter],
            until: Date(timeIntervalSince1970: 1_790_000_000.123), reversedKind: .answered,
            reversedDay: try LocalDate(year: 2200, month: 12, day: 31), roles: [.learner, .staff])
        var noConsents = bare
        noConsents.details = ActivityDetails(country: try CountryCode("BR"), consents: [])
        shares += [facts, noConsents]
        for event in shares {
            #expect(try ActivityEvent(event.logEntry()) == event)
        }
    }

    @Test(
        "a log begun without members' facts gets them once from recordMemberFacts, staff only, also when a commit answer is lost",
        arguments: [nil, OutcomeLosingStore.Loss.afterCommitting, .beforeCommitting])
    func recordingFacts(_ loss: OutcomeLosingStore.Loss?) async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        // A member an earlier version registered: the record, and an entry without facts.
        let profile = try ProfileDraft(
            Profile(
                displayName: "Old Timer", country: try CountryCode("KE"), timeZone: try TimeZoneID("Africa/Nairobi"),
                consents: [.publicLeaderboards])
        ).validated()
        let old = Member(id: "old-1", profile: profile, roles: [.learner], joinedAt: community.clock.now())
        var batch = WriteBatch()
        try batch.put(old, id: old.id.rawValue, in: Collections.members, expecting: .absent)
        batch.append(
            try ActivityEvent(
                id: Self.ids.next(at: Self.time), kind: .joinedCommunity, member: old.id, time: Self.time,
                localDate: try LocalDate(year: 2026, month: 1, day: 1)
            ).logEntry())
        try await community.store.commit(batch)
        let learner = try await community.learner("Nia")
        await #expect(throws: CommunityError.self) { try await community.service.recordMemberFacts(by: learner.id) }
        let lossy = OutcomeLosingStore(community.store)
        let service = CommunityService(store: lossy, clock: community.clock, ids: EntryIDGenerator(seed: 9))
        if let loss { lossy.lose(loss) }
        let first = try await service.recordMemberFacts(by: staff.id)
        #expect(first.written == (loss == .afterCommitting ? 0 : 1) && first.nextCursor == nil)
        #expect(try await community.service.recordMemberFacts(by: staff.id).written == 0)
        // One entry with the facts, however the answer went (a write whose answer was lost is
        // found on the retry, not counted as written).
        let updates = try await community.store.allEntries(matching: .stream(ActivityEvent.stream(of: old.id)))
        #expect(updates.filter { $0.entry.kind == ActivityKind.profileUpdated.rawValue }.count == 1)
        let host = try ProjectionHost(store: community.store)
        try await host.register(MemberFactsProjection())
        try await host.catchUp()
        let facts = await host.state(of: MemberFactsProjection.self, named: "member-facts")?.facts(of: old.id)
        #expect(facts?.consents == [.publicLeaderboards] && facts?.country.code == "KE")
    }

    @Test("a payload with a field beyond the first sixteen is written as version 2; others stay version 1")
    func versionTwoOnlyWhenNeeded() throws {
        var placed = Self.full
        placed.details.points = -5
        placed.details.day = try LocalDate(year: 2026, month: 2, day: 1)
        placed.details.placement = 2
        let entry = try placed.logEntry()
        #expect(entry.payload.first == 2)
        #expect(try ActivityEvent(entry) == placed)
        var cut = entry
        for length in 0..<entry.payload.count {
            cut.payload = entry.payload.prefix(length)
            #expect(throws: StorageError.self) { try ActivityEvent(cut) }
        }
        #expect(try Self.full.logEntry().payload.first == 1)
    }

    @Test("payloads written as JSON by earlier versions still decode")
    func legacyJSON() throws {
        struct Legacy: Encodable {
            var member = "m-1"
            var localDate = try! LocalDate(year: 2026, month: 1, day: 2)
            var details = ActivityDetails(reaction: .thanks)
        }
        let entry = try LogEntry(
            id: Self.ids.next(at: Self.time), stream: "member:m-1", kind: "reacted", time: Self.time,
            encoding: Legacy())
        let event = try ActivityEvent(entry)
        #expect(event.member == "m-1")
        #expect(event.details.reaction == .thanks)
        #expect(try event.localDate == LocalDate(year: 2026, month: 1, day: 2))
    }

    @Test("cut short at any byte, or of an unknown version, a payload is a corruptRecord error")
    func corruptBytes() throws {
        let entry = try Self.full.logEntry()
        for length in 0..<entry.payload.count {
            var cut = entry
            cut.payload = entry.payload.prefix(length)
            #expect(throws: StorageError.self) { try ActivityEvent(cut) }
        }
        var future = entry
        future.payload[future.payload.startIndex] = 9
        let error = #expect(throws: StorageError.self) { try ActivityEvent(future) }
        #expect(String(describing: error!).contains("format version 9"))
        var unknownField = entry
        unknownField.payload[unknownField.payload.startIndex + 2] |= 0x80
        #expect(throws: StorageError.self) { try ActivityEvent(unknownField) }
        var unknownReaction = try ActivityEvent(
            id: Self.ids.next(at: Self.time), kind: .reacted, member: "m", time: Self.time,
            localDate: try LocalDate(year: 2026, month: 1, day: 1),
            context: ActivityContext(details: ActivityDetails(reaction: .like))
        ).logEntry()
        unknownReaction.payload = Data(
            String(decoding: unknownReaction.payload, as: UTF8.self).replacingOccurrences(of: "like", with: "lime")
                .utf8)
        #expect(throws: StorageError.self) { try ActivityEvent(unknownReaction) }
    }
}
