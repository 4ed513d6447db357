import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import SQLiteStorage
import Storage
import Testing

/// Commands that cannot apply twice, on SQLite and in memory: the same scenario the
/// PostgreSQL proxy test runs against a real dropped connection.
@Suite("Commands that cannot apply twice, on SQLite and in memory")
struct IdempotentCommandTests {
    enum Backend: String, CaseIterable, Sendable {
        case memory, sqlite
    }

    /// A store of the backend, and what to do when the test is over.
    static func store(_ backend: Backend) async throws -> (any DataStore, @Sendable () -> Void) {
        switch backend {
        case .memory: return (InMemoryStore(), {})
        case .sqlite:
            let database = try TemporaryDatabase()
            return (try await SQLiteStorage.open(path: database.path), { database.remove() })
        }
    }

    @Test(
        "a points adjustment and a registration whose commit answers are lost are retried and apply once",
        arguments: Backend.allCases, [OutcomeLosingStore.Loss.afterCommitting, .beforeCommitting, .landingLate])
    func lostAnswers(_ backend: Backend, _ loss: OutcomeLosingStore.Loss) async throws {
        let (store, done) = try await Self.store(backend)
        defer { done() }
        let lossy = OutcomeLosingStore(store)
        let scenario = try await RetryScenario.make(on: store, serving: lossy)
        try await scenario.runOnce { lossy.lose(loss) }
        #expect(lossy.lostAnswers == 2)
    }

    @Test(
        "repeated with the caller's key, a command returns its first outcome and applies nothing",
        arguments: Backend.allCases)
    func repeatedWithTheSameKey(_ backend: Backend) async throws {
        let (store, done) = try await Self.store(backend)
        defer { done() }
        let scenario = try await RetryScenario.make(on: store)
        let adjust = try IdempotencyKey("request-7f3a")
        let register = try IdempotencyKey("request-9c1e")
        let first = try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 50, reason: "Hosted a meetup", by: scenario.staff, idempotencyKey: adjust)
        let outcome = try await scenario.community.register(
            scenario.learner, for: scenario.event, by: scenario.learner, idempotencyKey: register)
        // Another process retries the same requests, a day later.
        scenario.clock.advance(by: 86_400)
        let again = try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 50, reason: "Hosted a meetup", by: scenario.staff, idempotencyKey: adjust)
        #expect(again == first)
        #expect(
            try await scenario.community.register(
                scenario.learner, for: scenario.event, by: scenario.learner, idempotencyKey: register) == outcome)
        try await scenario.expectAppliedOnce()
        // Without the key the retry would have applied again: a second adjustment goes in.
        try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 50, reason: "Hosted a meetup", by: scenario.staff)
        #expect(try await scenario.gamification.points(of: scenario.learner, by: scenario.staff).balance == 100)
    }

    @Test("a key names one request: used for another command it is refused and changes nothing")
    func keyOfAnotherCommand() async throws {
        let scenario = try await RetryScenario.make(on: InMemoryStore())
        let key = try IdempotencyKey("request-1")
        try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        let head = try await scenario.store.head()
        let error = await #expect(throws: CommunityError.self) {
            try await scenario.community.warn(scenario.learner, by: scenario.staff, reason: "Spam", idempotencyKey: key)
        }
        guard case .invalidInput(let field, let reason) = error else {
            Issue.record("expected invalidInput, got \(String(describing: error))")
            return
        }
        #expect(field == "idempotencyKey")
        #expect(reason.contains("was used for adjustPoints"), "\(reason)")
        #expect(try await scenario.store.head() == head)
        // The same key from another member is another request.
        try await scenario.gamification.adjustPoints(
            of: scenario.staff, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
    }

    @Test("after a lost answer, a refusal cannot say nothing was applied: the outcome is unknown")
    func refusalAfterALostAnswer() async throws {
        let store = InMemoryStore()
        let lossy = OutcomeLosingStore(store)
        let scenario = try await RetryScenario.make(on: store, serving: lossy)
        // The answer is lost on the way in; before the retry, the event is cancelled.
        let organizer = CommunityService(store: store, clock: scenario.clock)
        lossy.lose(.beforeCommitting) { [event = scenario.event, staff = scenario.staff] in
            try await organizer.cancelEvent(event, by: staff)
        }
        let error = await #expect(throws: CommunityError.self) {
            try await scenario.community.register(scenario.learner, for: scenario.event, by: scenario.learner)
        }
        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
    }

    @Test("a repeat whose outcome has since been removed says so, and applies nothing")
    func removedOutcome() async throws {
        let scenario = try await RetryScenario.make(on: InMemoryStore())
        let key = try IdempotencyKey("join-1")
        try await scenario.community.join("nbo", member: scenario.learner, by: scenario.learner, idempotencyKey: key)
        try await scenario.community.leave("nbo", member: scenario.learner, by: scenario.learner)
        let head = try await scenario.store.head()
        let error = await #expect(throws: CommunityError.self) {
            try await scenario.community.join(
                "nbo", member: scenario.learner, by: scenario.learner, idempotencyKey: key)
        }
        guard case .invalidState(let message) = error else {
            Issue.record("expected invalidState, got \(String(describing: error))")
            return
        }
        #expect(message.contains("has since been removed"), "\(message)")
        #expect(try await scenario.store.head() == head)
    }

    @Test("a self sign-up key sent again for another email is refused, and shows nobody's record")
    func signUpKeyOfAnotherPerson() async throws {
        let scenario = try await RetryScenario.make(on: InMemoryStore())
        let key = try IdempotencyKey("signup-1")
        let first = try await scenario.community.registerMember(
            NewMember(displayName: "Bo", email: "bo@school.example", country: "KE", timeZone: "Africa/Nairobi"),
            idempotencyKey: key)
        #expect(
            try await scenario.community.registerMember(
                NewMember(displayName: "Bo", email: "bo@school.example", country: "KE", timeZone: "Africa/Nairobi"),
                idempotencyKey: key) == first)
        await #expect(throws: CommunityError.self) {
            try await scenario.community.registerMember(
                NewMember(displayName: "Cy", email: "cy@school.example", country: "KE", timeZone: "Africa/Nairobi"),
                idempotencyKey: key)
        }
    }

    @Test("keys that are not ids are refused before anything runs")
    func malformedKeys() {
        for raw in ["", "has space", "a|b", String(repeating: "k", count: 129), "é"] {
            #expect(throws: CommunityError.self) { try IdempotencyKey(raw) }
        }
        #expect(throws: Never.self) { try IdempotencyKey(UUID().uuidString) }
    }

    @Test("a key is remembered for 7 days; then it runs its command afresh, and pruning removes it")
    func keysExpireAndArePruned() async throws {
        let scenario = try await RetryScenario.make(on: InMemoryStore())
        let key = try IdempotencyKey("request-2")
        try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        let keys = { try await scenario.store.records(in: "idempotency", where: nil, after: nil, limit: 1_000).records }
        // Every command this scenario ran keeps a key (minted ones too).
        let kept = try await keys().count
        #expect(kept >= 5)
        scenario.clock.advance(by: IdempotencyKey.retention - 1)
        #expect(try await scenario.community.pruneIdempotencyKeys(by: scenario.staff) == 0)
        try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        #expect(try await scenario.gamification.points(of: scenario.learner, by: scenario.staff).balance == 5)
        scenario.clock.advance(by: 2)
        try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        #expect(try await scenario.gamification.points(of: scenario.learner, by: scenario.staff).balance == 10)
        // The key was used again, so its record is new; every other one has expired.
        #expect(try await scenario.community.pruneIdempotencyKeys(by: scenario.staff) == kept - 1)
        #expect(try await keys().count == 1)
        await #expect(throws: CommunityError.self) {
            try await scenario.community.pruneIdempotencyKeys(by: scenario.learner)
        }
    }

    @Test("when every retry loses the answer, the error says the outcome is unknown, and the key settles it")
    func outcomeStaysUnknown() async throws {
        let store = InMemoryStore()
        let lossy = OutcomeLosingStore(store)
        let scenario = try await RetryScenario.make(on: store, serving: lossy)
        let key = try IdempotencyKey("request-3")
        lossy.lose(.beforeCommitting, count: 1_000)
        let error = await #expect(throws: CommunityError.self) {
            try await scenario.gamification.adjustPoints(
                of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        }
        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("same idempotency key") == true)
        // The connection is back: repeating with the key applies it once.
        lossy.lose(.beforeCommitting, count: 0)
        let adjustment = try await scenario.gamification.adjustPoints(
            of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
        #expect(
            try await scenario.gamification.adjustPoints(
                of: scenario.learner, points: 5, reason: "Helped", by: scenario.staff, idempotencyKey: key)
                == adjustment)
        #expect(try await scenario.gamification.points(of: scenario.learner, by: scenario.staff).balance == 5)
    }
}
