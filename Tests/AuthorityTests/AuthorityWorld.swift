import CommunityChallenge
import CommunityModel
import CommunitySimulation
import CommunityTestSupport
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import Storage
import Surveys

/// What the reference model knows of one member: the facts the differential test draws.
struct Person: Hashable, Sendable, CustomStringConvertible {
    var id: MemberID
    var isStaff = false
    var isManager = false
    var chapters: Set<ChapterID> = []
    var organizes: Set<ChapterID> = []
    var isEnrolled = false
    var hasCompleted = false
    var isSuspended = false
    var hasAcknowledged = false
    var showsOnLeaderboards = false
    var agreedToBeFeatured = false

    var description: String {
        var facts: [String] = []
        if isStaff { facts.append("staff") }
        if isManager { facts.append("community manager") }
        if !chapters.isEmpty { facts.append("in \(chapters.map(\.rawValue).sorted())") }
        if !organizes.isEmpty { facts.append("organizes \(organizes.map(\.rawValue).sorted())") }
        if hasCompleted { facts.append("completed") } else if isEnrolled { facts.append("enrolled") }
        if isSuspended { facts.append("suspended") }
        if hasAcknowledged { facts.append("acknowledged") }
        if showsOnLeaderboards { facts.append("public") }
        if agreedToBeFeatured { facts.append("featured") }
        return "\(id) (\(facts.joined(separator: ", ")))"
    }

    /// A member with random roles, chapters, enrolment, standing, acknowledgement and consent.
    static func random(_ id: MemberID, using random: inout SeededGenerator) -> Person {
        var person = Person(id: id)
        person.isStaff = random.chance(0.15)
        person.isManager = !person.isStaff && random.chance(0.2)
        for chapter in World.chapters {
            if random.chance(0.5) { person.chapters.insert(chapter) }
            if random.chance(0.25) {
                person.organizes.insert(chapter)
                person.chapters.insert(chapter)
            }
        }
        person.isEnrolled = random.chance(0.6)
        person.hasCompleted = person.isEnrolled && random.chance(0.5)
        person.isSuspended = random.chance(0.3)
        person.hasAcknowledged = random.chance(0.5)
        person.showsOnLeaderboards = random.chance(0.5)
        person.agreedToBeFeatured = random.chance(0.5)
        return person
    }
}

/// A small community built through the real commands from drawn facts: the founding staff
/// member (`root`), four members with random facts, two chapters, a programme, a staff board,
/// an event, a question with an answer, a survey, a challenge, a feedback item and an organizer
/// application. Each case runs on a copy of its store.
struct World: Sendable {
    static let chapters: [ChapterID] = ["accra", "lima"]
    static let programme: ProgrammeID = "data"
    static let staffBoard: BoardID = "staff-room"
    static let start = Date(timeIntervalSince1970: 1_794_000_000)  // 2026-11-06
    /// When the cases run: while the challenge's teams build, before the event.
    static let now = start + 12 * 86_400 + 3_600

    let store: InMemoryStore
    let root: Person
    let cast: [Person]
    let boards: [Board]
    /// A thread root started on each board.
    let welcome: [BoardID: ThreadID]
    let event: EventID
    let question: ThreadID
    let answer: PostID
    let survey: SurveyID
    let challenge: ChallengeID
    /// A team formed for the challenge, if the draw formed one.
    let team: ChallengeTeam?
    let feedback: String
    let application: String?
    let applicant: MemberID?

    var everyone: [Person] { [root] + cast }

    func person(_ id: MemberID) -> Person { everyone.first { $0.id == id }! }

    static func build(seed: UInt64) async throws -> World {
        var random = SeededGenerator(seed: seed)
        let cast = (0..<4).map { Person.random(MemberID("m\($0)"), using: &random) }
        let store = InMemoryStore()
        let clock = ManualClock(start)
        let community = CommunityService(
            store: store, clock: clock, ids: EntryIDGenerator(seed: seed), gate: GuidelinesService.gate(store: store))
        let guidelines = GuidelinesService(community: community)
        let root = Person(id: "root", isStaff: true, hasAcknowledged: true, showsOnLeaderboards: true)
        try await community.registerMember(
            NewMember(
                id: root.id, displayName: "Root", email: "root@school.example", country: "NL",
                timeZone: "Europe/Amsterdam", consents: [.publicLeaderboards], roles: [.staff]))
        try await community.createProgramme(id: programme, title: "Data", by: root.id)
        var boards: [Board] = []
        for chapter in chapters {
            let made = try await community.createChapter(
                id: chapter, name: chapter.rawValue.capitalized, focus: .country(try CountryCode("GH")),
                timeZone: "Africa/Accra", by: root.id)
            boards.append(try await community.board(made.publicBoard))
            boards.append(try await community.board(made.organizersBoard))
        }
        boards.append(try await community.board("data-learners"))
        boards.append(try await community.board("data-alumni"))
        boards.append(
            try await community.createBoard(id: staffBoard, title: "Staff room", audience: .staff, by: root.id))
        boards.append(
            try await community.createBoard(
                id: "accra-members", title: "Accra members", audience: .chapterMembers("accra"), by: root.id))
        let version = try GuidelineVersion("1.0")
        try await guidelines.publish(SampleGuidelines.document(version: version), by: root.id)
        try await guidelines.acknowledge(version, by: root.id)

        for person in cast {
            var roles: Set<Role> = [.learner]
            if person.isStaff { roles.insert(.staff) }
            if person.isManager { roles.insert(.communityManager) }
            try await community.registerMember(
                NewMember(
                    id: person.id, displayName: "Member \(person.id)", email: "\(person.id)@school.example",
                    country: "GH", timeZone: "Africa/Accra",
                    consents: Set(
                        (person.showsOnLeaderboards ? [Consent.publicLeaderboards] : [])
                            + (person.agreedToBeFeatured ? [.spotlight] : [])),
                    roles: roles),
                by: root.id)
            for chapter in person.chapters.sorted() where !person.organizes.contains(chapter) {
                try await community.join(chapter, member: person.id, by: person.id)
            }
            for chapter in person.organizes.sorted() {
                try await community.appointOrganizer(person.id, of: chapter, by: root.id)
            }
            if person.isEnrolled { try await community.enrol(person.id, in: programme, by: person.id) }
            if person.hasCompleted {
                try await community.recordCompletion(
                    of: person.id, in: programme, certificateDate: LocalDate(start, in: .utc), by: root.id)
            }
            if person.hasAcknowledged { try await guidelines.acknowledge(version, by: person.id) }
        }

        let day: TimeInterval = 86_400
        let event = try await community.createEvent(
            NewEvent(
                title: "Meetup", format: .hybrid(inPersonCapacity: 5, virtualCapacity: 5), start: start + 20 * day,
                end: start + 20 * day + 7_200),
            in: "accra", by: root.id)
        // The first cast member asks on Accra's public board (before any suspension), root answers.
        let asker = cast[0].id
        let question = try await community.startThread(
            on: boards[0].id, by: asker, title: "Where do we meet?", body: "Is there a room?", isQuestion: true)
        let answer = try await community.reply(to: question.id, by: root.id, body: "The library, room 2.")
        var welcome: [BoardID: ThreadID] = [:]
        for board in boards {
            welcome[board.id] =
                try await community.startThread(on: board.id, by: root.id, title: "Welcome", body: "Say hello.").id
        }
        let survey = try await community.createSurvey(
            NewSurvey(
                id: "pulse", title: "Pulse",
                questions: [SurveyQuestion(id: "mood", prompt: "How do you feel?", kind: .scale, isRequired: true)]),
            by: root.id)
        let challenge = try await community.createChallenge(
            NewChallenge(
                id: "water", year: 2026, title: "Clean water", partner: NonprofitPartner(name: "Water for All"),
                problemStatement: "Track the water quality of wells.",
                schedule: ChallengeSchedule(
                    announced: start - 2 * day, registrationOpens: start - day, teamFormationBegins: start + 10 * day,
                    buildingBegins: start + 12 * day, pitchingBegins: start + 26 * day,
                    judgingBegins: start + 28 * day, winnersAnnounced: start + 30 * day),
                teams: TeamFormationPolicy(
                    minimumSize: 2, maximumSize: 4, minimumSharedHours: 1, minimumCountries: 1,
                    minimumDistinctSkills: 1),
                rubric: Rubric(criteria: [RubricCriterion("Impact", weight: 1)]), judges: [root.id, cast[1].id]),
            by: root.id)
        // Every cast member registers for the challenge; teams form, and the cases run while
        // the teams build.
        for person in cast {
            try await community.register(
                for: challenge.id, ChallengeRegistrationForm(skills: ["data", "design"]), by: person.id)
        }
        clock.set(start + 10 * day + 3_600)
        try await community.formTeams(for: challenge.id, seed: 1, by: root.id)
        let team = try await community.teams(of: challenge.id).first
        let feedback = try await community.openFeedback(by: root.id, title: "Rooms", body: "We need rooms.")
        // An organizer application by the first cast member who can apply, if any.
        var application: OrganizerApplication?
        for person in cast where !person.isSuspended {
            if let chapter = person.chapters.subtracting(person.organizes).first,
                let opened = try? await community.applyToOrganize(chapter, by: person.id, reason: "I host meetups.")
            {
                application = opened
                break
            }
        }
        for person in cast where person.isSuspended {
            try await community.suspend(person.id, until: start + 60 * day, by: root.id, reason: "Spam")
        }
        return World(
            store: store, root: root, cast: cast, boards: boards, welcome: welcome, event: event.id,
            question: question.id,
            answer: answer.id, survey: survey.id, challenge: challenge.id, team: team, feedback: feedback.id,
            application: application?.id, applicant: application?.member)
    }
}

/// The services of one case, on a copy of the world's store.
struct Services {
    let store: InMemoryStore
    /// The store the services use: `store`, through a wrapper that can lose commit answers.
    let lossy: OutcomeLosingStore
    let community: CommunityService
    let guidelines: GuidelinesService

    init(copying world: World) {
        store = InMemoryStore(copying: world.store)
        lossy = OutcomeLosingStore(store)
        community = CommunityService(
            store: lossy, clock: ManualClock(World.now), ids: EntryIDGenerator(seed: 7),
            gate: GuidelinesService.gate(store: store), secrets: SeededSecrets(seed: 7))
        guidelines = GuidelinesService(community: community)
    }

    func gamification() throws -> GamificationService { try GamificationService(community: community) }
    func recognition() throws -> RecognitionService {
        try RecognitionService(community: community, badges: [], gamification: try gamification())
    }
    func leadership() throws -> LeadershipService { try LeadershipService(community: community) }
}
