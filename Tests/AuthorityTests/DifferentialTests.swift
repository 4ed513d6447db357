import CommunityModel
import Foundation
import Storage
import StorageTestKit
import Testing

/// The library's decisions against the reference model: on random cases through the real
/// commands, and on random requirements through `Authority.decide`.
@Suite("The authority model against its reference")
struct DifferentialTests {
    /// What one run of the real commands found.
    struct Tally: CustomStringConvertible {
        var cases = 0
        var refusals = 0
        var snapshots = 0
        var allowed = 0
        /// Cases whose input named nothing that exists (an application never opened): checked
        /// before authority, so they say nothing about it.
        var unknown = 0
        var mismatches: [String] = []
        /// Per command: how often it was drawn and refused, and whether the model refused it.
        var drawn: [String: Int] = [:]
        var refused: [String: Int] = [:]
        var refusable: Set<String> = []

        var description: String {
            "\(cases) cases, \(refusals) refused (\(snapshots) checked unchanged), \(allowed) applied, "
                + "\(unknown) named nothing, \(mismatches.count) mismatches"
        }
    }

    /// Draws `count` cases over fresh worlds and runs each through its command on a copy of the
    /// world's store; `model` decides what should happen.
    static func run(
        count: Int, seed: UInt64, snapshots: Int = 0, among drawn: [Command] = commands, casesPerWorld: Int = 200,
        model: (Command, Case) -> Verdict = { $0.verdict($1) }
    ) async throws -> Tally {
        var random = SeededGenerator(seed: seed)
        var tally = Tally()
        var world = try await World.build(seed: seed)
        for index in 0..<count {
            if index > 0, index.isMultiple(of: casesPerWorld) {
                world = try await World.build(seed: seed &+ UInt64(index))
            }
            let c = Case.random(in: world, using: &random)
            let command = drawn[random.int(below: drawn.count)]
            let expected = model(command, c)
            tally.drawn[command.signature, default: 0] += 1
            if expected != .allow { tally.refusable.insert(command.signature) }
            let services = Services(copying: world)
            let check = expected != .allow && tally.snapshots < snapshots
            let before = check ? try await StoreSnapshot(of: services.store) : nil
            var outcome: Verdict = .allow
            var failure: String?
            do {
                _ = try await command.run(c, services)
            } catch let error as CommunityError {
                if case .notFound = error {
                    tally.unknown += 1
                    continue
                }
                switch error.rule {
                case .some(let rule) where rule != .organizerEligibility && rule != .conflictOfInterest:
                    outcome = .deny(rule)
                default: failure = error.description  // bad input or state: not a refusal
                }
            }
            tally.cases += 1
            if outcome != .allow {
                tally.refusals += 1
                tally.refused[command.signature, default: 0] += 1
            } else if failure == nil {
                tally.allowed += 1
            }
            if outcome != expected {
                tally.mismatches.append(
                    "\(command.signature) for \(c): the model says \(expected), the library \(outcome)"
                        + (failure.map { " (\($0))" } ?? ""))
            }
            if let before {
                let after = try await StoreSnapshot(of: services.store)
                if let difference = before.difference(from: after) {
                    tally.mismatches.append("\(command.signature) for \(c) was refused yet changed \(difference)")
                }
                tally.snapshots += 1
            }
        }
        return tally
    }

    @Test("every command refuses exactly when the reference model does, and a refusal changes nothing")
    func realCommands() async throws {
        let tally = try await Self.run(count: 20_000, seed: 2_026, snapshots: 2_500)
        #expect(tally.mismatches.isEmpty, "\(tally)\n\(tally.mismatches.prefix(20).joined(separator: "\n"))")
        #expect(tally.snapshots >= 2_000, "\(tally)")
        // Not a vacuous run: many cases pass and apply.
        #expect(tally.allowed >= tally.cases / 5, "\(tally)")
        #expect(tally.unknown <= tally.cases / 20, "\(tally)")
        // Every command was drawn, and every one the model can refuse was refused at least once.
        let neverDrawn = commands.map(\.signature).filter { tally.drawn[$0, default: 0] == 0 }
        #expect(neverDrawn.isEmpty, "never drawn: \(neverDrawn)")
        let neverRefused = commands.map(\.signature).filter {
            tally.refusable.contains($0) && tally.refused[$0, default: 0] == 0
        }
        #expect(neverRefused.isEmpty, "never refused: \(neverRefused)")
    }

    @Test("the check fails when one rule is weakened: community managers granting staff")
    func weakenedRule() async throws {
        // The finding of the issue: a community manager could raise anyone to staff. A model
        // that allows it disagrees with the library exactly there.
        let weakened: (Command, Case) -> Verdict = { command, c in
            if command.signature.hasPrefix("CommunityService.grantRole"), c.actor.isManager, !c.actor.isSuspended {
                return .allow
            }
            return command.verdict(c)
        }
        // Among the role commands and a few others, so that the weakened rule is met often.
        let some = commands.filter {
            $0.signature.contains("Role(") || $0.signature.contains("join(") || $0.signature.contains("contact(")
        }
        let tally = try await Self.run(count: 1_500, seed: 7, among: some, casesPerWorld: 50, model: weakened)
        #expect(!tally.mismatches.isEmpty, "the differential test did not notice a weakened rule")
        #expect(tally.mismatches.allSatisfy { $0.hasPrefix("CommunityService.grantRole") }, "\(tally.mismatches)")
    }

    @Test("Authority.decide equals the reference model on 100,000 random actors and requirements")
    func decisions() {
        var random = SeededGenerator(seed: 100_000)
        let members: [MemberID] = ["m0", "m1", "m2"]
        let boards = [
            Board(id: "everyone", title: "E", audience: .everyone, chapter: "accra"),
            Board(id: "members", title: "M", audience: .chapterMembers("accra"), chapter: "accra"),
            Board(id: "organizers", title: "O", audience: .organizers("lima"), chapter: "lima"),
            Board(id: "learners", title: "L", audience: .enrolled("data"), programme: "data"),
            Board(id: "alumni", title: "A", audience: .alumni("data"), programme: "data"),
            Board(id: "staff", title: "S", audience: .staff),
        ]
        var mismatches: [String] = []
        for _ in 0..<100_000 {
            var person = Person.random(members[random.int(below: members.count)], using: &random)
            person.hasAcknowledged = true  // the gate is not part of `decide`
            let subject = members[random.int(below: members.count)]
            let parties = Set(members.filter { _ in random.chance(0.4) })
            let chapter = World.chapters[random.int(below: 2)]
            let board = boards[random.int(below: boards.count)]
            let permission = [BoardPermissions.read, .post, .moderate, [.read, .post]][random.int(below: 4)]
            let pairs: [(Requirement, Who)] = [
                (.anyone, .anyone), (.goodStanding, .anyMember), (.themself(subject), .themself(subject)),
                (.partiesOrStaff(parties), .themselfOrStaff(parties)),
                (.themselfOrSupport(subject, whileSuspended: false), .themselfOrSupport(subject)),
                (.themselfOrSupport(subject, whileSuspended: true), .themselfAnytimeOrSupport(subject)),
                (.staff, .staff), (.staffRole, .staffOnly), (.leader(chapter), .leader(chapter, gated: false)),
                (.leader(nil), .leader(nil, gated: false)),
                (.board(board, permission), .board(board, permission, gated: false)),
                (.parties(parties), .parties(parties)), (.chapterMember(chapter), .chapterMember(chapter)),
            ]
            let (requirement, who) = pairs[random.int(below: pairs.count)]
            let actor = Actor(
                viewer: Viewer(
                    member: person.id,
                    roles: Set(
                        [Role.learner] + (person.isStaff ? [.staff] : [])
                            + (person.isManager ? [.communityManager] : [])),
                    chapters: person.chapters, organizes: person.organizes,
                    enrolled: person.isEnrolled ? ["data"] : [], completed: person.hasCompleted ? ["data"] : []),
                isSuspended: person.isSuspended)
            let library: Verdict = Authority.decide(requirement, for: actor).map { .deny($0) } ?? .allow
            let model = who.verdict(for: person)
            if library != model, mismatches.count < 20 {
                mismatches.append("\(requirement) for \(person): library \(library), model \(model)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}

extension SeededGenerator {
    mutating func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension SeededGenerator {
    mutating func chance(_ probability: Double) -> Bool { Double(next() % 1_000_000) < probability * 1_000_000 }
}
