import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Guidelines
import PostgresStorage
import SQLiteStorage
import Storage

/// Wires the library on the in-memory store, simulates a community, and prints a summary.
/// Everything printed is sorted, so the same seed prints the same text in every process.
@main
struct CommunityDemo {
    static func main() async {
        let options: Options
        do {
            options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            switch error {
            case .help:
                print(Options.help)
                return
            case .invalid(let message):
                FileHandle.standardError.write(Data("error: \(message)\n\n\(Options.help)\n".utf8))
                exit(64)
            }
        }
        do {
            try await run(options)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: Options) async throws {
        let configuration = SimulationConfiguration(
            seed: options.seed, members: options.members, chapters: options.chapters, weeks: options.weeks)
        let clock = ManualClock(configuration.start)
        let store: any DataStore
        let place: String
        switch options.store {
        case .memory:
            store = InMemoryStore()
            place = "memory"
        case .sqlite(let path):
            store = try await SQLiteStorage.open(path: path)
            place = path
        case .postgres(let connection):
            let postgres = try await PostgresStorage.open(
                PostgresStorage.Configuration(connection: connection, schema: options.schema))
            store = postgres
            place = "PostgreSQL (schema \(postgres.schema))"
        }
        let existing = try await store.head()
        let ids = EntryIDGenerator(seed: options.seed ^ existing)
        let service = CommunityService(store: store, clock: clock, ids: ids)
        let simulator = CommunitySimulator(service: service, clock: clock, configuration: configuration)

        print("LearningCommunity demo: seed \(options.seed), \(options.weeks) weeks")
        if options.store == .memory {
            print("In memory: \(options.members) members")
        } else if existing > 0 {
            print("Resuming the community stored in \(place): \(existing) log entries so far")
        } else {
            print("Starting a new community in \(place)")
        }
        print("")
        let community = existing > 0 ? try await simulator.resume() : try await simulator.run()
        let names = community.byID

        // Members by stage and by country.
        var stages: [JourneyStage: Int] = [:]
        var countries: [String: Int] = [:]
        var personas: [JourneyStage: Member] = [:]
        for member in community.members {
            let stage = try await service.journey(of: member.id).stage
            stages[stage, default: 0] += 1
            countries[member.profile.country.code, default: 0] += 1
            if personas[stage] == nil, community.organizers[member.id] == nil { personas[stage] = member }
        }
        print("Members by journey stage")
        for stage in JourneyStage.allCases { print("  \(pad(stage.rawValue, 10)) \(stages[stage] ?? 0)") }
        print("")
        print("Members by country (\(countries.count) countries)")
        let byCountry = countries.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        for row in stride(from: 0, to: byCountry.count, by: 6) {
            print(
                "  "
                    + byCountry[row..<min(row + 6, byCountry.count)].map { "\($0.key) \(pad(String($0.value), 3))" }
                    .joined(separator: "   "))
        }
        print("")

        // What each persona may see.
        print("Boards each persona can see")
        var shown: [(String, Member)] = JourneyStage.allCases.compactMap { stage in
            personas[stage].map { (stage.rawValue, $0) }
        }
        if let organizer = community.organizers.keys.sorted().first, let member = names[organizer] {
            shown.append(("organizer", member))
        }
        shown.append(("staff", community.staff))
        for (persona, member) in shown {
            let boards = try await service.boards(visibleTo: member.id)
            print(
                "  \(pad(persona, 10)) \(member.profile.displayName) (\(member.profile.country)): \(boards.count) boards"
            )
            print(
                "             "
                    + boards.map { "\($0.board.title) [\($0.permissions)]" }.prefix(6).joined(separator: "; ")
                    + (boards.count > 6 ? "; …" : ""))
        }
        print("")

        // Events with registrations and waitlists.
        print("Events")
        for chapter in community.chapters {
            for event in try await service.events(of: chapter.id) {
                let seats = event.lanes.sorted { $0.key < $1.key }.map { mode, lane in
                    return "\(mode.rawValue) \(lane.registered.count)/\(lane.capacity), waitlist \(lane.waitlist.count)"
                }.joined(separator: "; ")
                let day = LocalDate(event.start, in: event.timeZone)
                print(
                    "  \(day) \(pad(chapter.name, 19)) \(pad(event.title, 15)) \(seats); attended \(event.attended.count)"
                        + (event.status == .cancelled ? " (cancelled)" : ""))
            }
        }
        print("")

        // Superusers found early: the engagement projection over the whole log.
        // The runner restores the checkpoint an earlier run saved and applies only what is new.
        var engagement = try EngagementProjection()
        let catchUp = try await ProjectionRunner(store: store).catchUp(&engagement)
        let today = LocalDate(clock.now(), in: .utc)
        let superusers = engagement.superusers(on: today)
        print(
            "Engagement: "
                + (catchUp.restoredPosition.map { "restored the checkpoint at position \($0), " } ?? "")
                + "applied \(catchUp.applied) log entries"
                + (catchUp.checkpointsSaved > 0 ? ", saved a checkpoint at position \(catchUp.position)" : ""))
        print("Superusers on \(today) (top \(engagement.policy.topBandPercent)% of each joining-month cohort)")
        for superuser in superusers.prefix(5) {
            let name = names[superuser.engagement.member]?.profile.displayName ?? "former member"
            print("  \(pad(name, 20)) \(superuser.explanation)")
        }
        if superusers.isEmpty { print("  none yet: no one has reached \(engagement.policy.minimumScore) points") }
        print("")

        // The organizer pipeline: staff take two eligible superusers to active organizers.
        print("Organizer pipeline")
        var promoted: [(member: MemberID, chapter: ChapterID)] = []
        for superuser in superusers where promoted.count < 2 {
            let member = superuser.engagement.member
            let name = names[member]?.profile.displayName ?? "former member"
            // A resumed community may already have made them organizers.
            let memberships = try await service.chapters(of: member)
            guard !memberships.contains(where: \.isOrganizer), let chapter = memberships.first?.chapter else {
                continue
            }
            let eligibility = try await service.eligibility(of: member, toOrganize: chapter)
            guard eligibility.isEligible else {
                let rules = eligibility.failing.keys.map(\.rawValue).sorted().joined(separator: ", ")
                print("  \(pad(name, 20)) not eligible for \(chapter): \(rules)")
                continue
            }
            var application = try await service.nominateOrganizer(
                member, of: chapter, by: community.staff.id, reason: "superuser, rank \(superuser.rank) in their cohort"
            )
            for stage in [OrganizerStage.underReview, .approved, .onboarded, .active] {
                application = try await service.moveOrganizerApplication(
                    application.id, to: stage, by: community.staff.id, reason: "vetted in the demo")
            }
            print(
                "  \(pad(name, 20)) \(chapter): "
                    + application.history.map(\.to.rawValue).joined(separator: " → "))
            promoted.append((member, chapter))
        }
        print("")

        // This quarter's duties of every organizer, in each chapter's time zone.
        print("Organizer compliance (1 event and 3 posts a quarter)")
        for row in try await service.complianceReport() {
            let name = names[row.organizer]?.profile.displayName ?? "former member"
            print(
                "  \(row.quarter) \(pad(row.chapterName, 19)) \(pad(name, 20)) events \(row.eventsHeld) (owes "
                    + "\(row.eventsOwed)), posts \(row.posts) (owes \(row.postsOwed)), \(row.daysLeft) days left"
                    + (row.isMet ? "  ✓" : ""))
        }
        print("")

        // What drew the most engagement over the simulated weeks.
        let insights = try await service.insights(
            from: configuration.start, to: clock.now().addingTimeInterval(1), limit: 3)
        print("Top conversations")
        for thread in insights.threads {
            print(
                "  \(pad(thread.title, 32)) \(thread.participants) participants, \(thread.replies) replies, "
                    + "\(thread.reactions) reactions")
        }
        print("Top events by registrations")
        for event in insights.events {
            print("  \(pad(event.title, 32)) \(event.registrations) registrations")
        }
        print("")

        try await showGuidelines(
            store: store, clock: clock, ids: ids, staff: community.staff.id, organizers: promoted, names: names)

        // Gamification: points, leaderboards, a streak and rewards, all from the same log.
        let game = try GamificationService(community: service)
        try await game.refresh()
        print("Leaderboard, all time (members who chose to be shown)")
        for row in try await game.leaderboard(.global, .allTime, limit: 5) {
            let name = names[row.member]?.profile.displayName ?? "former member"
            print("  \(row.rank). \(pad(name, 20)) \(row.points) points")
        }
        if let leader = try await game.leaderboard(.global, .allTime, limit: 1).first?.member {
            let name = names[leader]?.profile.displayName ?? "former member"
            let statement = try await game.points(of: leader)
            print("")
            print(
                "Why \(name) has \(statement.balance) points (level \(statement.level.level.name), "
                    + "\(statement.level.percentToNext)% of the way to the next)")
            var summary: [String: (count: Int, points: Int)] = [:]
            for line in statement.lines {
                let key = line.outcome == .paid ? "\(line.kind)" : "\(line.kind), \(line.outcome.rawValue)"
                summary[key, default: (0, 0)].count += 1
                summary[key, default: (0, 0)].points += line.points
            }
            for key in summary.keys.sorted() {
                print("  \(pad(key, 32)) \(summary[key]!.count) entries, \(summary[key]!.points) points")
            }
            if let programme = try await service.enrolments(of: leader).first?.programme {
                let today = LocalDate(clock.now(), in: names[leader]?.profile.timeZone ?? .utc)
                // Today's check-in, and two make-ups for the days before.
                for day in [today, today.adding(days: -1), today.adding(days: -2)] {
                    do {
                        try await game.checkIn(leader, programme: programme, assignment: "Weekly practice", for: day)
                    } catch {
                        print("  check-in for \(day) refused: \(error)")
                    }
                }
                let streak = try await game.streak(of: leader, in: programme)
                print(
                    "  homework streak in \(programme): \(streak.current) days (longest \(streak.longest)), "
                        + "\(streak.makeUpsLeftThisMonth) make-ups left this month")
            }
            let granted = try await game.grantRewards(to: leader)
            let rewards = try await game.rewards(of: leader)
            print(
                "  rewards: "
                    + (rewards.isEmpty
                        ? "none yet"
                        : rewards.map { "\($0.tier.name) (\($0.status.rawValue))" }.joined(separator: ", "))
                    + (granted.isEmpty ? "" : "; \(granted.count) granted now"))
        }
        print("")

        // The Community Challenge (it moves the clock through its phases) and a member survey.
        try await showChallenge(service: service, clock: clock, community: community, seed: options.seed, names: names)
        try await showSurvey(service: service, community: community, seed: options.seed)
        try await showRecognition(service: service, clock: clock, staff: community.staff.id, names: names)
        try await showLifelongValue(service: service, community: community, names: names)

        // The last activity.
        print("Last activity")
        for logged in try await service.recentActivity(limit: 10) {
            let event = logged.event
            let who = names[event.member]?.profile.displayName ?? "former member"
            let subject = event.subject.map { " \($0)" } ?? ""
            print("  #\(logged.position) \(event.time) \(pad(who, 20)) \(event.kind)\(subject)")
        }
        print("")
        print("Activity log: \(try await service.store.head()) entries")
    }

    /// Guidelines: a new organizer is held back until they acknowledge the current version,
    /// then checks a draft event description and publishes the fixed text.
    ///
    /// The simulated past ran without the gate; from here on leaders pass it, through a
    /// service that shares the store, the clock and the id generator.
    static func showGuidelines(
        store: any DataStore, clock: ManualClock, ids: EntryIDGenerator, staff: MemberID,
        organizers: [(member: MemberID, chapter: ChapterID)], names: [MemberID: Member]
    ) async throws {
        let gated = CommunityService(store: store, clock: clock, ids: ids, gate: GuidelinesService.gate(store: store))
        let guidelines = GuidelinesService(community: gated)
        if try await guidelines.current() == nil {
            try await guidelines.publish(SampleGuidelines.document(version: try GuidelineVersion("1.0")), by: staff)
        }
        guard let document = try await guidelines.current() else { return }
        print("Guidelines \(document.version): “\(document.title)”")
        var waiting: (member: MemberID, chapter: ChapterID)?
        for organizer in organizers where try await guidelines.acknowledgement(of: organizer.member) == nil {
            waiting = organizer
            break
        }
        guard let (organizer, chapter) = waiting else {
            print("  every new organizer has acknowledged them")
            print("")
            return
        }
        let name = names[organizer]?.profile.displayName ?? "former member"
        let chapterZone = try await gated.chapter(chapter).timeZone
        let start = clock.now().addingTimeInterval(14 * 86_400)
        var event = NewEvent(
            title: "Budget night", format: .inPerson(capacity: 30), start: start, end: start.addingTimeInterval(7_200))
        do {
            try await gated.createEvent(event, in: chapter, by: organizer)
        } catch {
            print("  \(name) creates an event: refused: \(error)")
        }
        try await guidelines.acknowledge(document.version, by: organizer)
        print("  \(name) acknowledges \(document.version)")

        let checker = try ContentChecker(document: document)
        let today = LocalDate(clock.now(), in: chapterZone)
        let draft =
            "Join brightpath learners for a world class budgeting night! Slides: https://budget-tools.example.net/deck"
        print("  Draft event description: \(draft)")
        for finding in checker.check(draft, for: .eventDescription, on: today).findings {
            let fix = finding.replacement.map { " Fix: “\($0.replacingOccurrences(of: "\n", with: "⏎"))”." } ?? ""
            let advice = finding.advice.map { " \($0)" } ?? ""
            print(
                "    \(finding.severity.rawValue) \(finding.rule.rawValue) at UTF-16 \(finding.utf16Range): "
                    + "\(finding.message)\(fix)\(advice)")
        }
        let fixed = checker.fixing(draft, for: .eventDescription, on: today)
        print("  After the suggested fixes: \(fixed.text.replacingOccurrences(of: "\n", with: "⏎"))")
        // What no machine may fix, the organizer fixes by hand: the link goes.
        let final = fixed.text.replacingOccurrences(of: " Slides: https://budget-tools.example.net/deck", with: "")
        let verdict = checker.check(final, for: .eventDescription, on: today)
        print(
            "  Without the outside link: \(verdict.passes ? "passes" : "still fails"), \(verdict.findings.count) findings"
        )
        event.description = final
        let created = try await gated.createEvent(event, in: chapter, by: organizer)
        print("  \(name) creates “\(created.title)” on \(LocalDate(created.start, in: chapterZone))")
        print("")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
