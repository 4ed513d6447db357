import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Synchronization
import Testing

/// A command of the member's that lands between the erasure's reads and its commit (a reaction,
/// in a collection found by reading it) would outlive the erasure: erasure looks again after
/// its commit and erases what it finds.
@Suite("Erasure and a command that races it")
struct ErasureRaceTests {
    /// Commits a reaction of `member` just before the commit that holds their erasure.
    final class RacingStore: ForwardingStore, Sendable {
        let base: any DataStore
        var wrapped: any DataStore { base }
        let member: MemberID
        let post: PostID
        private let raced = Mutex(false)

        init(base: any DataStore, member: MemberID, post: PostID) {
            self.base = base
            self.member = member
            self.post = post
        }

        func commit(_ batch: WriteBatch) async throws -> CommitReceipt {
            let erases = batch.entries.contains { $0.kind == ActivityKind.memberErased.rawValue }
            if erases, !raced.withLock({ $0 }) {
                raced.withLock { $0 = true }
                var race = WriteBatch()
                try race.put(
                    Reaction(post: post, member: member, kind: .thanks, at: Date()),
                    id: CompositeKey.make(post, member, "race"), in: Collections.reactions, expecting: .absent)
                try await base.commit(race)
            }
            return try await base.commit(batch)
        }
    }

    @Test("a reaction stored while the erasure was under way is erased too")
    func racingReactionIsErased() async throws {
        let base = InMemoryStore()
        let scenario = try await ErasureScenario(store: base)
        let racing = RacingStore(base: base, member: scenario.member, post: scenario.staffReply.id)
        let service = CommunityService(store: racing, clock: scenario.clock)
        let report = try await service.eraseMember(scenario.member, by: scenario.staff, rights: ErasureScenario.rights)
        #expect(report.deleted["reactions", default: 0] >= 1)
        let left = try await base.fetchAll(Collections.reactions).filter { $0.value.member == scenario.member }
        #expect(left.isEmpty, "\(left.map(\.id))")
    }
}
