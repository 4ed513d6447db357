import CommunityModel
import CommunitySimulation
import Foundation
import Guidelines
import Recognition
import Storage

extension CommunityDemo {
    /// Recognition: badges evaluated over the whole log (with their evidence), one Open Badges
    /// assertion, and a social callout for a badge holder that passes the content checker.
    static func showRecognition(
        service: CommunityService, clock: ManualClock, staff: MemberID, names: [MemberID: Member]
    ) async throws {
        let image = URL(string: "https://brightpath.example/badges/badge.png")!
        func badge(_ id: String, _ name: String, _ description: String, _ criterion: BadgeCriterion, _ tier: BadgeTier?)
            -> BadgeDefinition
        {
            BadgeDefinition(
                id: id, name: name, description: description, tier: tier, criterion: criterion, image: image)
        }
        let badges = [
            badge("first-answer", "First answer", "Answered a question.", .count(.answered, atLeast: 1), nil),
            badge("helper", "Helper", "Answered three questions.", .count(.answered, atLeast: 3), .bronze),
            badge("regular", "Regular", "Attended three events.", .count(.attendedEvent, atLeast: 3), .bronze),
            badge("host", "Host", "Hosted two chapter events.", .eventsHosted(atLeast: 2), .silver),
            badge(
                "challenger", "Challenge winner", "Won the Community Challenge.", .challengePlacement(atBest: 1), .gold),
        ]
        let recognition = try RecognitionService(community: service, badges: badges)
        let awarded = try await recognition.refresh()
        print("Badges: \(awarded.count) awarded")
        for definition in badges {
            let holders = awarded.filter { $0.badge == definition.id }
            guard let first = holders.first else {
                print("  \(pad(definition.name, 18)) nobody yet")
                continue
            }
            let who = names[first.member]?.profile.displayName ?? "former member"
            print(
                "  \(pad(definition.name, 18)) \(holders.count) members; first: \(who), earned by log entries "
                    + first.evidence.prefix(10).map(String.init).joined(separator: ", ")
                    + (first.evidence.count > 10 ? ", …" : ""))
        }

        // One Open Badges 2.0 assertion, for the first holder who agreed to public assertions.
        let publisher = try OpenBadgesPublisher(
            issuer: IssuerProfile(
                name: "Brightpath Academy", url: URL(string: "https://brightpath.example")!,
                email: "badges@brightpath.example"),
            baseURL: URL(string: "https://brightpath.example/openbadges")!,
            secret: Array("the demo's secret: an integrator keeps its own".utf8))
        for award in awarded where names[award.member]?.consents(to: .publicBadgeAssertions) == true {
            if let assertion = try await recognition.assertion(of: award.id, publisher: publisher, by: staff) {
                print("  Open Badges assertion for \(names[award.member]?.profile.displayName ?? "a member"):")
                let object = try JSONSerialization.jsonObject(with: assertion)
                let pretty = try JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                for line in String(decoding: pretty, as: UTF8.self).split(separator: "\n") { print("    \(line)") }
                break
            }
        }

        // A callout for a badge holder, for X, checked against the guidelines.
        if let award = awarded.first(where: { $0.badge == "helper" }), let member = names[award.member] {
            let writer = try CalloutWriter(guidelines: SampleGuidelines.document(version: try GuidelineVersion("1.0")))
            let callout = writer.draft(
                .celebration(of: "earning the Helper badge by answering three questions"),
                memberName: member.profile.displayName, channel: .socialPost(network: "X"),
                on: LocalDate(clock.now(), in: .utc))
            print("  callout for X (\(callout.check.passes ? "passes the guidelines" : "needs work")): \(callout.text)")
        }

        // This month's spotlights, featured, and the newsletter written as HTML.
        let today = LocalDate(clock.now(), in: .utc)
        let picks = try await recognition.spotlightPicks(for: today, policy: SpotlightPolicy(picks: 3))
        try await recognition.feature(picks, by: staff)
        print("  spotlight picks for \(today.year)-\(today.month < 10 ? "0" : "")\(today.month):")
        for pick in picks {
            print("    \(names[pick.member]?.profile.displayName ?? "a member"): \(pick.reason)")
        }
        let newsletter = try await recognition.newsletter(
            for: today, audience: .everyone, readerTimeZone: try TimeZoneID("Europe/Amsterdam"),
            title: "Brightpath community newsletter",
            eventURL: { URL(string: "https://brightpath.example/events/\($0)") },
            domain: "brightpath.example")
        let file = FileManager.default.temporaryDirectory.appending(path: "community-newsletter.html")
        try Data(newsletter.html().utf8).write(to: file)
        print(
            "  newsletter: \(newsletter.events.count) upcoming events, \(newsletter.badges.count) badges, "
                + "\(newsletter.spotlights.count) spotlights; written as HTML to \(file.path)")
        print("")
    }
}
