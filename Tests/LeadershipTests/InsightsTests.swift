import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

@Suite("Insights for leaders")
struct InsightsTests {
    @Test("threads rank by distinct participants, events by registrations, per chapter and overall")
    func ranking() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let other = try await community.city("lagos", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        var learners: [Member] = []
        for name in ["Amina", "Baraka", "Chidi", "Dalia"] {
            let learner = try await community.learner(name)
            try await service.join(chapter.id, member: learner.id, by: learner.id)
            try await service.join(other.id, member: learner.id, by: learner.id)
            learners.append(learner)
        }
        let start = community.clock.now()
        let busy = try await service.startThread(
            on: chapter.publicBoard, by: learners[0].id, title: "Pandas, \"fast\" tips", body: "go")
        let quiet = try await service.startThread(
            on: chapter.publicBoard, by: learners[1].id, title: "=HYPERLINK(\"x\")", body: "hi")
        let elsewhere = try await service.startThread(
            on: other.publicBoard, by: learners[2].id, title: "Lagos", body: "hi")
        for learner in learners.dropFirst() {
            let reply = try await service.reply(to: busy.id, by: learner.id, body: "thanks")
            try await service.react(.like, to: reply.id, by: learners[0].id)
        }
        try await service.reply(to: quiet.id, by: learners[0].id, body: "+1")
        try await service.reply(to: quiet.id, by: learners[0].id, body: "+2")
        try await service.reply(to: elsewhere.id, by: learners[3].id, body: "hi")

        let eventStart = start + 86_400
        let small = try await service.createEvent(
            NewEvent(title: "Small", format: .virtual(capacity: 10), start: eventStart, end: eventStart + 3_600),
            in: chapter.id, by: staff.id)
        let big = try await service.createEvent(
            NewEvent(title: "Big, bold", format: .virtual(capacity: 10), start: eventStart, end: eventStart + 3_600),
            in: chapter.id, by: staff.id)
        try await service.register(learners[0].id, for: small.id, by: learners[0].id)
        for learner in learners { try await service.register(learner.id, for: big.id, by: learner.id) }

        community.clock.advance(by: 60)
        let leadership = try LeadershipService(community: service)
        let today = LocalDate(community.clock.now(), in: .utc)
        let insights = try await leadership.insights(
            from: LocalDate(start, in: .utc), through: today, chapter: chapter.id, by: staff.id)
        #expect(insights.threads.map(\.thread) == [busy.id, quiet.id])
        #expect(insights.threads.first?.participants == 4)
        #expect(insights.threads.first?.replies == 3)
        #expect(insights.threads.first?.reactions == 3)
        #expect(insights.events.map(\.event) == [big.id, small.id])
        #expect(insights.events.first?.registrations == 4)

        let overall = try await leadership.insights(from: LocalDate(start, in: .utc), through: today, by: staff.id)
        #expect(Set(overall.threads.map(\.thread)) == [busy.id, quiet.id, elsewhere.id])
        let yesterday = LocalDate(start - 86_400, in: .utc)
        let before = try await leadership.insights(from: yesterday, through: yesterday, by: staff.id)
        #expect(before.threads.isEmpty && before.events.isEmpty)

        let csv = insights.threadsCSV
        #expect(csv.hasPrefix("thread,title,board,chapter,participants,replies,reactions\r\n"))
        // Threads of the same title are told apart by their board.
        #expect(insights.threads.first?.board == busy.board)
        #expect(insights.threads.first?.boardTitle == chapter.name)
        #expect(csv.contains("\"Pandas, \"\"fast\"\" tips\""))
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(insights.eventsCSV.contains("\"Big, bold\""))
    }

    /// Titles are one line in the model; bodies and other text exported later may hold line breaks.
    @Test("CSV cells: quotes doubled, separators and line breaks quoted, formulas neutralised")
    func csvCells() {
        #expect(CSV.cell("plain") == "plain")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("two\nlines") == "\"two\nlines\"")
        #expect(CSV.cell("windows\r\nline") == "\"windows\r\nline\"")  // CRLF is one Character
        #expect(CSV.cell("=1+1") == "'=1+1")
        #expect(CSV.cell("+44 20") == "'+44 20")
        #expect(CSV.cell("-5") == "'-5")
        #expect(CSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.cell("") == "")
        #expect(CSV.render(header: ["a", "b"], rows: [["1", "x,y"]]) == "a,b\r\n1,\"x,y\"\r\n")
    }

    /// The finding of issue 26: `Ideas;=1+1` was left unquoted, so a spreadsheet that splits on
    /// semicolons (German and French locales) ran `=1+1`; and the number -3 became '-3.
    @Test("CSV cells with a semicolon or a tab are quoted, and numbers the library writes stay numbers")
    func csvForEveryLocale() {
        #expect(CSV.cell("Ideas;=1+1") == "\"Ideas;=1+1\"")
        #expect(CSV.cell("a\tb") == "\"a\tb\"")
        #expect(CSV.cell("\t=1") == "\"'\t=1\"")
        #expect(CSV.number("-3") == "-3")
        #expect(
            CSV.render(header: ["measure", "value"], rows: [["-3", "-3"]], numberColumns: [1])
                == "measure,value\r\n'-3,-3\r\n")
    }

    @Test("a period that ends before it starts, or starts before the days kept, is refused")
    func badPeriod() async throws {
        let community = TestCommunity()
        let staff = try await community.staff()
        let leadership = try LeadershipService(community: community.service, insightsRetentionDays: 30)
        let today = LocalDate(community.clock.now(), in: .utc)
        await #expect(throws: CommunityError.self) {
            try await leadership.insights(from: today, through: today.adding(days: -1), by: staff.id)
        }
        _ = try await community.learner("Amina")
        await #expect(throws: CommunityError.self) {
            try await leadership.insights(from: today.adding(days: -31), through: today, by: staff.id)
        }
        _ = try await leadership.insights(from: today.adding(days: -30), through: today, by: staff.id)
        #expect(throws: CommunityError.self) { try InsightsProjection(retentionDays: 0) }
    }

    @Test("insights are a projection on the host: a withdrawn reaction is taken back, old days are dropped")
    func hosted() async throws {
        let community = TestCommunity()
        let service = community.service
        let (staff, chapter, members) = try await community.nairobiWithMembers("Amina", "Baraka")
        let (amina, baraka) = (members[0], members[1])
        let thread = try await service.startThread(on: chapter.publicBoard, by: amina.id, title: "Hi", body: "go")
        let reply = try await service.reply(to: thread.id, by: baraka.id, body: "hello")
        try await service.react(.like, to: reply.id, by: amina.id)
        let leadership = try LeadershipService(community: service, insightsRetentionDays: 7)
        let today = LocalDate(community.clock.now(), in: .utc)
        #expect(try await leadership.insights(from: today, through: today, by: staff.id).threads.first?.reactions == 1)
        try await service.withdrawReaction(.like, from: reply.id, by: amina.id)
        #expect(try await leadership.insights(from: today, through: today, by: staff.id).threads.first?.reactions == 0)
        // The host committed the projection: a second service on the store reads its checkpoint.
        let again = try LeadershipService(community: service, insightsRetentionDays: 7)
        #expect(try await again.refresh().restoredPosition != nil)
        // Ten days on, the day of the thread is no longer kept.
        community.clock.advance(by: 10 * 86_400)
        _ = try await community.learner("Chidi")
        await #expect(throws: CommunityError.self) {
            try await leadership.insights(from: today, through: today, by: staff.id)
        }
        let projection = try #require(
            await leadership.host.state(of: InsightsProjection.self, named: "insights"))
        #expect(projection.firstRetainedDay == today.adding(days: 3))
    }

    @Test("insights list only the threads the reader may read: an organizers' thread shows to staff, not to a learner")
    func filteredByReader() async throws {
        let community = TestCommunity()
        let service = community.service
        let (staff, chapter, members) = try await community.nairobiWithMembers("Kofi", "Amina")
        let (kofi, amina) = (members[0], members[1])
        try await service.appointOrganizer(kofi.id, of: chapter.id, by: staff.id)
        let secret = try await service.startThread(
            on: chapter.organizersBoard, by: kofi.id, title: "Replacing a difficult member", body: "ideas?")
        let open = try await service.startThread(on: chapter.publicBoard, by: amina.id, title: "Hello", body: "all")
        let leadership = try LeadershipService(community: service)
        let today = LocalDate(community.clock.now(), in: .utc)
        let forStaff = try await leadership.insights(from: today, through: today, by: staff.id)
        #expect(Set(forStaff.threads.map(\.thread)) == [secret.id, open.id])
        let forAmina = try await leadership.insights(from: today, through: today, by: amina.id)
        #expect(forAmina.threads.map(\.thread) == [open.id])
        let forKofi = try await leadership.insights(from: today, through: today, by: kofi.id)
        #expect(Set(forKofi.threads.map(\.thread)) == [secret.id, open.id])
    }
}
