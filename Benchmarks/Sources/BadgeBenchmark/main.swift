// Badge evaluation benchmark: the generated school's activity log folded through the badge
// projection (a realistic set of badges, one of each criterion kind) and, in the same run on
// the same in-memory events, through the engagement projection, which is the pace to keep.
// Prints events/s for both, the ratio, and the awards made. See Benchmarks/README.md.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Recognition

let (events, chunkSize) = logOptions()

let image = URL(string: "https://school.example/badge.png")!
func badge(_ id: String, _ criterion: BadgeCriterion, tier: BadgeTier? = nil, repeatable: Bool = false)
    -> BadgeDefinition
{
    BadgeDefinition(
        id: BadgeID(id), name: id, description: "The \(id) badge.", tier: tier, criterion: criterion,
        isRepeatable: repeatable, image: image)
}
let badges = [
    badge("first-answer", .count(.answered, atLeast: 1)),
    badge("helper-bronze", .count(.answered, atLeast: 10), tier: .bronze),
    badge("helper-silver", .count(.answered, atLeast: 50), tier: .silver),
    badge("helper-gold", .count(.answered, atLeast: 200), tier: .gold),
    badge("burst", .count(.replied, atLeast: 5, withinDays: 7)),
    badge("mentor", .count(.gaveFeedback, atLeast: 10), repeatable: true),
    badge("regular", .count(.attendedEvent, atLeast: 5)),
    badge("host", .eventsHosted(atLeast: 4)),
    badge("steward", .roleHeld(.chapterOrganizer, days: 90)),
    badge("podium", .challengePlacement(atBest: 3)),
    badge("all-round", .all([.count(.answered, atLeast: 5), .count(.attendedEvent, atLeast: 2)])),
]

var projection = try BadgeProjection(badges: badges)
var awards = 0
let fold = try foldBesideEngagement(&projection, events: events, chunkSize: chunkSize) {
    awards += $0.takeNewAwards().count
}
let total = fold.events
print("badge benchmark: \(format(Double(total))) events, \(badges.count) badges")
print("engagement projection: \(format(rate(total, fold.engagement))) events/s (\(seconds(fold.engagement)) seconds)")
print("badge projection:      \(format(rate(total, fold.projection))) events/s (\(seconds(fold.projection)) seconds)")
print("badge time / engagement time: " + String(format: "%.2f", fold.ratio) + "×")
print("awards made: \(format(Double(awards)))")
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
