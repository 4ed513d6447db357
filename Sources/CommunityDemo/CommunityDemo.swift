import CommunityModel
import CommunitySimulation
import Foundation
import Leadership
import PostgresStorage
import Recognition
import SQLiteStorage
import Storage

/// Wires the library on a store, simulates a community, and shows every part of the library at
/// work, one section each. Everything printed is sorted, so the same seed prints the same text
/// in every process.
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
        // The demo pins its "secrets" too, so that a run prints the same referral codes every time;
        // a real service keeps the default, the system's cryptographic generator.
        let service = CommunityService(
            store: store, clock: clock, ids: ids, secrets: SeededSecrets(seed: options.seed ^ existing))
        let simulator = try CommunitySimulator(service: service, clock: clock, configuration: configuration)

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
        let demo = try Demo(
            options: options, store: store, clock: clock, ids: ids, service: service, community: community,
            run: existing)

        try await demo.showMembers()
        try await demo.showEvents()
        let superusers = try await demo.showEngagement()
        let promoted = try await demo.showOrganizerPipeline(superusers)
        try await demo.showGuidelines(newOrganizers: promoted)
        try await demo.showOnboarding(newOrganizers: promoted)
        try await demo.showCompliance()
        try await demo.showTopConversations()
        try await demo.showGamification()
        try await demo.showModeration()
        // From here the clock moves on: the feedback channel waits four days, the Community
        // Challenge runs through its phases.
        try await demo.showFeedbackChannel()
        try await demo.showChallenge()
        try await demo.showSurvey()
        let recognition = try await demo.showBadges()
        try await demo.showRecognitionOfPeople(recognition)
        try await demo.showNewsletter(recognition)
        try await demo.showLifelongValue()
        try await demo.showNotifications()
        try await demo.showLastActivity()
    }
}

extension Demo {
    /// Members by journey stage and country, and the boards each persona can see.
    func showMembers() async throws {
        var stages: [JourneyStage: Int] = [:]
        var countries: [String: Int] = [:]
        var personas: [JourneyStage: Member] = [:]
        for member in community.members {
            let stage = try await service.journey(of: member.id, by: staff).stage
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

        print("Boards each persona can see")
        var shown: [(String, Member)] = JourneyStage.allCases.compactMap { stage in
            personas[stage].map { (stage.rawValue, $0) }
        }
        if let organizer = community.organizers.keys.sorted().first, let member = try await names.member(organizer) {
            shown.append(("organizer", member))
        }
        shown.append(("staff", community.staff))
        for (persona, member) in shown {
            let boards = try await service.boards(visibleTo: member.id, by: member.id)
            print(
                "  \(pad(persona, 10)) \(member.profile.displayName) (\(member.profile.country)): \(boards.count) boards"
            )
            print(
                "             "
                    + boards.map { "\($0.board.title) [\($0.permissions)]" }.prefix(6).joined(separator: "; ")
                    + (boards.count > 6 ? "; …" : ""))
        }
        print("")
    }

    /// The events of the simulated weeks with registrations and waitlists, and every chapter
    /// event as one calendar file.
    func showEvents() async throws {
        print("Events")
        var entries: [CalendarEntry] = []
        var earlier = 0
        for chapter in community.chapters {
            for event in try await service.events(of: chapter.id) {
                entries.append(
                    CalendarEntry(
                        event, chapter: chapter, joinURL: URL(string: "https://brightpath.example/events/\(event.id)"),
                        domain: "brightpath.example"))
                guard event.start >= community.period.start else {
                    earlier += 1
                    continue
                }
                let seats = event.seats.sorted { $0.key < $1.key }.map { mode, seats in
                    return "\(mode.rawValue) \(seats.taken)/\(seats.capacity), waitlist \(seats.waiting)"
                }.joined(separator: "; ")
                let day = LocalDate(event.start, in: event.timeZone)
                print(
                    "  \(day) \(pad(chapter.name, 19)) \(pad(event.title, 15)) \(seats); attended \(event.attendedCount)"
                        + (event.status == .cancelled ? " (cancelled)" : ""))
            }
        }
        if earlier > 0 { print("  and \(earlier) events of earlier runs") }
        let file = try artifacts.write(
            ICalendar.document(entries, name: "Brightpath chapter events", stamp: clock.now()),
            to: "chapter-events.ics")
        print("  \(entries.count) events in one calendar file" + artifacts.note([file]))
        print("")
    }

    /// Superusers found early: the engagement projection over the whole log, on the host. The
    /// host restores the checkpoints an earlier run saved and reads only what is new.
    func showEngagement() async throws -> [Superuser] {
        let catchUp = try await leadership.refresh()
        let engagement = try await leadership.engagement(by: staff)
        let superusers = engagement.superusers(on: today)
        print(
            "Engagement: the projection host "
                + (catchUp.restoredPosition.map { "restored the checkpoints at position \($0), " } ?? "")
                + "read \(catchUp.read) new log entries once for every projection"
                + (catchUp.commits > 0 ? " and saved their checkpoints at position \(catchUp.position)" : "")
                + "; \(engagement.memberCount) members have engagement")
        print("Superusers on \(today) (top \(engagement.policy.topBandPercent)% of each joining-month cohort)")
        for superuser in superusers.prefix(5) {
            print("  \(pad(try await names(superuser.engagement.member), 20)) \(superuser.explanation)")
        }
        if superusers.isEmpty { print("  none yet: no one has reached \(engagement.policy.minimumScore) points") }
        print("")
        return superusers
    }

    /// The organizer pipeline: staff take two eligible superusers to active organizers.
    func showOrganizerPipeline(_ superusers: [Superuser]) async throws -> [(member: MemberID, chapter: ChapterID)] {
        print("Organizer pipeline")
        var promoted: [(member: MemberID, chapter: ChapterID)] = []
        for superuser in superusers where promoted.count < 2 {
            let member = superuser.engagement.member
            let name = try await names(member)
            // A resumed community may already have made them organizers.
            let memberships = try await service.chapters(of: member, by: staff)
            guard !memberships.contains(where: \.isOrganizer), let chapter = memberships.first?.chapter else {
                continue
            }
            let eligibility = try await service.eligibility(of: member, toOrganize: chapter, by: member)
            guard eligibility.isEligible else {
                let rules = eligibility.failing.keys.map(\.rawValue).sorted().joined(separator: ", ")
                print("  \(pad(name, 20)) not eligible for \(chapter): \(rules)")
                continue
            }
            var application = try await service.nominateOrganizer(
                member, of: chapter, by: staff, reason: "superuser, rank \(superuser.rank) in their cohort")
            for stage in [OrganizerStage.underReview, .approved, .onboarded, .active] {
                application = try await service.moveOrganizerApplication(
                    application.id, to: stage, by: staff, reason: "vetted in the demo")
            }
            print("  \(pad(name, 20)) \(chapter): " + application.history.map(\.to.rawValue).joined(separator: " → "))
            promoted.append((member, chapter))
        }
        if promoted.isEmpty { print("  no eligible superuser is waiting to organize a chapter") }
        print("")
        return promoted
    }

    /// This quarter's duties of every organizer, in each chapter's time zone.
    func showCompliance() async throws {
        print("Organizer compliance (1 event and 3 posts a quarter)")
        for row in try await service.complianceReport(by: staff) {
            print(
                "  \(row.quarter) \(pad(row.chapterName, 19)) \(pad(try await names(row.organizer), 20)) "
                    + "events \(row.eventsHeld) (owes \(row.eventsOwed)), posts \(row.posts) (owes \(row.postsOwed)), "
                    + "\(row.daysLeft) days left" + (row.isMet ? "  ✓ met" : ""))
        }
        print("")
    }

    /// What drew the most engagement over the simulated weeks; threads of the same title are
    /// told apart by their board.
    func showTopConversations() async throws {
        let insights = try await leadership.insights(
            from: LocalDate(community.period.start, in: .utc), through: today, limit: 3, by: staff)
        print("Top conversations")
        for thread in insights.threads {
            print(
                "  \(pad("“\(thread.title)” on \(thread.boardTitle)", 62)) \(thread.participants) participants, "
                    + "\(thread.replies) replies, \(thread.reactions) reactions")
        }
        print("Top events by registrations")
        for event in insights.events {
            let chapter = community.chapters.first { $0.id == event.chapter }?.name ?? event.chapter.rawValue
            print("  \(pad("\(event.title), \(chapter)", 40)) \(event.registrations) registrations")
        }
        let files = [
            try artifacts.write(insights.threadsCSV, to: "insights-threads.csv"),
            try artifacts.write(insights.eventsCSV, to: "insights-events.csv"),
        ]
        if !files.contains(nil) { print("  insights as CSV" + artifacts.note(files)) }
        print("")
    }

    /// What a notifier following the activity feed would have sent for this run: the feed
    /// from the log head when the run began to the head now, each activity that tells someone
    /// something turned into a message. A real notifier sends each at least once, with the
    /// entry's position as the idempotency key on the receiving side, and saves the position it
    /// reached.
    func showNotifications() async throws {
        let head = try await store.head()
        guard head > run else { return }
        print("Notifications a notifier following the activity feed would send (entries \(run + 1) to \(head))")
        var sent: [ActivityKind: Int] = [:]
        var samples: [String] = []
        var events: [EventID: String] = [:]
        func title(_ id: EventID) async throws -> String {
            if let known = events[id] { return known }
            let found = (try? await service.event(id).title) ?? "an event"
            events[id] = found
            return found
        }
        for try await logged in service.activityFeed(after: run) {
            let event = logged.event
            var message: String?
            switch (event.kind, event.subject?.subject) {
            case (.promotedFromWaitlist, .event(let id)?):
                message = "to \(try await names(event.member)): a seat at “\(try await title(id))” is yours"
            case (.waitlistedForEvent, .event(let id)?):
                message =
                    "to \(try await names(event.member)): you are number \(event.details.waitlistPosition ?? 0) "
                    + "on the waitlist of “\(try await title(id))”"
            case (.eventCancelledForRegistrant, .event(let id)?):
                message = "to \(try await names(event.member)): “\(try await title(id))” is cancelled"
            case (.answered, _):
                if let asker = event.subjectOwner, asker != event.member {
                    message = "to \(try await names(asker)): \(try await names(event.member)) answered your question"
                }
            case (.badgeAwarded, .badge(let badge)?):
                message = "to \(try await names(event.member)): you earned the badge “\(badge)”"
            case (.rewardEarned, .reward(let tier)?):
                message = "to \(try await names(event.member)): you reached the reward “\(tier)”"
            default: break
            }
            if let message {
                sent[event.kind, default: 0] += 1
                if sent[event.kind] ?? 0 <= 2 { samples.append("  #\(logged.position) \(message)") }
            }
            if logged.position >= head { break }
        }
        for line in samples { print(line) }
        let totals = sent.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }
        print("  in all: " + (totals.isEmpty ? "nothing to send" : totals.joined(separator: ", ")))
        print("")
    }

    /// The last activity, each line naming its member as they are now.
    func showLastActivity() async throws {
        print("Last activity")
        for logged in try await service.recentActivity(limit: 10, by: staff) {
            let event = logged.event
            let subject = event.subject.map { " \($0)" } ?? ""
            print(
                "  #\(logged.position) \(event.time) \(pad(try await names(event.member), 20)) \(event.kind)\(subject)")
        }
        print("")
        print("Activity log: \(try await store.head()) entries")
    }
}
