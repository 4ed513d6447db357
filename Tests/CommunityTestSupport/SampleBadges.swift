import CommunityModel
import Foundation
import Recognition

/// Badges with one of each kind of criterion, small thresholds: what the projection tests and
/// the checkpoint fuzz harness fold activity into.
package enum SampleBadges {
    package static let everyCriterion: [BadgeDefinition] = {
        let image = URL(string: "https://school.example/badge.png")!
        return [
            BadgeDefinition(
                id: "answers", name: "Answers", description: "Two.",
                criterion: .count(.answered, atLeast: 2, withinDays: 7), image: image),
            BadgeDefinition(
                id: "streak", name: "Streak", description: "Days.", criterion: .streak(days: 3), image: image),
            BadgeDefinition(
                id: "steward", name: "Steward", description: "Staff.", criterion: .roleHeld(.staff, days: 30),
                image: image),
            BadgeDefinition(
                id: "placed", name: "Placed", description: "Top.", criterion: .challengePlacement(atBest: 3),
                image: image),
            BadgeDefinition(
                id: "rich", name: "Rich", description: "Points.", criterion: .points(atLeast: 10), image: image),
            BadgeDefinition(
                id: "host", name: "Host", description: "Events.", criterion: .eventsHosted(atLeast: 1), image: image),
            BadgeDefinition(
                id: "big", name: "Big", description: "Members.", criterion: .chapterMembers(atLeast: 1), image: image),
        ]
    }()
}
