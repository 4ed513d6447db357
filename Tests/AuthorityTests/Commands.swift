import CommunityChallenge
import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import Storage
import Surveys

/// One drawn case: a world, who acts, the member acted on, a board and a chapter.
struct Case: Sendable, CustomStringConvertible {
    let world: World
    let actor: Person
    let target: Person
    let board: Board
    let chapter: ChapterID
    /// A second choice for commands with a variant (a role to grant, consents or fields).
    let flag: Bool

    var description: String {
        "\(actor) on \(target), board \(board.id), chapter \(chapter), flag \(flag)"
    }

    /// A case drawn at random in `world`: any member acting on any member, any board and chapter.
    static func random(in world: World, using random: inout SeededGenerator) -> Case {
        let everyone = world.everyone
        return Case(
            world: world, actor: everyone[random.int(below: everyone.count)],
            target: everyone[random.int(below: everyone.count)],
            board: world.boards[random.int(below: world.boards.count)],
            chapter: World.chapters[random.int(below: World.chapters.count)], flag: random.chance(0.5))
    }

    var asker: MemberID { world.cast[0].id }
    var judges: Set<MemberID> { [world.root.id, world.cast[1].id] }
    var team: Set<MemberID> { Set(world.team?.members ?? []) }
    var questionBoard: Board { world.boards[0] }
}

/// A public command or non-public read, what the reference model says of it, and how to run it.
struct Command: Sendable {
    /// `Service.name(labels:)`, as the coverage test reads it from the sources.
    let signature: String
    /// Who may, in the words of Documentation/Authority.md.
    let rule: String
    let who: @Sendable (Case) -> Who
    /// Runs the command; returns its outcome (`()` for reads and commands that return nothing).
    let run: @Sendable (Case, Services) async throws -> Any

    init(
        _ signature: String, _ rule: String, who: @escaping @Sendable (Case) -> Who,
        run: @escaping @Sendable (Case, Services) async throws -> Any
    ) {
        self.signature = signature
        self.rule = rule
        self.who = who
        self.run = run
    }

    /// What the model decides for a case; a command may compose two rules (profile fields, then
    /// consents).
    func verdict(_ c: Case) -> Verdict { who(c).verdict(for: c.actor) }
}

/// Calls made by the integrator's own code, with no acting member: they are documented as such
/// and stay outside the differential test.
let integratorCalls: [String: String] = [
    "CommunityService.perform(by:idempotencyKey:command:replay:_:)":
        "the transaction surface other modules build commands on",
    "CommunityService.perform(by:idempotencyKey:command:_:)": "the same, for commands that return nothing",
    "CommunityService.activityFeed(after:filter:includingImported:)":
        "the log's change feed, for the integrator's notifier",
    "CommunityService.attributeReferral(code:to:for:policy:idempotencyKey:)":
        "the integrator reports a sign-up or enrolment",
    "GamificationService.refresh()": "brings projections up to date",
    "GamificationService.registerLedger()": "registers projections with the host",
    "GamificationService.memberChanged(_:)": "tells the service a member's facts changed",
    "GamificationService.streakPolicy(of:)": "the service's configuration",
    "LeadershipService.refresh()": "brings projections up to date",
    "RecognitionService.refresh()": "brings projections up to date",
    "GuidelinesService.gate(store:)": "makes the leadership gate the integrator passes to the community service",
]

/// Every module's member data, for the export and the erasure.
private let dataRights: DataRights = {
    // A constant list of distinct modules: it cannot fail.
    try! DataRights(modules: [
        .community, .gamification, .guidelines, .surveys, .leadership, .challenge, .recognition,
    ])
}()

private let anyone = "Anyone"
private let anyMember = "Any member in good standing"
private let themselfOrStaff = "The member themself (also while suspended), staff and community managers"
private let support = "The member themself, or staff and community managers for them; all in good standing"
private let supportAnytime =
    "The member themself (also while suspended), or staff and community managers for them in good standing"
private let staff = "Staff and community managers in good standing"
private let gated = "; then the guidelines gate (staff exempt)"
private let filtered = "Anyone; it counts only what the reader may read"

private func post(_ c: Case) -> Who { .board(c.board, .post, gated: false) }
private func read(_ c: Case) -> Who { .board(c.board, .read, gated: false) }
private func newChallenge(_ id: String) -> NewChallenge {
    let day: TimeInterval = 86_400
    return NewChallenge(
        id: ChallengeID(id), year: 2027, title: "Clean air", partner: NonprofitPartner(name: "Air for All"),
        problemStatement: "Measure the air of schools.",
        schedule: ChallengeSchedule(
            announced: World.now + day, registrationOpens: World.now + 2 * day,
            teamFormationBegins: World.now + 10 * day, buildingBegins: World.now + 12 * day,
            pitchingBegins: World.now + 26 * day, judgingBegins: World.now + 28 * day,
            winnersAnnounced: World.now + 30 * day),
        rubric: Rubric(criteria: [RubricCriterion("Impact", weight: 1)]), judges: ["root"])
}

/// Every public command and non-public read of every module.
let commands: [Command] = [
    // Members and roles.
    Command(
        "CommunityService.registerMember(_:by:idempotencyKey:)",
        "Staff and community managers in good standing register staff; self sign-up is an integrator call",
        who: { _ in .staff }
    ) { c, s in
        try await s.community.registerMember(
            NewMember(
                displayName: "New staff", email: "new@school.example", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]),
            by: c.actor.id)
    },
    Command("CommunityService.contact(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.contact(of: c.target.id, by: c.actor.id)
    },
    Command(
        "CommunityService.updateProfile(of:by:idempotencyKey:_:)",
        "Fields: the member themself (also while suspended), or staff and community managers in good standing; consents: only the member themself",
        who: { c in
            let fields = Who.themselfAnytimeOrSupport(c.target.id)
            guard c.flag, fields.verdict(for: c.actor) == .allow else { return fields }
            return .themself(c.target.id)
        }
    ) { c, s in
        try await s.community.updateProfile(of: c.target.id, by: c.actor.id) { draft in
            if c.flag { draft.consents.formSymmetricDifference([.newsletter]) } else { draft.headline = "Updated" }
        }
    },
    Command(
        "CommunityService.grantRole(_:to:by:idempotencyKey:)",
        "Staff in good standing for staff and community manager; staff and community managers in good standing for other roles",
        who: { $0.flag ? .staffOnly : .staff }
    ) { c, s in
        try await s.community.grantRole(c.flag ? .communityManager : .alumnus, to: c.target.id, by: c.actor.id)
    },
    Command(
        "CommunityService.revokeRole(_:from:by:idempotencyKey:)",
        "Staff in good standing for staff and community manager; staff and community managers in good standing for other roles",
        who: { $0.flag ? .staffOnly : .staff }
    ) { c, s in
        try await s.community.revokeRole(c.flag ? .communityManager : .learner, from: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.profile(of:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.profile(of: c.target.id)
    },
    Command("CommunityService.displayNames(of:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.displayNames(of: [c.target.id, c.actor.id])
    },
    Command(
        "CommunityService.exportMemberData(of:by:rights:)", supportAnytime,
        who: { .themselfAnytimeOrSupport($0.target.id) }
    ) { c, s in
        _ = try await s.community.exportMemberData(of: c.target.id, by: c.actor.id, rights: dataRights)
    },
    Command("CommunityService.eraseMember(_:by:rights:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.eraseMember(c.target.id, by: c.actor.id, rights: dataRights)
    },
    Command("CommunityService.member(_:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.member(c.target.id, by: c.actor.id)
    },
    Command("CommunityService.members(country:after:limit:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.community.members()
    },
    Command("CommunityService.enrolments(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.enrolments(of: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.journey(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.journey(of: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.createProgramme(id:title:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.createProgramme(id: "new-programme", title: "New", by: c.actor.id)
    },
    Command("CommunityService.programme(_:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.community.programme(World.programme)
    },
    Command("CommunityService.enrol(_:in:by:idempotencyKey:)", support, who: { .themselfOrSupport($0.target.id) }) {
        c, s in
        try await s.community.enrol(c.target.id, in: World.programme, by: c.actor.id)
    },
    Command("CommunityService.recordCompletion(of:in:certificateDate:by:idempotencyKey:)", staff, who: { _ in .staff })
    { c, s in
        try await s.community.recordCompletion(
            of: c.target.id, in: World.programme, certificateDate: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("CommunityService.share(_:by:on:idempotencyKey:)", anyMember, who: { _ in .anyMember }) { c, s in
        try await s.community.share(.event(c.world.event), by: c.actor.id, on: "mastodon")
    },
    // Chapters and boards.
    Command("CommunityService.createChapter(id:name:focus:timeZone:by:idempotencyKey:)", staff, who: { _ in .staff }) {
        c, s in
        try await s.community.createChapter(
            id: "new-chapter", name: "New", focus: .country(try CountryCode("PE")), timeZone: "America/Lima",
            by: c.actor.id)
    },
    Command("CommunityService.chapter(_:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.chapter(c.chapter)
    },
    Command("CommunityService.chapters()", anyone, who: { _ in .anyone }) { _, s in _ = try await s.community.chapters()
    },
    Command(
        "CommunityService.members(of:after:limit:by:)",
        "The chapter's members and organizers, staff and community managers; all in good standing",
        who: { .chapterMember($0.chapter) }
    ) { c, s in
        _ = try await s.community.members(of: c.chapter, by: c.actor.id)
    },
    Command("CommunityService.chapters(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.chapters(of: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.join(_:member:by:idempotencyKey:)", support, who: { .themselfOrSupport($0.target.id) }) {
        c, s in
        try await s.community.join(c.chapter, member: c.target.id, by: c.actor.id)
    },
    Command(
        "CommunityService.leave(_:member:by:idempotencyKey:)", supportAnytime,
        who: { .themselfAnytimeOrSupport($0.target.id) }
    ) {
        c, s in
        try await s.community.leave(c.chapter, member: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.appointOrganizer(_:of:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.appointOrganizer(c.target.id, of: c.chapter, by: c.actor.id)
    },
    Command("CommunityService.createBoard(id:title:audience:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.createBoard(id: "new-board", title: "New", audience: .everyone, by: c.actor.id)
    },
    Command("CommunityService.board(_:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.board(c.board.id)
    },
    Command("CommunityService.permissions(of:on:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.permissions(of: c.target.id, on: c.board.id, by: c.actor.id)
    },
    Command("CommunityService.boards(visibleTo:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.boards(visibleTo: c.target.id, by: c.actor.id)
    },
    // Discussions.
    Command(
        "CommunityService.startThread(on:by:title:body:isQuestion:idempotencyKey:)",
        "Who may post on the board, in good standing",
        who: post
    ) { c, s in
        try await s.community.startThread(on: c.board.id, by: c.actor.id, title: "Hello", body: "Hi all")
    },
    Command(
        "CommunityService.reply(to:by:body:idempotencyKey:)", "Who may post on the board, in good standing", who: post
    ) { c, s in
        try await s.community.reply(to: c.world.welcome[c.board.id]!, by: c.actor.id, body: "Hi")
    },
    Command(
        "CommunityService.giveFeedback(on:by:body:idempotencyKey:)", "Who may post on the board, in good standing",
        who: { .board($0.questionBoard, .post, gated: false) }
    ) { c, s in
        try await s.community.giveFeedback(on: c.world.answer, by: c.actor.id, body: "Thanks")
    },
    Command(
        "CommunityService.react(_:to:by:idempotencyKey:)", "Who may post on the board, in good standing",
        who: { .board($0.questionBoard, .post, gated: false) }
    ) { c, s in
        try await s.community.react(.like, to: c.world.answer, by: c.actor.id)
    },
    Command(
        "CommunityService.withdrawReaction(_:from:by:idempotencyKey:)",
        "The member who reacted, also while suspended (it is their own reaction)", who: { _ in .anyone }
    ) { c, s in
        try await s.community.withdrawReaction(.like, from: c.world.answer, by: c.actor.id)
    },
    Command(
        "CommunityService.threads(on:by:after:limit:)",
        "Who may read the board (a board open to everyone: anyone, also while suspended)", who: read
    ) { c, s in
        _ = try await s.community.threads(on: c.board.id, by: c.actor.id)
    },
    Command(
        "CommunityService.posts(in:by:)",
        "Who may read the board (a board open to everyone: anyone, also while suspended)", who: read
    ) { c, s in
        _ = try await s.community.posts(in: c.world.welcome[c.board.id]!, by: c.actor.id)
    },
    Command(
        "CommunityService.markAnnouncement(_:by:idempotencyKey:)",
        "The chapter's organizers, staff and community managers, in good standing" + gated,
        who: { _ in .leader("accra", gated: true) }
    ) { c, s in
        try await s.community.markAnnouncement(c.world.question, by: c.actor.id)
    },
    Command(
        "CommunityService.acceptAnswer(_:in:by:idempotencyKey:)",
        "The member who asked, or staff and community managers; all in good standing",
        who: { .themselfOrSupport($0.asker) }
    ) { c, s in
        try await s.community.acceptAnswer(c.world.answer, in: c.world.question, by: c.actor.id)
    },
    Command(
        "CommunityService.unacceptAnswer(in:by:idempotencyKey:)",
        "The member who asked, or staff and community managers; all in good standing",
        who: { .themselfOrSupport($0.asker) }
    ) { c, s in
        try await s.community.unacceptAnswer(in: c.world.question, by: c.actor.id)
    },
    // Moderation.
    Command(
        "CommunityService.reportContent(_:by:reason:idempotencyKey:)", "Who may post on the board, in good standing",
        who: { .board($0.questionBoard, .post, gated: false) }
    ) { c, s in
        try await s.community.reportContent(c.world.answer, by: c.actor.id, reason: "Off topic")
    },
    Command(
        "CommunityService.openReports(on:by:)",
        "Who may moderate the board (its chapter's organizers, staff and community managers), in good standing",
        who: { .board($0.board, .moderate, gated: false) }
    ) { c, s in
        _ = try await s.community.openReports(on: c.board.id, by: c.actor.id)
    },
    Command(
        "CommunityService.removePost(_:by:reason:idempotencyKey:)",
        "Who may moderate the board, in good standing" + gated,
        who: { .board($0.questionBoard, .moderate, gated: true) }
    ) { c, s in
        try await s.community.removePost(c.world.answer, by: c.actor.id, reason: "Spam")
    },
    Command("CommunityService.standing(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.community.standing(of: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.warn(_:by:reason:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.warn(c.target.id, by: c.actor.id, reason: "Be kind")
    },
    Command("CommunityService.suspend(_:until:by:reason:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.suspend(c.target.id, until: World.now + 86_400, by: c.actor.id, reason: "Spam")
    },
    Command("CommunityService.liftSuspension(of:by:reason:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.liftSuspension(of: c.target.id, by: c.actor.id, reason: "Apologised")
    },
    // Events.
    Command(
        "CommunityService.createEvent(_:in:by:idempotencyKey:)",
        "The chapter's organizers, staff and community managers, in good standing" + gated,
        who: { .leader($0.chapter, gated: true) }
    ) { c, s in
        try await s.community.createEvent(
            NewEvent(title: "Talk", format: .virtual(capacity: 9), start: World.now + 86_400, end: World.now + 90_000),
            in: c.chapter, by: c.actor.id)
    },
    Command("CommunityService.event(_:)", "Anyone (no roster)", who: { _ in .anyone }) { c, s in
        _ = try await s.community.event(c.world.event)
    },
    Command("CommunityService.events(of:)", "Anyone (no rosters)", who: { _ in .anyone }) { c, s in
        _ = try await s.community.events(of: c.chapter)
    },
    Command(
        "CommunityService.roster(of:by:)",
        "The event chapter's organizers, staff and community managers, in good standing",
        who: { _ in .leader("accra", gated: false) }
    ) { c, s in
        _ = try await s.community.roster(of: c.world.event, by: c.actor.id)
    },
    Command("CommunityService.registrations(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.registrations(of: c.target.id, by: c.actor.id)
    },
    Command(
        "CommunityService.register(_:for:mode:by:idempotencyKey:)", support, who: { .themselfOrSupport($0.target.id) }
    ) { c, s in
        try await s.community.register(c.target.id, for: c.world.event, by: c.actor.id)
    },
    Command(
        "CommunityService.cancelRegistration(of:for:by:idempotencyKey:)", supportAnytime,
        who: { .themselfAnytimeOrSupport($0.target.id) }
    ) { c, s in
        try await s.community.cancelRegistration(of: c.target.id, for: c.world.event, by: c.actor.id)
    },
    Command(
        "CommunityService.checkIn(_:at:by:idempotencyKey:)",
        "The member themself in good standing, or the event chapter's organizers, staff and community managers in good standing"
            + gated,
        who: { c in
            c.actor.id == c.target.id ? .anyMember : .leader("accra", gated: true)
        }
    ) { c, s in
        try await s.community.checkIn(c.target.id, at: c.world.event, by: c.actor.id)
    },
    Command(
        "CommunityService.cancelEvent(_:by:idempotencyKey:)",
        "The event chapter's organizers, staff and community managers, in good standing" + gated,
        who: { _ in .leader("accra", gated: true) }
    ) { c, s in
        try await s.community.cancelEvent(c.world.event, by: c.actor.id)
    },
    Command("CommunityService.activity(of:from:to:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.activity(of: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.activity(about:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.activity(about: .event(c.world.event), by: c.actor.id)
    },
    Command("CommunityService.recentActivity(limit:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.recentActivity(by: c.actor.id)
    },
    // The organizer pipeline and the feedback channel.
    Command(
        "CommunityService.eligibility(of:toOrganize:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }
    ) { c, s in
        _ = try await s.community.eligibility(of: c.target.id, toOrganize: c.chapter, by: c.actor.id)
    },
    Command(
        "CommunityService.applyToOrganize(_:by:reason:idempotencyKey:)", anyMember + " (then the eligibility criteria)",
        who: { _ in .anyMember }
    ) { c, s in
        try await s.community.applyToOrganize(c.chapter, by: c.actor.id, reason: "I host meetups")
    },
    Command("CommunityService.nominateOrganizer(_:of:by:reason:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.nominateOrganizer(c.target.id, of: c.chapter, by: c.actor.id, reason: "Helpful")
    },
    Command("CommunityService.moveOrganizerApplication(_:to:by:reason:idempotencyKey:)", staff, who: { _ in .staff }) {
        c, s in
        try await s.community.moveOrganizerApplication(
            c.world.application ?? "none", to: .underReview, by: c.actor.id, reason: "Looks good")
    },
    Command(
        "CommunityService.organizerApplication(_:by:)",
        "The applicant (also while suspended), staff and community managers",
        who: { c in
            .themselfOrStaff(Set(c.world.applicant.map { [$0] } ?? []))
        }
    ) { c, s in
        _ = try await s.community.organizerApplication(c.world.application ?? "none", by: c.actor.id)
    },
    Command("CommunityService.organizerApplications(of:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.organizerApplications(of: c.chapter, by: c.actor.id)
    },
    Command(
        "CommunityService.openFeedback(by:title:body:chapter:idempotencyKey:)",
        "The organizers of any chapter (of the chapter named, when one is), staff and community managers, in good standing",
        who: { .leader($0.flag ? $0.chapter : nil, gated: false) }
    ) { c, s in
        try await s.community.openFeedback(
            by: c.actor.id, title: "Idea", body: "More rooms", chapter: c.flag ? c.chapter : nil)
    },
    Command("CommunityService.answerFeedback(_:by:body:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.answerFeedback(c.world.feedback, by: c.actor.id, body: "On it")
    },
    Command("CommunityService.closeFeedback(_:by:answer:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.closeFeedback(c.world.feedback, by: c.actor.id)
    },
    Command(
        "CommunityService.overdueFeedback(olderThan:by:)",
        "Anyone; staff and community managers see every item, anyone else the items they opened", who: { _ in .anyone }
    ) { c, s in
        _ = try await s.community.overdueFeedback(olderThan: 0, by: c.actor.id)
    },
    Command("CommunityService.pruneIdempotencyKeys(by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.pruneIdempotencyKeys(by: c.actor.id)
    },
    Command("CommunityService.recordMemberFacts(by:after:limit:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.recordMemberFacts(by: c.actor.id)
    },
    // The Community Challenge.
    Command("CommunityService.createChallenge(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.createChallenge(newChallenge("air"), by: c.actor.id)
    },
    Command("CommunityService.challenge(_:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.challenge(c.world.challenge)
    },
    Command("CommunityService.challenges()", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.community.challenges()
    },
    Command("CommunityService.phase(of:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.phase(of: c.world.challenge)
    },
    Command("CommunityService.register(for:_:by:idempotencyKey:)", anyMember, who: { _ in .anyMember }) { c, s in
        try await s.community.register(
            for: c.world.challenge, ChallengeRegistrationForm(skills: ["data"]), by: c.actor.id)
    },
    Command("CommunityService.registrations(for:after:limit:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.registrations(for: c.world.challenge, by: c.actor.id)
    },
    Command("CommunityService.formTeams(for:seed:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.formTeams(for: c.world.challenge, seed: 2, by: c.actor.id)
    },
    Command("CommunityService.teamFormationReport(of:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.teamFormationReport(of: c.world.challenge, by: c.actor.id)
    },
    Command("CommunityService.teams(of:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.teams(of: c.world.challenge)
    },
    Command(
        "CommunityService.submit(_:for:by:idempotencyKey:)", "The team's members, in good standing",
        who: { .parties($0.team) }
    ) {
        c, s in
        try await s.community.submit(
            ChallengeSubmissionDraft(solution: "A sensor", pitch: "Clean water"), for: c.world.team?.id ?? "none",
            by: c.actor.id)
    },
    Command(
        "CommunityService.submission(of:by:)",
        "The team's members and the judges (also while suspended), staff and community managers",
        who: { .themselfOrStaff($0.team.union($0.judges)) }
    ) { c, s in
        _ = try await s.community.submission(of: c.world.team?.id ?? "none", by: c.actor.id)
    },
    Command(
        "CommunityService.declareConflict(of:with:by:idempotencyKey:)",
        "The judge themself (also while suspended), staff and community managers",
        who: { _ in .themselfOrStaff(["m1"]) }
    ) { c, s in
        try await s.community.declareConflict(of: "m1", with: c.world.team?.id ?? "none", by: c.actor.id)
    },
    Command(
        "CommunityService.score(_:by:_:idempotencyKey:)", "The challenge's judges, in good standing",
        who: { .parties($0.judges) }
    ) { c, s in
        try await s.community.score(c.world.team?.id ?? "none", by: c.actor.id, ["Impact": 5])
    },
    Command(
        "CommunityService.ranking(of:by:)",
        "The challenge's judges (also while suspended), staff and community managers",
        who: { .themselfOrStaff($0.judges) }
    ) { c, s in
        _ = try await s.community.ranking(of: c.world.challenge, by: c.actor.id)
    },
    Command("CommunityService.announceWinners(of:places:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.announceWinners(of: c.world.challenge, by: c.actor.id)
    },
    Command("CommunityService.results(of:)", "Anyone, once the winners are announced", who: { _ in .anyone }) { c, s in
        _ = try? await s.community.results(of: c.world.challenge)
    },
    // Surveys.
    Command("CommunityService.createSurvey(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.createSurvey(
            NewSurvey(title: "Poll", questions: [SurveyQuestion(id: "q", prompt: "Good?", kind: .scale)]),
            by: c.actor.id)
    },
    Command("CommunityService.closeSurvey(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.community.closeSurvey(c.world.survey, by: c.actor.id)
    },
    Command("CommunityService.survey(_:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.community.survey(c.world.survey)
    },
    Command("CommunityService.surveys(after:limit:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.community.surveys()
    },
    Command("CommunityService.hasResponded(_:to:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.hasResponded(c.target.id, to: c.world.survey, by: c.actor.id)
    },
    Command("CommunityService.respond(to:by:answers:idempotencyKey:)", anyMember, who: { _ in .anyMember }) { c, s in
        try await s.community.respond(to: c.world.survey, by: c.actor.id, answers: ["mood": .scale(4)])
    },
    Command("CommunityService.surveyResults(of:segmentBy:includeFreeText:policy:by:)", staff, who: { _ in .staff }) {
        c, s in
        _ = try await s.community.surveyResults(of: c.world.survey, by: c.actor.id)
    },
    // Leadership.
    Command("CommunityService.advocacyFunnel(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.community.advocacyFunnel(of: c.target.id, by: c.actor.id)
    },
    Command(
        "CommunityService.advocacyRanking(limit:)", "Anyone (members who show on public boards only)",
        who: { _ in .anyone }
    ) { _, s in
        _ = try await s.community.advocacyRanking()
    },
    Command("CommunityService.complianceReport(duties:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.complianceReport(by: c.actor.id)
    },
    Command(
        "CommunityService.recommend(_:to:by:note:idempotencyKey:)",
        "The chapter's organizers, staff and community managers, in good standing" + gated,
        who: { .leader($0.chapter, gated: true) }
    ) { c, s in
        try await s.community.recommend(World.programme, to: c.chapter, by: c.actor.id, note: "Great course")
    },
    Command(
        "CommunityService.suggestNextProgrammes(for:limit:minimumPeers:by:)", themselfOrStaff,
        who: { .themselfOrStaff([$0.target.id]) }
    ) { c, s in
        _ = try await s.community.suggestNextProgrammes(for: c.target.id, by: c.actor.id)
    },
    Command("CommunityService.repeatEnrolment(by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.community.repeatEnrolment(by: c.actor.id)
    },
    Command("CommunityService.questionMetrics(for:period:target:by:)", filtered, who: { _ in .anyone }) { c, s in
        _ = try await s.community.questionMetrics(
            for: .board(c.board.id), period: DateInterval(start: World.start, end: World.now), by: c.actor.id)
    },
    Command("CommunityService.unansweredQuestions(in:after:limit:by:)", filtered, who: { _ in .anyone }) { c, s in
        _ = try await s.community.unansweredQuestions(in: .board(c.board.id), by: c.actor.id)
    },
    Command(
        "CommunityService.suggestAnswerers(for:limit:by:)", "Who may read the question's board",
        who: { .board($0.questionBoard, .read, gated: false) }
    ) { c, s in
        _ = try await s.community.suggestAnswerers(for: c.world.question, by: c.actor.id)
    },
    Command("LeadershipService.insights(from:through:chapter:limit:by:)", filtered, who: { _ in .anyone }) { c, s in
        let day = LocalDate(World.now, in: .utc)
        return try await s.leadership().insights(from: day.adding(days: -30), through: day, by: c.actor.id)
    },
    Command("LeadershipService.engagement(by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.leadership().engagement(by: c.actor.id)
    },
    Command("LeadershipService.engagement(of:on:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.leadership().engagement(of: c.target.id, on: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("LeadershipService.superusers(on:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.leadership().superusers(on: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("LeadershipService.valueReport(for:chapter:title:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.leadership().valueReport(for: DateInterval(start: World.start, end: World.now), by: c.actor.id)
    },
    // Gamification.
    Command("GamificationService.points(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.gamification().points(of: c.target.id, by: c.actor.id)
    },
    Command("GamificationService.exportSection(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.gamification().exportSection(of: c.target.id, by: c.actor.id)
    },
    Command("GamificationService.adjustPoints(of:points:reason:by:idempotencyKey:)", staff, who: { _ in .staff }) {
        c, s in
        try await s.gamification().adjustPoints(of: c.target.id, points: 5, reason: "Helped", by: c.actor.id)
    },
    Command(
        "GamificationService.leaderboard(_:_:limit:)", "Anyone (members who show on public leaderboards only)",
        who: { _ in .anyone }
    ) { _, s in
        _ = try await s.gamification().leaderboard(.global, .allTime)
    },
    Command(
        "GamificationService.rank(of:on:_:by:)",
        "Anyone for a member who shows on public leaderboards; otherwise the member themself (also while suspended), staff and community managers",
        who: { c in
            c.target.showsOnLeaderboards ? .anyone : .themselfOrStaff([c.target.id])
        }
    ) { c, s in
        _ = try await s.gamification().rank(of: c.target.id, on: .global, .allTime, by: c.actor.id)
    },
    Command(
        "GamificationService.checkIn(programme:assignment:for:submission:by:idempotencyKey:)", anyMember,
        who: { _ in .anyMember }
    ) { c, s in
        try await s.gamification().checkIn(programme: World.programme, assignment: "Practice", by: c.actor.id)
    },
    Command("GamificationService.streak(of:in:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.gamification().streak(of: c.target.id, in: World.programme, by: c.actor.id)
    },
    Command("GamificationService.grantRewards(to:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.gamification().grantRewards(to: c.target.id, by: c.actor.id)
    },
    Command("GamificationService.rewards(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) { c, s in
        _ = try await s.gamification().rewards(of: c.target.id, by: c.actor.id)
    },
    Command(
        "GamificationService.moveReward(_:of:to:by:idempotencyKey:)",
        "Claiming: only the member themself (also while suspended); offering, shipping, declining: staff and community managers in good standing",
        who: { c in
            c.flag ? .themself(c.target.id) : .staff
        }
    ) { c, s in
        try await s.gamification().moveReward(
            "t-shirt", of: c.target.id, to: c.flag ? .claimed : .shipped, by: c.actor.id)
    },
    // Guidelines and onboarding.
    Command("GuidelinesService.publish(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.guidelines.publish(SampleGuidelines.document(version: try GuidelineVersion("1.1")), by: c.actor.id)
    },
    Command("GuidelinesService.current()", anyone, who: { _ in .anyone }) { _, s in _ = try await s.guidelines.current()
    },
    Command("GuidelinesService.document(_:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.guidelines.document(try GuidelineVersion("1.0"))
    },
    Command(
        "GuidelinesService.acknowledge(_:by:idempotencyKey:)",
        "Any member, also while suspended (it concerns only themself)",
        who: { _ in .anyone }
    ) { c, s in
        try await s.guidelines.acknowledge(try GuidelineVersion("1.0"), by: c.actor.id)
    },
    Command("GuidelinesService.acknowledgement(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.guidelines.acknowledgement(of: c.target.id, by: c.actor.id)
    },
    Command("GuidelinesService.scheduleTraining(title:for:at:minutes:by:idempotencyKey:)", staff, who: { _ in .staff })
    { c, s in
        try await s.guidelines.scheduleTraining(
            title: "Basics", for: .chapterOrganizer, at: World.now + 86_400, minutes: 60, by: c.actor.id)
    },
    Command("GuidelinesService.recordAttendance(at:of:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.guidelines.recordAttendance(at: "none", of: c.target.id, by: c.actor.id)
    },
    Command("GuidelinesService.saveFAQ(id:question:answer:tags:by:idempotencyKey:)", staff, who: { _ in .staff }) {
        c, s in
        try await s.guidelines.saveFAQ(id: "rooms", question: "Rooms?", answer: "Ask staff.", by: c.actor.id)
    },
    Command("GuidelinesService.searchFAQ(_:limit:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.guidelines.searchFAQ("rooms")
    },
    Command(
        "GuidelinesService.markFAQRead(by:idempotencyKey:)",
        "Any member, also while suspended (it concerns only themself)",
        who: { _ in .anyone }
    ) { c, s in
        try await s.guidelines.markFAQRead(by: c.actor.id)
    },
    Command("GuidelinesService.onboarding(of:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.guidelines.onboarding(of: c.target.id, by: c.actor.id)
    },
    Command("GuidelinesService.incompleteOnboarding(after:limit:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.guidelines.incompleteOnboarding(by: c.actor.id)
    },
    // Recognition.
    Command(
        "RecognitionService.awards(of:by:)",
        "Anyone for a member who agreed to be featured; otherwise the member themself (also while suspended), staff and community managers",
        who: { c in c.target.agreedToBeFeatured ? .anyone : .themselfOrStaff([c.target.id]) }
    ) { c, s in
        _ = try await s.recognition().awards(of: c.target.id, by: c.actor.id)
    },
    Command("RecognitionService.awards(ofBadge:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.recognition().awards(ofBadge: "helper", by: c.actor.id)
    },
    Command("RecognitionService.revoke(_:reason:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.recognition().revoke("none", reason: "Mistake", by: c.actor.id)
    },
    Command("RecognitionService.memberCard(of:)", anyone, who: { _ in .anyone }) { c, s in
        _ = try await s.recognition().memberCard(of: c.target.id)
    },
    Command(
        "RecognitionService.newsletter(for:audience:readerTimeZone:title:eventURL:domain:)",
        "Anyone (what it shows is public)", who: { _ in .anyone }
    ) { _, s in
        _ = try await s.recognition().newsletter(
            for: LocalDate(World.now, in: .utc), audience: .everyone, readerTimeZone: .utc, title: "News",
            eventURL: { _ in nil }, domain: "school.example")
    },
    Command("RecognitionService.assertion(of:publisher:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.recognition().assertion(
            of: "none",
            publisher: try OpenBadgesPublisher(
                issuer: IssuerProfile(
                    name: "School", url: URL(string: "https://school.example")!, email: "badges@school.example"),
                baseURL: URL(string: "https://school.example")!, secret: Array(repeating: 7, count: 32)),
            by: c.actor.id)
    },
    Command("RecognitionService.spotlightPicks(for:policy:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.recognition().spotlightPicks(for: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("RecognitionService.feature(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.recognition().feature([], by: c.actor.id)
    },
    Command("RecognitionService.benchmarkMembers(for:policy:by:)", staff, who: { _ in .staff }) { c, s in
        _ = try await s.recognition().benchmarkMembers(for: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("RecognitionService.featureBenchmarkMembers(_:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.recognition().featureBenchmarkMembers([], by: c.actor.id)
    },
    Command("RecognitionService.featuredBenchmarkMembers(for:)", anyone, who: { _ in .anyone }) { _, s in
        _ = try await s.recognition().featuredBenchmarkMembers(for: LocalDate(World.now, in: .utc))
    },
    Command("RecognitionService.pickHomework(at:by:idempotencyKey:)", staff, who: { _ in .staff }) { c, s in
        try await s.recognition().pickHomework(at: 1, by: c.actor.id)
    },
    Command("RecognitionService.excellentHomework(weekStartingOn:perProgramme:by:)", staff, who: { _ in .staff }) {
        c, s in
        _ = try await s.recognition().excellentHomework(weekStartingOn: LocalDate(World.now, in: .utc), by: c.actor.id)
    },
    Command("RecognitionService.thank(_:message:by:idempotencyKey:)", anyMember, who: { _ in .anyMember }) { c, s in
        try await s.recognition().thank(
            c.target.id == c.actor.id ? "root" : c.target.id, message: "Thanks!", by: c.actor.id)
    },
    Command("RecognitionService.thanks(of:limit:by:)", themselfOrStaff, who: { .themselfOrStaff([$0.target.id]) }) {
        c, s in
        _ = try await s.recognition().thanks(of: c.target.id, by: c.actor.id)
    },
]
