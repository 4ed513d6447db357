import CommunityModel
import CommunitySimulation
import Storage
import Testing

@Suite("The activity log generator")
struct ActivityLogGeneratorTests {
    let scale = ActivityLogGenerator.Scale(members: 5_000, countries: 190, chapters: 40, events: 20_000)

    @Test("the same seed generates the same log, in time order, with every id distinct")
    func deterministic() {
        let first = Array(ActivityLogGenerator(scale: scale, seed: 7))
        let second = Array(ActivityLogGenerator(scale: scale, seed: 7))
        #expect(first == second)
        #expect(first.count == 20_000)
        #expect(first.map(\.time) == first.map(\.time).sorted())
        #expect(Set(first.map(\.id)).count == first.count)
        #expect(first.map(\.id) == first.map(\.id).sorted(), "time-ordered ids sort in log order")
    }

    @Test("the log mixes the kinds and reaches members across the scale's countries and chapters")
    func realisticMix() {
        let generator = ActivityLogGenerator(scale: scale, seed: 7)
        let events = Array(generator)
        let kinds = Set(events.map(\.kind))
        for kind in [ActivityKind.reacted, .answered, .gaveFeedback, .shared, .attendedEvent, .completed] {
            #expect(kinds.contains(kind))
        }
        #expect(Set(events.compactMap(\.chapter)).count == 40)
        #expect(Set((0..<scale.members).map { generator.country(ofMember: $0) }).count == 190)
        // A few members do most things.
        var perMember: [MemberID: Int] = [:]
        for event in events { perMember[event.member, default: 0] += 1 }
        let busiest = perMember.values.sorted(by: >).prefix(scale.members / 100).reduce(0, +)
        #expect(busiest > events.count / 10)
    }

    @Test("each event's local day is the member's own day")
    func localDays() throws {
        let generator = ActivityLogGenerator(scale: scale, seed: 7)
        for event in Array(generator).prefix(500) {
            let index = Int(event.member.rawValue.dropFirst("member-".count))! - 1
            #expect(event.localDate == LocalDate(event.time.date, in: generator.timeZone(ofMember: index)))
        }
    }
}
