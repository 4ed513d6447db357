import CommunityModel
import Foundation
import Storage
import StorageTestKit
import Testing

/// A community on an in-memory store, with a clock the test moves.
package struct TestCommunity {
    package let store = InMemoryStore()
    package let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z
    package let service: CommunityService

    package init() {
        service = CommunityService(
            store: store, clock: clock, ids: EntryIDGenerator(seed: 42), secrets: SeededSecrets(seed: 42))
    }

    /// Registers a staff member.
    package func staff(_ name: String = "Sam Staff") async throws -> Member {
        try await service.registerMember(
            .make(name, country: "NL", timeZone: "Europe/Amsterdam", roles: [.staff]))
    }

    /// The founding staff member, registered first when there is none yet: for tests that
    /// need staff to read what only staff may.
    package func founder() async throws -> Member {
        if let claim = try await store.fetch("founder", from: Collections.founding) {
            return try await service.member(claim.value.member)
        }
        return try await staff()
    }

    /// Registers a learner.
    package func learner(_ name: String, country: String = "KE", timeZone: String = "Africa/Nairobi") async throws
        -> Member
    {
        try await service.registerMember(.make(name, country: country, timeZone: timeZone))
    }

    /// Creates a city chapter.
    @discardableResult
    package func city(_ id: ChapterID, _ name: String, country: String, timeZone: String, by staff: Member) async throws
        -> Chapter
    {
        try await service.createChapter(
            id: id, name: name, focus: .city(name, country: try CountryCode(country)), timeZone: timeZone,
            by: staff.id)
    }

    /// The Berlin chapter (a country chapter for Germany), whose public board the discussion
    /// and question tests use.
    package func berlin(by staff: Member) async throws -> Chapter {
        try await service.createChapter(
            id: "berlin", name: "Berlin", focus: .country(try CountryCode("DE")), timeZone: "Europe/Berlin",
            by: staff.id)
    }

    /// Staff, the Nairobi chapter, and a learner appointed as its organizer.
    package func nairobiWithOrganizer(_ name: String = "Amina") async throws -> (
        staff: Member, chapter: Chapter, organizer: Member
    ) {
        let staff = try await staff()
        let chapter = try await city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let organizer = try await learner(name)
        try await service.appointOrganizer(organizer.id, of: chapter.id, by: staff.id)
        return (staff, chapter, organizer)
    }

    /// Staff, the Nairobi chapter, and learners of these names who joined it, in order.
    package func nairobiWithMembers(_ names: String...) async throws -> (
        staff: Member, chapter: Chapter, members: [Member]
    ) {
        let staff = try await staff()
        let chapter = try await city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        var members: [Member] = []
        for name in names {
            let member = try await learner(name)
            try await service.join(chapter.id, member: member.id, by: member.id)
            members.append(member)
        }
        return (staff, chapter, members)
    }

    /// The kinds of a member's activity, oldest first.
    package func kinds(of member: MemberID) async throws -> [ActivityKind] {
        try await service.activity(of: member, by: member).map(\.event.kind)
    }

    package func expectRefusal(
        _ matches: (CommunityError) -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws {
        try await TestCommunityView(store: store).expectRefusal(matches, sourceLocation: sourceLocation, body)
    }
}

/// Checks on a store that any test can make.
package struct TestCommunityView {
    package let store: any DataStore

    package init(store: any DataStore) { self.store = store }

    /// Runs `body`, expects it to throw a ``CommunityError`` matching `matches`, and checks that
    /// the store is exactly as it was before.
    package func expectRefusal(
        _ matches: (CommunityError) -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws {
        let before = try await StoreSnapshot(of: store)
        do {
            try await body()
            Issue.record("expected the command to be refused", sourceLocation: sourceLocation)
        } catch let error as CommunityError {
            #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.isEmpty, sourceLocation: sourceLocation)
        }
        let after = try await StoreSnapshot(of: store)
        #expect(
            before.difference(from: after) == nil, "the refused command stored something",
            sourceLocation: sourceLocation)
    }
}

extension NewMember {
    package static func make(
        _ name: String, country: String = "KE", timeZone: String = "Africa/Nairobi", roles: Set<Role> = [.learner]
    ) -> NewMember {
        let handle = name.lowercased().filter { $0.isLetter || $0.isNumber }
        return NewMember(
            displayName: name, email: "\(handle)@example.org", country: country, timeZone: timeZone,
            languages: ["en"], roles: roles)
    }
}

extension NewEvent {
    package static func meetup(
        _ title: String = "Monthly meetup", capacity: Int = 2, startingIn hours: Double = 48, from now: Date
    ) -> NewEvent {
        let start = now.addingTimeInterval(hours * 3_600)
        return NewEvent(
            title: title, format: .inPerson(capacity: capacity), start: start, end: start.addingTimeInterval(7_200))
    }
}
