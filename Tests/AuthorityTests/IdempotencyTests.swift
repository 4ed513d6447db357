import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import StorageTestKit
import Testing

/// Every command, run against a store that loses the answer to its commit, applies once:
/// the service retries with the command's idempotency key and finds its first attempt (or
/// runs it again when the first never landed).
@Suite("Every command applies once when the answer to its commit is lost")
struct IdempotencyTests {
    /// The commands of the differential test that take an idempotency key.
    static let keyed = commands.filter { $0.signature.contains("idempotencyKey:") }

    /// Commands that apply only after another: run that one first, on the same case.
    static let prerequisites: [String: String] = [
        "CommunityService.cancelRegistration(of:for:by:idempotencyKey:)":
            "CommunityService.register(_:for:mode:by:idempotencyKey:)",
        "CommunityService.checkIn(_:at:by:idempotencyKey:)": "CommunityService.register(_:for:mode:by:idempotencyKey:)",
        "CommunityService.withdrawReaction(_:from:by:idempotencyKey:)":
            "CommunityService.react(_:to:by:idempotencyKey:)",
        "CommunityService.unacceptAnswer(in:by:idempotencyKey:)":
            "CommunityService.acceptAnswer(_:in:by:idempotencyKey:)",
        "CommunityService.liftSuspension(of:by:reason:idempotencyKey:)":
            "CommunityService.suspend(_:until:by:reason:idempotencyKey:)",
    ]

    /// Commands whose case in the authority test applies nothing (it names an award, a session
    /// or a team that does not exist, picks nobody, or needs a challenge phase, an event under
    /// way or an earned reward the world does not have): the focused tests in CommunityModelTests cover keys on
    /// commands like them. Exact, so that the list cannot grow unnoticed.
    static let applyNothingHere: Set<String> = [
        "CommunityService.announceWinners(of:places:by:idempotencyKey:)",
        "CommunityService.checkIn(_:at:by:idempotencyKey:)",
        "CommunityService.formTeams(for:seed:by:idempotencyKey:)",
        "CommunityService.register(for:_:by:idempotencyKey:)",
        "CommunityService.score(_:by:_:idempotencyKey:)",
        "GamificationService.moveReward(_:of:to:by:idempotencyKey:)",
        "GuidelinesService.recordAttendance(at:of:by:idempotencyKey:)",
        "RecognitionService.feature(_:by:idempotencyKey:)",
        "RecognitionService.featureBenchmarkMembers(_:by:idempotencyKey:)",
        "RecognitionService.revoke(_:reason:by:idempotencyKey:)",
    ]

    /// What one command did on a fresh copy of the world.
    struct Run {
        let outcome: Any
        /// The store before the command (after its prerequisite) and after it.
        let before: StoreSnapshot
        let after: StoreSnapshot
        let lostAnswers: Int

        var applied: Bool { before.difference(from: after) != nil }

        /// Whether `other` returned the same outcome (by value where it is hashable).
        func sameOutcome(as other: Run) -> Bool {
            if let mine = outcome as? AnyHashable, let theirs = other.outcome as? AnyHashable { return mine == theirs }
            return String(describing: outcome) == String(describing: other.outcome)
        }
    }

    /// Runs `command` for `c` on a fresh copy of the world (its prerequisite first), losing the
    /// answer to its first commit as `loss` says (or not at all).
    static func run(_ command: Command, _ c: Case, losing loss: OutcomeLosingStore.Loss?) async throws -> Run {
        let services = Services(copying: c.world)
        if let first = prerequisites[command.signature] {
            _ = try await commands.first { $0.signature == first }!.run(c, services)
        }
        let before = try await StoreSnapshot(of: services.store)
        if let loss { services.lossy.lose(loss) }
        let outcome = try await command.run(c, services)
        return Run(
            outcome: outcome, before: before, after: try await StoreSnapshot(of: services.store),
            lostAnswers: services.lossy.lostAnswers)
    }

    /// For each keyed command, a case in which it applies (it commits), drawn at random.
    static func applyingCases(seed: UInt64) async throws -> [(Command, Case, Run)] {
        var random = SeededGenerator(seed: seed)
        let world = try await World.build(seed: seed)
        var found: [(Command, Case, Run)] = []
        for command in keyed {
            for _ in 0..<400 {
                let c = Case.random(in: world, using: &random)
                guard let plain = try? await run(command, c, losing: nil), plain.applied else { continue }
                found.append((command, c, plain))
                break
            }
        }
        return found
    }

    @Test("lost after the commit: the retry finds the key, returns the first outcome and stores nothing more")
    func lostAfterCommitting() async throws {
        let cases = try await Self.applyingCases(seed: 28)
        // Every keyed command was found applying (some need a lucky draw; 400 tries suffice).
        let missing = Set(Self.keyed.map(\.signature)).subtracting(cases.map(\.0.signature))
        #expect(missing == Self.applyNothingHere, "no applying case drawn for \(missing.sorted())")
        #expect(cases.count >= 50)
        for (command, c, plain) in cases {
            let lost = try await Self.run(command, c, losing: .afterCommitting)
            #expect(lost.lostAnswers == 1, "\(command.signature): the loss never happened")
            #expect(lost.sameOutcome(as: plain), "\(command.signature) for \(c) returned another outcome")
            // Record bytes are canonical (a `Set`, and a dictionary keyed by ids, are written
            // sorted), so two runs of the same command store the same bytes.
            if let difference = plain.after.difference(from: lost.after) {
                Issue.record("\(command.signature) for \(c) applied differently after a lost answer: \(difference)")
            }
        }
    }

    @Test("lost before the commit: the retry applies the command once")
    func lostBeforeCommitting() async throws {
        for (command, c, plain) in try await Self.applyingCases(seed: 29) {
            let lost = try await Self.run(command, c, losing: .beforeCommitting)
            #expect(lost.lostAnswers == 1, "\(command.signature): the loss never happened")
            // The retry mints new ids, so compare what was stored, not the ids it has.
            #expect(
                Self.shape(of: lost.after) == Self.shape(of: plain.after),
                "\(command.signature) for \(c) stored another shape after a lost answer")
        }
    }

    /// What a snapshot holds, without ids: the entries' kinds in order, and the number of
    /// records per collection.
    static func shape(of snapshot: StoreSnapshot) -> [String] {
        let entries = snapshot.entries.map(\.entry.kind)
        let records = Dictionary(grouping: snapshot.records, by: \.key.collection).mapValues(\.count)
        return entries + records.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    }
}
