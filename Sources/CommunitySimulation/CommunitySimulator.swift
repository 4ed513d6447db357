import CommunityModel
import Foundation
import Gamification
import Storage

/// How big a community to generate and how long to simulate it.
public struct SimulationConfiguration: Hashable, Sendable {
    /// The seed of every random choice: the same seed gives the same community.
    public var seed: UInt64
    public var members: Int
    /// Chapters, at most 8.
    public var chapters: Int
    public var weeks: Int
    /// The first simulated day (midnight UTC).
    public var start: Date

    public init(
        seed: UInt64 = 2026, members: Int = 300, chapters: Int = 6, weeks: Int = 4,
        start: Date = Date(timeIntervalSince1970: 1_788_739_200)  // Monday 2026-09-07
    ) {
        self.seed = seed
        self.members = members
        self.chapters = chapters
        self.weeks = weeks
        self.start = start
    }
}

/// What the simulator built: the people and places, to look things up afterwards.
public struct SimulatedCommunity: Sendable {
    public var staff: Member
    public var members: [Member]
    public var programmes: [Programme]
    public var chapters: [Chapter]
    /// Organizer → chapter.
    public var organizers: [MemberID: ChapterID]
    /// Events in creation order.
    public var events: [EventID]
    /// The days this run simulated: from the first simulated midnight (UTC) for the configured
    /// number of weeks.
    public var period = DateInterval(start: Date(timeIntervalSince1970: 0), duration: 0)
    /// Members looked up by id.
    public var byID: [MemberID: Member] { Dictionary(uniqueKeysWithValues: (members + [staff]).map { ($0.id, $0) }) }
}

/// Generates a global community and runs weeks of realistic activity through the public API of
/// `CommunityService`: members from 27 countries join chapters, enrol, ask and answer,
/// give feedback, react, complete, share certificates, and register for (and attend) events
/// that fill up and keep waitlists. Deterministic for a seed.
///
/// The demo, the tests that need volume and the benchmarks all use this one generator.
public struct CommunitySimulator {
    public let service: CommunityService
    public let clock: ManualClock
    public let configuration: SimulationConfiguration

    /// Homework check-ins go through the gamification service, as an application's would.
    private let homework: GamificationService

    public init(service: CommunityService, clock: ManualClock, configuration: SimulationConfiguration)
        throws(CommunityError)
    {
        self.service = service
        self.clock = clock
        self.configuration = configuration
        homework = try GamificationService(community: service)
    }

    /// Chapters to create: a city with its country and time zone, or an interest (school's time zone).
    private static let chapterPlans: [(id: String, name: String, country: String?, zone: String?)] = [
        ("nairobi", "Nairobi", "KE", "Africa/Nairobi"),
        ("sao-paulo", "São Paulo", "BR", "America/Sao_Paulo"),
        ("bengaluru", "Bengaluru", "IN", "Asia/Kolkata"),
        ("amsterdam", "Amsterdam", "NL", "Europe/Amsterdam"),
        ("lagos", "Lagos", "NG", "Africa/Lagos"),
        ("data-for-good", "Data for Good", nil, nil),
        ("new-york", "New York", "US", "America/New_York"),
        ("women-in-analytics", "Women in Analytics", nil, nil),
    ]

    /// Builds the community and simulates `configuration.weeks` weeks of activity.
    public func run() async throws -> SimulatedCommunity {
        guard configuration.members >= 10, configuration.members <= 100_000 else {
            throw CommunityError.invalidInput(
                field: "members", reason: "simulate 10 to 100,000 members, not \(configuration.members)")
        }
        guard (1...Self.chapterPlans.count).contains(configuration.chapters) else {
            throw CommunityError.invalidInput(
                field: "chapters", reason: "simulate 1 to \(Self.chapterPlans.count) chapters")
        }
        guard (0...104).contains(configuration.weeks) else {
            throw CommunityError.invalidInput(
                field: "weeks", reason: "simulate 0 to 104 weeks, not \(configuration.weeks)")
        }
        var random = SeededGenerator(seed: configuration.seed)
        // The community is set up on the day before the first simulated day; time only moves forward.
        clock.set(configuration.start.addingTimeInterval(-86_400 + 8 * 3_600))
        let registrationGap = min(7, 14 * 3_600 / Double(configuration.members))

        let staff = try await service.registerMember(
            NewMember(
                id: "staff-sam", displayName: "Sam Okafor", email: "sam@school.example", country: "NL",
                timeZone: "Europe/Amsterdam", languages: ["en", "nl"], roles: [.staff]))
        let programmes = [
            try await service.createProgramme(id: "data-101", title: "Data Analytics", by: staff.id),
            try await service.createProgramme(id: "lead-201", title: "Leadership Essentials", by: staff.id),
            try await service.createProgramme(id: "mkt-301", title: "Digital Marketing", by: staff.id),
        ]
        var chapters: [Chapter] = []
        for plan in Self.chapterPlans.prefix(configuration.chapters) {
            let focus: ChapterFocus
            if let country = plan.country {
                focus = .city(plan.name, country: try CountryCode(country))
            } else {
                focus = .interest(plan.name)
            }
            chapters.append(
                try await service.createChapter(
                    id: ChapterID(plan.id), name: plan.name, focus: focus, timeZone: plan.zone, by: staff.id))
        }

        // Members: a weighted mix of places; a few are very active (tomorrow's superusers).
        var members: [Member] = []
        let weights = Places.all.map(\.weight)
        for index in 0..<configuration.members {
            let place = Places.all[random.weightedIndex(weights)].place
            let first = Places.firstNames[Int.random(in: 0..<Places.firstNames.count, using: &random)]
            let last = Places.lastNames[Int.random(in: 0..<Places.lastNames.count, using: &random)]
            var consents = Set<Consent>()
            for consent in Consent.allCases where random.chance(0.6) { consents.insert(consent) }
            let member = try await service.registerMember(
                NewMember(
                    id: MemberID("m\(index + 1)"), displayName: "\(first) \(last)",
                    email: "\(first).\(last).\(index + 1)@learners.example".lowercased(), country: place.country,
                    timeZone: place.timeZone, languages: ["en"], headline: "Learning with the school",
                    consents: consents))
            members.append(member)
            clock.advance(by: registrationGap)
        }

        // Chapters: members join the chapter of their country, else an interest chapter.
        var chapterOf: [MemberID: ChapterID] = [:]
        for member in members where random.chance(0.45) {
            let local = chapters.first { chapter in
                switch chapter.focus {
                case .city(_, let country), .country(let country): country == member.profile.country
                default: false
                }
            }
            let interest = chapters.filter { if case .interest = $0.focus { true } else { false } }
            guard let chapter = local ?? interest.first else { continue }
            try await service.join(chapter.id, member: member.id, by: member.id)
            chapterOf[member.id] = chapter.id
        }
        var organizers: [MemberID: ChapterID] = [:]
        for chapter in chapters {
            guard let organizer = members.first(where: { chapterOf[$0.id] == chapter.id && organizers[$0.id] == nil })
            else { continue }
            try await service.appointOrganizer(organizer.id, of: chapter.id, by: staff.id)
            organizers[organizer.id] = chapter.id
        }

        let community = SimulatedCommunity(
            staff: staff, members: members, programmes: programmes, chapters: chapters, organizers: organizers,
            events: [])
        var state = State()
        for member in members { state.stage[member.id] = .prospect }
        state.chapterOf = chapterOf
        return try await simulate(community, from: configuration.start, state: state, random: &random)
    }

    /// Continues a community that an earlier run stored: reads its members, chapters, boards and
    /// events back through the public API, and simulates `configuration.weeks` more weeks from
    /// the day after its last activity.
    public func resume() async throws -> SimulatedCommunity {
        guard (0...104).contains(configuration.weeks) else {
            throw CommunityError.invalidInput(
                field: "weeks", reason: "simulate 0 to 104 weeks, not \(configuration.weeks)")
        }
        guard
            let staff = try await service.query({
                try await service.store.fetch("staff-sam", from: Collections.members)
            })?.value
        else {
            throw CommunityError.invalidState("The store holds no community to resume; run without resuming first.")
        }
        guard let last = try await service.recentActivity(limit: 1, by: staff.id).last else {
            throw CommunityError.invalidState("The store holds no community to resume; run without resuming first.")
        }
        var members: [Member] = []
        var cursor: String? = nil
        repeat {
            let page = try await service.memberRecords(after: cursor, limit: 1_000)
            members += page.items.filter { !$0.isStaffLike }
            cursor = page.nextCursor
        } while cursor != nil
        var programmes: [Programme] = []
        for id: ProgrammeID in ["data-101", "lead-201", "mkt-301"] {
            programmes.append(try await service.programme(id))
        }
        let chapters = try await service.chapters()
        var organizers: [MemberID: ChapterID] = [:]
        for chapter in chapters { for organizer in chapter.organizers { organizers[organizer] = chapter.id } }

        var state = State()
        for member in members {
            let enrolments = try await service.enrolments(of: member.id, by: staff.id)
            state.stage[member.id] = JourneyStage(enrolments: enrolments)
            if let first = enrolments.min(by: { $0.enrolledAt < $1.enrolledAt }) {
                state.enrolledIn[member.id] = (first.programme, first.enrolledAt)
            }
            if let chapter = try await service.chapters(of: member.id, by: staff.id).first {
                state.chapterOf[member.id] = chapter.chapter
            }
            for registration in try await service.registrations(of: member.id, by: staff.id) {
                state.registered.insert("\(registration.event)|\(member.id)")
            }
        }
        for board in programmes.flatMap({ [$0.learnersBoard, $0.alumniBoard] }) {
            var threadCursor: String? = nil
            repeat {
                let page = try await service.threads(on: board, by: staff.id, after: threadCursor, limit: 1_000)
                for thread in page.items {
                    state.threads[board, default: []].append(thread)
                    state.answers[board, default: []] += try await service.posts(in: thread.id, by: staff.id)
                        .filter { $0.kind == .answer && $0.removedAt == nil }
                }
                threadCursor = page.nextCursor
            } while threadCursor != nil
        }
        var events: [EventID] = []
        for chapter in chapters {
            let chapterEvents = try await service.events(of: chapter.id)
            state.events += chapterEvents
            events += chapterEvents.map(\.id)
        }
        let community = SimulatedCommunity(
            staff: staff, members: members, programmes: programmes, chapters: chapters, organizers: organizers,
            events: events)
        // Carry on from the midnight (UTC) after the last activity.
        let lastDay = LocalDate(last.event.time.date, in: .utc).adding(days: 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZoneID.utc.timeZone
        let start =
            calendar.date(from: DateComponents(year: lastDay.year, month: lastDay.month, day: lastDay.day))
            ?? last.event.time.date
        moveClock(to: last.event.time.date)
        var random = SeededGenerator(seed: configuration.seed ^ last.position)
        return try await simulate(community, from: start, state: state, random: &random)
    }

    /// How active a member is: the chance that they act on a given day. About 6% are very
    /// active (tomorrow's superusers), organizers are; derived from the seed and the member, so
    /// a resumed simulation gives every member the same level again.
    private func activityLevel(of member: MemberID, in community: SimulatedCommunity) -> Double {
        if community.organizers[member] != nil { return 0.5 }
        var hash: UInt64 = configuration.seed
        for byte in member.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var random = SeededGenerator(seed: hash)
        return random.chance(0.06) ? 0.55 : Double.random(in: 0.02...0.18, using: &random)
    }

    /// Simulates `configuration.weeks` weeks from `start` (a midnight UTC).
    private func simulate(
        _ community: SimulatedCommunity, from start: Date, state initial: State, random: inout SeededGenerator
    ) async throws -> SimulatedCommunity {
        var state = initial
        let members = community.members
        let programmes = community.programmes
        let staff = community.staff
        let chapterOf = state.chapterOf
        let activity = Dictionary(
            uniqueKeysWithValues: members.map { ($0.id, activityLevel(of: $0.id, in: community)) })
        for day in 0..<(configuration.weeks * 7) {
            let dayStart = start.addingTimeInterval(Double(day) * 86_400)
            moveClock(to: dayStart.addingTimeInterval(6 * 3_600))
            if day % 7 == 0 {
                for (organizer, chapterID) in community.organizers.sorted(by: { $0.key < $1.key }) {
                    let start = dayStart.addingTimeInterval(3 * 86_400 + 17 * 3_600)
                    let format: EventFormat =
                        random.chance(0.3)
                        ? .hybrid(inPersonCapacity: Int.random(in: 4...8, using: &random), virtualCapacity: 10)
                        : .inPerson(capacity: Int.random(in: 5...12, using: &random))
                    let event = try await service.createEvent(
                        NewEvent(
                            title: "Meetup \(LocalDate(start, in: .utc))",
                            description: "Talks and practice with peers.",
                            format: format, start: start, end: start.addingTimeInterval(2 * 3_600)),
                        in: chapterID, by: organizer)
                    state.events.append(EventListing(event))
                }
            }
            // Organizers write on their chapter's board on about half of the days (three posts a
            // quarter is a duty they report on).
            for (organizer, chapterID) in community.organizers.sorted(by: { $0.key < $1.key }) where random.chance(0.5)
            {
                guard let chapter = community.chapters.first(where: { $0.id == chapterID }) else { continue }
                try await service.startThread(
                    on: chapter.publicBoard, by: organizer,
                    title: "News from \(chapter.name), \(LocalDate(dayStart, in: .utc))",
                    body: "What is coming up in the chapter, and a question for everyone.", isQuestion: false)
            }
            // The day's active members act between 06:00 and 17:00 UTC, before the meetups start.
            let active = members.filter { random.chance(activity[$0.id] ?? 0) }
            let step = 11 * 3_600 / Double(max(active.count, 1))
            for member in active {
                clock.advance(by: step * Double.random(in: 0.5...1, using: &random))
                try await act(
                    member, chapter: chapterOf[member.id], programmes: programmes, staff: staff, state: &state,
                    random: &random)
            }
            // Events held today: registered members check in.
            for event in state.events where event.start >= dayStart && event.start < dayStart.addingTimeInterval(86_400)
            {
                moveClock(to: event.start)
                let current = try await service.roster(of: event.id, by: community.staff.id)
                for lane in current.lanes.keys.sorted() {
                    for member in current.lanes[lane]?.registered ?? [] where random.chance(0.8) {
                        try await service.checkIn(member, at: event.id, by: member)
                    }
                }
            }
        }
        var result = community
        result.events += state.events.map(\.id).filter { !community.events.contains($0) }
        result.period = DateInterval(start: start, duration: Double(configuration.weeks) * 7 * 86_400)
        return result
    }

    /// Reacts, unless the member already gave this reaction: a resumed simulation does not know
    /// the reactions given before, and a real member would not click the same one twice.
    private func reactUnlessGiven(_ kind: ReactionKind, to post: PostID, by member: MemberID) async throws {
        let outcome: CommunityError?
        do {
            try await service.react(kind, to: post, by: member)
            outcome = nil
        } catch {
            outcome = error
        }
        switch outcome {
        case nil, .alreadyExists?: return
        case let other?: throw other
        }
    }

    /// Checks in today's homework, unless the member already did today: a resumed simulation
    /// may start on a day that is still the previous run's last day in the member's time zone.
    private func checkIn(_ member: MemberID, programme: ProgrammeID, submission: HomeworkSubmission?) async throws {
        do {
            try await homework.checkIn(
                programme: programme, assignment: "Weekly practice", submission: submission, by: member)
        } catch {
            guard case .alreadyExists = error else { throw error }
        }
    }

    /// Moves the clock to `date`, never backwards.
    private func moveClock(to date: Date) {
        if date > clock.now() { clock.set(date) }
    }

    private struct State {
        var chapterOf: [MemberID: ChapterID] = [:]
        var stage: [MemberID: JourneyStage] = [:]
        var enrolledIn: [MemberID: (ProgrammeID, Date)] = [:]
        var completed: [MemberID: ProgrammeID] = [:]
        /// Open questions and discussions per board.
        var threads: [BoardID: [DiscussionThread]] = [:]
        /// Answers per board, with their authors.
        var answers: [BoardID: [Post]] = [:]
        var events: [EventListing] = []
        var registered: Set<String> = []
        var reactions: Set<String> = []
    }

    private func act(
        _ member: Member, chapter: ChapterID?, programmes: [Programme], staff: Member, state: inout State,
        random: inout SeededGenerator
    ) async throws {
        let now = clock.now()
        switch state.stage[member.id] ?? .prospect {
        case .prospect:
            let programme = programmes[random.weightedIndex([5, 3, 2])]
            try await service.enrol(member.id, in: programme.id, by: member.id)
            state.stage[member.id] = .enrolled
            state.enrolledIn[member.id] = (programme.id, now)
        case .enrolled:
            guard let (programmeID, since) = state.enrolledIn[member.id],
                let programme = programmes.first(where: { $0.id == programmeID })
            else { return }
            if now.timeIntervalSince(since) > 14 * 86_400, random.chance(0.25) {
                try await service.recordCompletion(
                    of: member.id, in: programmeID, certificateDate: LocalDate(now, in: .utc), by: staff.id)
                state.stage[member.id] = .alumnus
                state.completed[member.id] = programmeID
                return
            }
            if random.chance(0.6) {
                let week = now.timeIntervalSince(since) / (7 * 86_400)
                let submission =
                    random.chance(0.4)
                    ? HomeworkSubmission(
                        title: "Week \(Int(week) + 1) exercise",
                        link: URL(string: "https://homework.example/\(member.id)/\(Int(week) + 1)"))
                    : nil
                try await checkIn(member.id, programme: programmeID, submission: submission)
            }
            try await discuss(member, on: programme.learnersBoard, state: &state, random: &random)
        case .alumnus:
            if let programmeID = state.completed[member.id], random.chance(0.3) {
                try await service.share(
                    .certificate(programmeID), by: member.id, on: random.chance(0.5) ? "linkedin" : "x")
                state.completed[member.id] = nil
                return
            }
            let board = programmes.first { $0.id == state.enrolledIn[member.id]?.0 }?.alumniBoard
            if let board { try await discuss(member, on: board, state: &state, random: &random) }
        }
        // Members of a chapter register for its next event.
        if let chapter, random.chance(0.5),
            let event = state.events.last(where: { $0.chapter == chapter && $0.start > now }),
            state.registered.insert("\(event.id)|\(member.id)").inserted
        {
            let mode: AttendanceMode? = event.seats.count > 1 ? (random.chance(0.5) ? .virtual : .inPerson) : nil
            try await service.register(member.id, for: event.id, mode: mode, by: member.id)
            if random.chance(0.12) { try await service.cancelRegistration(of: member.id, for: event.id, by: member.id) }
        }
    }

    private func discuss(_ member: Member, on board: BoardID, state: inout State, random: inout SeededGenerator)
        async throws
    {
        let threads = state.threads[board] ?? []
        let answers = (state.answers[board] ?? []).filter { $0.author != member.id }
        // An asker whose question has answers accepts the one that helped, now and then.
        if let index = threads.firstIndex(where: {
            $0.author == member.id && $0.isQuestion && $0.acceptedAnswer == nil
        }), let answer = answers.first(where: { $0.thread == threads[index].id }), random.chance(0.5) {
            let accepted = try await service.acceptAnswer(answer.id, in: threads[index].id, by: member.id)
            state.threads[board]?[index] = accepted
            return
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0...2 where !threads.isEmpty:
            let thread = threads[Int.random(in: 0..<threads.count, using: &random)]
            let post = try await service.reply(to: thread.id, by: member.id, body: "Here is what worked for me.")
            if post.kind == .answer { state.answers[board, default: []].append(post) }
        case 3...4 where !answers.isEmpty:
            let answer = answers[Int.random(in: 0..<answers.count, using: &random)]
            try await service.giveFeedback(on: answer.id, by: member.id, body: "Clear explanation, thank you.")
        case 5...6 where !answers.isEmpty:
            let answer = answers[Int.random(in: 0..<answers.count, using: &random)]
            let kind = ReactionKind.allCases[Int.random(in: 0..<ReactionKind.allCases.count, using: &random)]
            // A real member does not click the same reaction twice.
            if state.reactions.insert("\(answer.id)|\(member.id)|\(kind.rawValue)").inserted {
                try await reactUnlessGiven(kind, to: answer.id, by: member.id)
            }
        default:
            let isQuestion = random.chance(0.6)
            let thread = try await service.startThread(
                on: board, by: member.id,
                title: isQuestion ? "How do I approach this week's exercise?" : "Sharing my notes",
                body: "Curious what others think.", isQuestion: isQuestion)
            state.threads[board, default: []].append(thread)
        }
    }
}
