import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import Storage

extension Demo {
    static let badges: [BadgeDefinition] = {
        let image = URL(string: "https://brightpath.example/badges/badge.png")!
        func badge(
            _ id: BadgeID, _ name: String, _ description: String, _ criterion: BadgeCriterion, _ tier: BadgeTier?
        )
            -> BadgeDefinition
        {
            BadgeDefinition(
                id: id, name: name, description: description, tier: tier, criterion: criterion, image: image)
        }
        return [
            badge("first-answer", "First answer", "Answered a question.", .count(.answered, atLeast: 1), nil),
            badge("helper", "Helper", "Answered three questions.", .count(.answered, atLeast: 3), .bronze),
            badge("regular", "Regular", "Attended three events.", .count(.attendedEvent, atLeast: 3), .bronze),
            badge("host", "Host", "Hosted two chapter events.", .eventsHosted(atLeast: 2), .silver),
            badge("steady", "Steady", "Checked in homework three days in a row.", .streak(days: 3), .silver),
            badge(
                "challenger", "Challenge winner", "Won the Community Challenge.", .challengePlacement(atBest: 1), .gold),
        ]
    }()

    /// The demo's Open Badges issuer. The secret is the demo's own: an integrator keeps theirs
    /// out of the code and the store.
    static func publisher() throws -> OpenBadgesPublisher {
        try OpenBadgesPublisher(
            issuer: IssuerProfile(
                name: "Brightpath Academy", url: URL(string: "https://brightpath.example")!,
                email: "badges@brightpath.example"),
            baseURL: URL(string: "https://brightpath.example/openbadges")!,
            secret: Array("the demo's secret: an integrator keeps its own".utf8))
    }

    /// Badges evaluated over the whole log (with their evidence), one award's Open Badges
    /// documents, and a social callout for a badge holder who agreed to be featured.
    func showBadges() async throws -> RecognitionService {
        let recognition = try RecognitionService(community: service, badges: Self.badges, gamification: game)
        let awarded = try await recognition.refresh()
        print("Badges: \(awarded.count) awarded now")
        for definition in Self.badges {
            let holders = try await recognition.awards(ofBadge: definition.id, by: staff).filter { !$0.isRevoked }
            guard let first = holders.first?.award else {
                print("  \(pad(definition.name, 18)) nobody yet")
                continue
            }
            print(
                "  \(pad(definition.name, 18)) \(holders.count) members; first: \(try await names(first.member)), "
                    + "earned by log entries " + first.evidence.prefix(10).map(String.init).joined(separator: ", ")
                    + (first.evidence.count > 10 ? ", …" : ""))
        }

        // One award's Open Badges 2.0 documents: the first holder who agreed to public assertions.
        let publisher = try Self.publisher()
        for definition in Self.badges {
            var published = false
            for stored in try await recognition.awards(ofBadge: definition.id, by: staff) where !stored.isRevoked {
                guard try await names.member(stored.award.member)?.consents(to: .publicBadgeAssertions) == true,
                    let assertion = try await recognition.assertion(
                        of: stored.award.id, publisher: publisher, by: staff)
                else { continue }
                let files = [
                    try artifacts.write(
                        publisher.issuerDocument(), to: "open-badges/" + publisher.issuerURL.lastPathComponent),
                    try artifacts.write(
                        publisher.badgeClassDocument(definition),
                        to: "open-badges/" + publisher.badgeClassURL(definition.id).lastPathComponent),
                    try artifacts.write(
                        assertion, to: "open-badges/" + publisher.assertionURL(stored.award.id).lastPathComponent),
                ]
                print(
                    "  Open Badges 2.0 assertion of “\(definition.name)” for \(try await names(stored.award.member))"
                        + artifacts.note(files))
                let object = try JSONSerialization.jsonObject(with: assertion)
                let pretty = try JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                for line in String(decoding: pretty, as: UTF8.self).split(separator: "\n") { print("    \(line)") }
                published = true
                break
            }
            if published { break }
        }

        // A callout for X, checked against the guidelines, for a helper who agreed to be featured.
        let writer = try CalloutWriter(guidelines: SampleGuidelines.document(version: try GuidelineVersion("1.0")))
        for stored in try await recognition.awards(ofBadge: "helper", by: staff) where !stored.isRevoked {
            // Nil for a member who did not agree to be featured.
            guard let member = try await names.member(stored.award.member),
                let callout = writer.draft(
                    .celebration(of: "earning the Helper badge by answering three questions"), about: member,
                    channel: .socialPost(network: "X"), on: today)
            else { continue }
            print("  callout for X (\(callout.check.passes ? "passes the guidelines" : "needs work")): \(callout.text)")
            break
        }
        print("")
        return recognition
    }

    /// The people behind the numbers: spotlights, the benchmark member of each programme, the
    /// week's excellent homework, a member card, an e-certificate checked from its code,
    /// conference tickets with their waitlist, and thank-you notes.
    func showRecognitionOfPeople(_ recognition: RecognitionService) async throws {
        print("Recognition")
        let month = LocalDate.firstOfMonth(year: today.year, month: today.month)
        let picks = try await recognition.spotlightPicks(for: month, policy: SpotlightPolicy(picks: 3), by: staff)
        try await recognition.feature(picks, by: staff)
        print("  spotlights of \(month.description.prefix(7)):")
        for pick in picks { print("    \(try await names(pick.member)): \(pick.reason)") }
        if picks.isEmpty { print("    nobody new to feature this month") }

        // The benchmark member of each programme, for the month most of the simulated weeks fell in.
        let middle = community.period.start.addingTimeInterval(community.period.duration / 2)
        let simulatedMonth = LocalDate(middle, in: .utc)
        var benchmark = try await recognition.featuredBenchmarkMembers(for: simulatedMonth)
        if benchmark.isEmpty {
            benchmark = try await recognition.benchmarkMembers(for: simulatedMonth, by: staff)
            try await recognition.featureBenchmarkMembers(benchmark, by: staff)
        }
        print("  benchmark members of \(simulatedMonth.description.prefix(7)), the examples to follow:")
        for pick in benchmark {
            let title = community.programmes.first { $0.id == pick.programme }?.title ?? "\(pick.programme)"
            print("    \(title): \(try await names(pick.member)), \(pick.reason)")
        }
        if benchmark.isEmpty { print("    nobody reached the policy's minimum with their consent") }

        // The excellent homework of the last simulated week: staff pick one, it leads its list.
        let lastDay = LocalDate(community.period.end.addingTimeInterval(-86_400), in: .utc)
        let monday = lastDay.adding(days: 1 - lastDay.isoWeekday)
        var homework = try await recognition.excellentHomework(weekStartingOn: monday, perProgramme: 2, by: staff)
        if let last = homework.last {
            try await recognition.pickHomework(at: last.position, by: staff)
            homework = try await recognition.excellentHomework(weekStartingOn: monday, perProgramme: 2, by: staff)
        }
        print("  excellent homework of the week of \(monday):")
        for entry in homework {
            let title = community.programmes.first { $0.id == entry.programme }?.title ?? "\(entry.programme)"
            print("    \(title) #\(entry.rank): \(try await names(entry.member)), \(entry.reason)")
        }
        if homework.isEmpty { print("    no homework was checked in that week") }

        // A member card and an e-certificate for someone who completed a programme.
        let example = benchmark.first?.member ?? picks.first?.member ?? community.members.map(\.id).sorted().first
        if let example {
            let card = try await recognition.memberCard(of: example)
            let file = try artifacts.write(card.html(), to: "member-card.html")
            print(
                "  member card of \(card.displayName): \(card.labels.joined(separator: " · ")); badges: "
                    + (card.badges.isEmpty ? "none yet" : card.badges.joined(separator: ", ")) + artifacts.note([file]))
        }
        let issuer = try CertificateIssuer(
            issuer: "Brightpath Academy", secret: Array("the demo's certificate secret, 32 bytes or more".utf8))
        for member in community.members.map(\.id).sorted() {
            guard let completed = try await service.enrolments(of: member, by: staff).first(where: \.isCompleted),
                let date = completed.certificateDate,
                let programme = community.programmes.first(where: { $0.id == completed.programme })
            else { continue }
            let certificate = try issuer.issue(
                to: member, name: try await names(member), for: "Completed \(programme.title)", on: date)
            let file = try artifacts.write(certificate.html(), to: "certificate.html")
            // Someone checks the code as it was typed from the paper: case, spaces and dashes do not matter.
            var typed = certificate
            typed.verificationCode = certificate.verificationCode.lowercased().replacingOccurrences(of: "-", with: " ")
            var forged = certificate
            forged.achievement = "Completed every programme with honours"
            print(
                "  e-certificate: \(certificate.recipientName), \(certificate.achievement), \(date), code "
                    + "\(certificate.verificationCode): typed back as “\(typed.verificationCode)” it "
                    + (issuer.verify(typed) ? "verifies" : "does not verify") + "; with the achievement changed it "
                    + (issuer.verify(forged) ? "verifies" : "does not verify") + artifacts.note([file]))
            break
        }

        // Free conference tickets: organizers who kept their commitments first, then top contributors.
        let report = try await service.complianceReport(by: staff)
        var candidates: [TicketCandidate] = []
        var displayNames: [MemberID: String] = [:]
        let contributors = try await game.leaderboard(.global, .allTime, limit: 8).map(\.member)
        for member in (community.organizers.keys.sorted() + contributors) where displayNames[member] == nil {
            guard let profile = try await names.member(member) else { continue }
            displayNames[member] = profile.profile.displayName
            let rows = report.filter { $0.organizer == member }
            candidates.append(
                TicketCandidate(
                    member: member, chapter: try await service.chapters(of: member, by: staff).first?.chapter,
                    keptEveryCommitment: !rows.isEmpty && rows.allSatisfy(\.isMet),
                    contribution: try await game.points(of: member, by: member).balance,
                    mayBeNamed: profile.consents(to: .spotlight)))
        }
        let tickets = try TicketAllocation(candidates, tickets: 4, perChapter: 2)
        print("  conference tickets (4, at most 2 per chapter):")
        for line in tickets.recognitionList(
            displayNames: displayNames,
            chapterNames: Dictionary(uniqueKeysWithValues: community.chapters.map { ($0.id, $0.name) }))
        { print("    \(line)") }
        for line in tickets.waitlist.prefix(3) {
            let chapter = community.chapters.first { $0.id == line.chapter }?.name
            let who =
                line.mayBeNamed ? displayNames[line.member] ?? "a member" : "a member of \(chapter ?? "the community")"
            print("    waitlist: \(who): \(line.reason)")
        }

        // Thank-you notes on record.
        if let organizer = community.organizers.keys.sorted().first, let thanked = example, thanked != organizer {
            try await recognition.thank(
                thanked, message: "Thank you for answering so many questions on our board this month.", by: organizer)
            let notes = try await recognition.thanks(of: thanked, limit: 5, by: thanked)
            print(
                "  thank-you notes for \(try await names(thanked)): \(notes.count); newest from "
                    + "\(try await names(notes[0].from)): “\(notes[0].message)”")
        }
        print("")
    }

    /// The monthly newsletter: the organizers schedule next month's meetups first, so it has
    /// events to announce; written as HTML, Markdown and iCalendar.
    func showNewsletter(_ recognition: RecognitionService) async throws {
        print("Newsletter")
        let meetup = clock.now().addingTimeInterval(10 * 86_400)
        let day = LocalDate(meetup, in: .utc)
        let start = Double(day.dayNumber) * 86_400 + 17 * 3_600
        // One meetup per chapter, by its first organizer.
        var hosts: [ChapterID: MemberID] = [:]
        for (organizer, chapter) in community.organizers where hosts[chapter].map({ organizer < $0 }) ?? true {
            hosts[chapter] = organizer
        }
        for (chapter, organizer) in hosts.sorted(by: { $0.key < $1.key }) {
            try await gated.createEvent(
                NewEvent(
                    title: "Meetup \(day)", description: "Talks and practice with peers.",
                    format: .hybrid(inPersonCapacity: 12, virtualCapacity: 30),
                    start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: start + 7_200)),
                in: chapter, by: organizer)
        }
        let newsletter = try await recognition.newsletter(
            for: today, audience: .everyone, readerTimeZone: try TimeZoneID("Europe/Amsterdam"),
            title: "Brightpath community newsletter",
            eventURL: { URL(string: "https://brightpath.example/events/\($0)") }, domain: "brightpath.example")
        let files = [
            try artifacts.write(newsletter.html(), to: "newsletter.html"),
            try artifacts.write(newsletter.markdown(), to: "newsletter.md"),
            try artifacts.write(newsletter.calendar(stamp: clock.now()), to: "newsletter.ics"),
        ]
        print(
            "  \(newsletter.month.description.prefix(7)): \(newsletter.events.count) upcoming events, "
                + "\(newsletter.badges.count) badges, \(newsletter.spotlights.count) spotlights"
                + artifacts.note(files))
        for event in newsletter.events.prefix(3) {
            print("    \(event.localStart) \(event.chapterName): \(event.entry.summary)")
        }
        for news in newsletter.challengeNews { print("    \(news)") }
        print("")
    }
}
