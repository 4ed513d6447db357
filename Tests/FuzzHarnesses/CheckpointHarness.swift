import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import Leadership
import Recognition
import Storage

/// Every checkpoint decoder: the same bytes restored into each projection of the library.
///
/// Properties: a restore throws a typed error or gives a state that, written and restored again,
/// is equal (the state is canonical); a restored state folds further activity (a suspension
/// among it) without trapping, and what it folded survives a checkpoint too.
package enum CheckpointHarness {
    /// Each projection the library hosts, as a function that restores `bytes` into it and checks
    /// the properties.
    static let decoders: [@Sendable (Data) throws(PropertyViolation) -> Void] = projections.map(\.decode)

    /// Each projection's checkpoint after folding `log`: seeds for the corpus, so that the fuzzer
    /// starts from real states instead of discovering the format byte by byte.
    package static func seeds(folding log: [LoggedActivity]) -> [[UInt8]] {
        projections.map { $0.seed(log) }
    }

    static let projections: [Projection] = {
        do {
            return [
                projection(MemberFactsProjection()),
                projection(try PointsLedger()),
                projection(
                    try RewardProjection(
                        tiers: [RewardTier(id: "stickers", name: "Stickers", kind: .swag, threshold: 20)],
                        ledgerName: "points")),
                projection(try InsightsProjection()),
                projection(ValueProjection()),
                projection(try EngagementProjection()),
                projection(try BadgeProjection(badges: SampleBadges.everyCriterion)),
                projection(try HomeworkProjection()),
            ]
        } catch {
            fatalError("the harness's projections do not build: \(error)")
        }
    }()

    /// A little activity to fold into a restored state, at the edges of the supported years too.
    static let activity: [LoggedActivity] = {
        let ids = EntryIDGenerator(seed: 3)
        var logged: [LoggedActivity] = []
        let days = [LocalDate.first, LocalDate.last, LocalDate(dayNumber: 20_454)]
        let kinds: [ActivityKind] = [
            .joinedCommunity, .answered, .pointsAdjusted, .roleGranted, .placedInChallenge, .suspended, .completed,
            .checkedIn,
        ]
        for (index, kind) in kinds.enumerated() {
            let day = days[index % days.count]
            let time = Timestamp(millisecondsSince1970: Int64(day.dayNumber) * 86_400_000 + 3_600_000)
            var context = ActivityContext(actor: "sam", chapter: "nbo", programme: "data")
            context.details.points = index % 2 == 0 ? 5 : -3
            context.details.role = .staff
            context.details.placement = 1
            context.details.day = day
            context.details.until = Timestamp(millisecondsSince1970: LocalDate.supportedMilliseconds.upperBound).date
            let event = ActivityEvent(
                id: ids.next(at: time), kind: kind, member: index % 2 == 0 ? "ada" : "ben", time: time, localDate: day,
                context: context)
            logged.append(LoggedActivity(position: UInt64(1_000 + index), event: event))
        }
        return logged
    }()

    struct Projection: Sendable {
        var decode: @Sendable (Data) throws(PropertyViolation) -> Void
        var seed: @Sendable ([LoggedActivity]) -> [UInt8]
    }

    static func projection<State: ActivityProjection & Equatable>(_ prototype: State) -> Projection {
        Projection(decode: decoder(prototype)) { log in
            var state = prototype
            for logged in log { try? state.apply(logged) }
            var writer = BinaryWriter()
            state.encodeState(into: &writer)
            return writer.bytes
        }
    }

    static func decoder<State: ActivityProjection & Equatable>(
        _ prototype: State
    ) -> @Sendable (Data) throws(PropertyViolation) -> Void {
        { bytes throws(PropertyViolation) in
            var restored = prototype
            do {
                var reader = BinaryReader(bytes, collection: "checkpoint", id: prototype.checkpointName)
                try restored.restoreState(from: &reader, position: 999)
            } catch {
                return
            }
            try expectRoundTrip(restored, from: prototype, "a restored state")
            for logged in activity { try? restored.apply(logged) }
            _ = restored.takeEffects()
            try expectRoundTrip(restored, from: prototype, "a state that folded activity")
        }
    }

    /// Writes `state` and restores it into `prototype`: the same state comes back.
    static func expectRoundTrip<State: ActivityProjection & Equatable>(
        _ state: State, from prototype: State, _ what: String
    ) throws(PropertyViolation) {
        var writer = BinaryWriter()
        state.encodeState(into: &writer)
        var again = prototype
        do {
            var reader = BinaryReader(Data(writer.bytes), collection: "checkpoint", id: prototype.checkpointName)
            try again.restoreState(from: &reader, position: state.position)
        } catch {
            throw PropertyViolation("\(State.self): \(what), written, does not restore: \(error)")
        }
        try expect(again == state, "\(State.self): \(what), written and restored, differs: \(state) and \(again)")
    }

    static let target = FuzzTarget(
        name: "checkpoints",
        summary: "bytes restored into every projection's checkpoint decoder: canonical round trip, then folding"
    ) { bytes throws(PropertyViolation) in
        let data = Data(bytes)
        for decode in decoders { try decode(data) }
    }
}
