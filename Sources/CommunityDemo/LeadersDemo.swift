import CommunityModel
import CommunitySimulation
import Foundation
import Guidelines
import Storage

extension Demo {
    /// Every organizer, the new ones first, each once.
    func organizersNewFirst(_ promoted: [(member: MemberID, chapter: ChapterID)]) -> [(
        member: MemberID, chapter: ChapterID
    )] {
        var seen: Set<MemberID> = []
        var all: [(member: MemberID, chapter: ChapterID)] = []
        for organizer in promoted + community.organizers.sorted(by: { $0.key < $1.key }).map({ ($0.key, $0.value) })
        where seen.insert(organizer.member).inserted {
            all.append(organizer)
        }
        return all
    }

    /// Guidelines: a new organizer is held back until they acknowledge the current version (the
    /// other organizers acknowledge too), then checks a draft event description and publishes
    /// the fixed text.
    ///
    /// The simulated past ran without the gate; from here on leaders pass it, through the gated
    /// service that shares the store, the clock and the id generator.
    func showGuidelines(newOrganizers promoted: [(member: MemberID, chapter: ChapterID)]) async throws {
        if try await guidelines.current() == nil {
            try await guidelines.publish(SampleGuidelines.document(version: try GuidelineVersion("1.0")), by: staff)
        }
        guard let document = try await guidelines.current() else { return }
        print("Guidelines \(document.version): “\(document.title)”")
        let organizers = organizersNewFirst(promoted)
        var waiting: [(member: MemberID, chapter: ChapterID)] = []
        for organizer in organizers where try await guidelines.acknowledgement(of: organizer.member, by: staff) == nil {
            waiting.append(organizer)
        }
        guard let (organizer, chapter) = waiting.first ?? organizers.first else {
            print("  no organizer yet")
            print("")
            return
        }
        let name = try await names(organizer)
        let chapterZone = try await gated.chapter(chapter).timeZone
        let start = clock.now().addingTimeInterval(14 * 86_400)
        var event = NewEvent(
            title: "Budget night", format: .inPerson(capacity: 30), start: start, end: start.addingTimeInterval(7_200))
        if !waiting.isEmpty {
            do {
                try await gated.createEvent(event, in: chapter, by: organizer)
            } catch {
                print("  \(name) creates an event: refused: \(error)")
            }
            for leader in waiting { try await guidelines.acknowledge(document.version, by: leader.member) }
            print(
                "  \(name) acknowledges \(document.version)"
                    + (waiting.count == 2 ? "; so does 1 other organizer" : "")
                    + (waiting.count > 2 ? "; so do \(waiting.count - 1) other organizers" : ""))
        } else {
            print("  every organizer has acknowledged \(document.version)")
        }

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

    /// Onboarding: staff schedule a training session and keep a FAQ; leaders search it, attend,
    /// read it, and their checklist shows what is done.
    func showOnboarding(newOrganizers promoted: [(member: MemberID, chapter: ChapterID)]) async throws {
        print("Onboarding of leaders")
        let session = try await guidelines.scheduleTraining(
            title: "Running your first meetup", for: .chapterOrganizer, at: clock.now().addingTimeInterval(1_800),
            minutes: 60, by: staff)
        print(
            "  training “\(session.title)” for chapter organizers, \(session.minutes) minutes from "
                + "\(ISO8601DateFormatter().string(from: session.startsAt))")
        let faq: [(id: String, question: String, answer: String, tags: [String])] = [
            (
                "venue", "How do I book a venue for a meetup?",
                "Ask the school's office two weeks ahead; partner coworking spaces host chapters for free.",
                ["events", "venue"]
            ),
            (
                "budget", "Is there a budget for snacks?",
                "Yes: up to 50 euros per event, reimbursed against a receipt.", ["events", "money"]
            ),
            (
                "logo", "May I put the school's logo on our flyer?",
                "Only the chapter logo kit, as the brand guidelines describe.", ["brand"]
            ),
        ]
        for entry in faq {
            try await guidelines.saveFAQ(
                id: entry.id, question: entry.question, answer: entry.answer, tags: entry.tags, by: staff)
        }
        let query = "book a venue for our meetup"
        if let best = try await guidelines.searchFAQ(query, limit: 3).first {
            print("  FAQ search “\(query)”: “\(best.entry.question)” (score \(best.score)): \(best.entry.answer)")
        }
        clock.advance(by: 2 * 3_600)
        let trainees = organizersNewFirst(promoted).map(\.member)
        var onboarded: [String] = []
        for leader in trainees where try await !guidelines.onboarding(of: leader, by: staff).isComplete {
            try await guidelines.recordAttendance(at: session.id, of: leader, by: staff)
            try await guidelines.markFAQRead(by: leader)
            onboarded.append(try await names(leader))
        }
        print(
            onboarded.isEmpty
                ? "  every organizer had completed onboarding already"
                : "  attended the session and read the FAQ: \(onboarded.joined(separator: ", "))")
        if let first = trainees.first {
            let progress = try await guidelines.onboarding(of: first, by: staff)
            print(
                "  \(try await names(first))'s checklist: "
                    + progress.steps.map { "\($0.item.rawValue) \($0.isDone ? "✓" : "✗") (\($0.detail))" }
                    .joined(separator: "; "))
        }
        print("")
    }

    /// The feedback channel between leaders and the community manager: two organizers open
    /// items, four days later the community manager answers one, and the other shows as overdue.
    func showFeedbackChannel() async throws {
        print("Leader feedback channel")
        let organizers = organizersNewFirst([]).prefix(2)
        let topics = [
            ("A venue for next month's meetup", "Our usual café closes in November. Can the school help?"),
            ("Stickers for new members", "Could we get a box of stickers for the welcome table?"),
        ]
        var opened: [LeaderFeedback] = []
        for (organizer, topic) in zip(organizers, topics) {
            let item = try await gated.openFeedback(
                by: organizer.member, title: topic.0, body: topic.1, chapter: organizer.chapter)
            let chapter = community.chapters.first { $0.id == organizer.chapter }?.name ?? "\(organizer.chapter)"
            print("  \(try await names(organizer.member)) (\(chapter)) opened “\(item.title)”")
            opened.append(item)
        }
        clock.advance(by: 4 * 86_400)
        if let first = opened.first {
            let answered = try await gated.answerFeedback(
                first.id, by: staff, body: "The school's office can host you: book it through the venue form.")
            print(
                "  four days later \(try await names(staff)) answered “\(first.title)”: "
                    + "\(answered.answers.last?.body ?? "")")
        }
        let overdue = try await gated.overdueFeedback(olderThan: 3 * 86_400, by: staff)
        print("  overdue, open for more than 3 days: \(overdue.count)")
        for item in overdue.suffix(3) {
            print(
                "    “\(item.title)” from \(try await names(item.from)), opened "
                    + "\(LocalDate(item.openedAt, in: .utc))")
        }
        print("")
    }
}
