import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Storage

extension Demo {
    /// Points, leaderboards (global all time, a chapter's this week, a country's this month), one
    /// member's statement, a homework streak and rewards, all from the same log.
    func showGamification() async throws {
        try await game.refresh()
        print("Leaderboard, all time (members who chose to be shown)")
        try await printBoard(try await game.leaderboard(.global, .allTime, limit: 5))
        // The chapter and the country with the most members.
        var chapterSizes: [(chapter: Chapter, members: Int)] = []
        for chapter in community.chapters {
            chapterSizes.append(
                (chapter, try await service.members(of: chapter.id, limit: 1_000, by: staff).items.count))
        }
        if let chapter = chapterSizes.max(by: { ($0.members, $1.chapter.id) < ($1.members, $0.chapter.id) })?.chapter {
            print("Leaderboard of \(chapter.name), this week")
            try await printBoard(try await game.leaderboard(.chapter(chapter.id), .week, limit: 3))
        }
        let countries = Dictionary(grouping: community.members, by: \.profile.country)
        if let country = countries.max(by: { ($0.value.count, $1.key.code) < ($1.value.count, $0.key.code) })?.key {
            print("Leaderboard of \(country), this month")
            try await printBoard(try await game.leaderboard(.country(country), .month, limit: 3))
        }
        guard let leader = try await game.leaderboard(.global, .allTime, limit: 1).first?.member else {
            print("")
            return
        }
        let name = try await names(leader)
        let statement = try await game.points(of: leader, by: leader)
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
        for (key, value) in summary.sorted(by: { $0.key < $1.key }) {
            print("  \(pad(key, 32)) \(value.count) entries, \(value.points) points")
        }
        if let programme = try await service.enrolments(of: leader, by: staff).first?.programme {
            let zone = try await names.member(leader)?.profile.timeZone ?? .utc
            let today = LocalDate(clock.now(), in: zone)
            // Today's check-in, and two make-ups for the days before (unless already checked in).
            for day in [today, today.adding(days: -1), today.adding(days: -2)] {
                do {
                    try await game.checkIn(programme: programme, assignment: "Weekly practice", for: day, by: leader)
                } catch {
                    print("  check-in for \(day) refused: \(error)")
                }
            }
            let streak = try await game.streak(of: leader, in: programme, by: leader)
            print(
                "  homework streak in \(programme): \(streak.current) days (longest \(streak.longest)), "
                    + "\(streak.makeUpsLeftThisMonth) make-ups left this month")
        }
        let granted = try await game.grantRewards(to: leader, by: leader)
        let rewards = try await game.rewards(of: leader, by: leader)
        print(
            "  rewards: "
                + (rewards.isEmpty
                    ? "none yet"
                    : rewards.map { "\($0.tier.name) (\($0.status.rawValue))" }.joined(separator: ", "))
                + (granted.isEmpty ? "" : "; \(granted.count) granted now"))
        print("")
    }

    private func printBoard(_ rows: [LeaderboardRow]) async throws {
        for row in rows {
            print("  \(row.rank). \(pad(try await names(row.member), 20)) \(row.points) points")
        }
        if rows.isEmpty { print("  nobody has points yet") }
    }

    /// Content moderation: a learner answers a peer's question with a sales pitch, the peer
    /// reports it, staff remove it, and the points the answer earned are taken back.
    func showModeration() async throws {
        print("Content moderation")
        guard let programme = community.programmes.first else { return }
        var learners: [MemberID] = []
        for member in community.members.map(\.id).sorted() where community.organizers[member] == nil {
            if try await service.enrolments(of: member, by: staff).contains(where: {
                $0.programme == programme.id && !$0.isCompleted
            }) {
                learners.append(member)
            }
            if learners.count == 2 { break }
        }
        guard learners.count == 2 else {
            print("  nobody to moderate: fewer than two learners in \(programme.title)")
            print("")
            return
        }
        let (asker, seller) = (learners[0], learners[1])
        let question = try await service.startThread(
            on: programme.learnersBoard, by: asker, title: "Which spreadsheet functions should I learn first?",
            body: "I know SUM and nothing else.", isQuestion: true)
        try await game.refresh()
        let before = try await game.points(of: seller, by: seller).balance
        let pitch = try await service.reply(
            to: question.id, by: seller, body: "Skip the course: my cheat sheet pack is 50% off this week only!")
        try await game.refresh()
        let earned = try await game.points(of: seller, by: seller).balance - before
        print("  \(try await names(seller)) answered “\(question.title)” with a sales pitch (+\(earned) points)")
        let report = try await service.reportContent(
            pitch.id, by: asker, reason: "Advertising, not an answer to my question")
        print("  \(try await names(asker)) reported it: “\(report.reason)”")
        let open = try await service.openReports(on: programme.learnersBoard, by: staff)
        let head = try await store.head()
        try await service.removePost(pitch.id, by: staff, reason: "Advertising is not allowed on learners' boards")
        let upheld = try await service.openReports(on: programme.learnersBoard, by: staff)
        print(
            "  \(try await names(staff)) removed it: \(open.count - upheld.count) open report upheld, "
                + "the post is hidden from readers")
        try await game.refresh()
        let statement = try await game.points(of: seller, by: seller)
        let reversals = statement.lines.filter { $0.position > head && $0.outcome == .reversal }
        print(
            "  what it took back: \(before + earned - statement.balance) points ("
                + reversals.map(\.reason).joined(separator: "; ") + "); balance \(statement.balance)")
        try await showStanding(of: seller, board: programme.learnersBoard, reader: asker)
        print("")
    }

    /// Who may do what: a suspension takes away taking part, never a member's own data; every
    /// refusal names its rule.
    func showStanding(of member: MemberID, board: BoardID, reader: MemberID) async throws {
        let name = try await names(member)
        try await service.suspend(member, until: clock.now() + 7 * 86_400, by: staff, reason: "Advertising")
        print("  \(name) is suspended for a week:")
        func attempt(_ what: String, _ body: () async throws -> Void) async {
            do {
                try await body()
                print("    \(pad(what, 44)) allowed")
            } catch {
                print("    \(pad(what, 44)) refused: \((error as? CommunityError)?.rule?.rawValue ?? "\(error)")")
            }
        }
        await attempt("they post on the learners' board") {
            try await service.startThread(on: board, by: member, title: "Hello again", body: "A new offer")
        }
        await attempt("they read their own points statement") { _ = try await game.points(of: member, by: member) }
        let readerName = try await names(reader)
        await attempt("\(readerName) reads their points statement") {
            _ = try await game.points(of: member, by: reader)
        }
        try await service.liftSuspension(of: member, by: staff, reason: "They apologised")
        print("  \(try await names(staff)) lifted the suspension after an apology")
    }
}
