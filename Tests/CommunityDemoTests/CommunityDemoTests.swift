import CommunityTestSupport
import Foundation
import PostgresStorage
import Testing

/// Runs the demo binary as a user would, with README's commands and their default options, and
/// checks what it prints: one line from every section, the same text in two processes, and
/// nothing written outside the store unless asked.
@Suite("community-demo")
struct CommunityDemoTests {
    /// Runs the demo in `directory` (a fresh empty folder by default, also its TMPDIR), so a test
    /// can see every file it writes; the waiting happens off the cooperative pool.
    static func run(_ arguments: [String], in directory: URL? = nil) async throws -> (
        status: Int32, output: String, error: String
    ) {
        let folder = try directory ?? Self.emptyFolder()
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = folder.path
        let result = try await ChildProcess.run(
            try ChildProcess.executable(named: "community-demo"), arguments, in: folder, environment: environment)
        return (result.status, result.output, result.error)
    }

    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The lines of one section: from its heading to the next empty line.
    static func section(_ heading: String, of output: String) -> [Substring] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        let end = lines[start...].firstIndex(where: \.isEmpty) ?? lines.endIndex
        return Array(lines[start..<end])
    }

    @Test("with no arguments it shows every capability, one section each, and writes no file")
    func everySection() async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.run([], in: folder)
        #expect(result.status == 0, "stderr: \(result.error)")
        let out = result.output
        func expectLine(in heading: String, _ test: (Substring) -> Bool, _ what: String) {
            let lines = Self.section(heading, of: out)
            #expect(!lines.isEmpty, "no section “\(heading)”")
            let found = lines.contains(where: test)
            #expect(found, "section “\(heading)” has no line with \(what)")
        }
        func expectLine(in heading: String, containing text: String) {
            expectLine(in: heading, { $0.contains(text) }, "“\(text)”")
        }
        // The community, its boards and events.
        let countries = out.split(separator: "\n").first { $0.hasPrefix("Members by country (") }
        #expect((countries.flatMap { Int($0.drop { !$0.isNumber }.prefix { $0.isNumber }) } ?? 0) >= 20)
        expectLine(in: "Members by journey stage", containing: "alumnus")
        expectLine(in: "Boards each persona can see", containing: "staff")
        expectLine(in: "Events", containing: "waitlist")
        expectLine(in: "Events", containing: "events in one calendar file")
        expectLine(in: "Engagement: ", containing: "percentile")
        expectLine(in: "Notifications a notifier", containing: "answered your question")
        expectLine(in: "Notifications a notifier", containing: "in all: ")
        expectLine(in: "Organizer pipeline", containing: "→ active")
        // Leaders: the gate, the checker, onboarding, compliance, the feedback channel.
        expectLine(in: "Guidelines 1.0", containing: "refused: ")
        expectLine(in: "Guidelines 1.0", containing: "Without the outside link: passes")
        expectLine(in: "Onboarding of leaders", containing: "training “Running your first meetup”")
        expectLine(in: "Onboarding of leaders", containing: "FAQ search “book a venue for our meetup”: “How do I book")
        expectLine(in: "Onboarding of leaders", containing: "attendTraining ✓")
        expectLine(
            in: "Organizer compliance",
            { $0.contains("✓ met") && !$0.contains("posts 0 ") }, "an organizer who met their duties, posts included")
        expectLine(in: "Leader feedback channel", containing: "opened “")
        expectLine(in: "Leader feedback channel", containing: "four days later")
        expectLine(in: "Leader feedback channel", containing: "overdue, open for more than 3 days: 1")
        // Insights: threads of the same title carry their board.
        expectLine(in: "Top conversations", containing: "” on ")
        // Gamification and moderation.
        expectLine(in: "Leaderboard, all time", containing: "1. ")
        #expect(Self.section("Leaderboard of ", of: out).first?.hasSuffix("this week") == true)
        #expect(out.contains(", this month\n  1. "))
        expectLine(in: "Why ", containing: "homework streak")
        expectLine(in: "Content moderation", containing: "reported it: “")
        expectLine(in: "Content moderation", containing: "1 open report upheld")
        expectLine(
            in: "Content moderation",
            { $0.contains("what it took back: ") && !$0.contains("took back: 0 ") }, "points taken back")
        // Purpose.
        expectLine(in: "Community Challenge", containing: "winners: ")
        expectLine(in: "Survey: ", containing: "overall: NPS ")
        // Recognition.
        expectLine(in: "Badges: ", containing: "Open Badges 2.0 assertion of")
        expectLine(in: "Badges: ", containing: "callout for X")
        expectLine(in: "Recognition", containing: "spotlights of ")
        expectLine(in: "Recognition", containing: "benchmark members of 2026-09")
        expectLine(
            in: "Recognition", { $0.contains("checked in homework on") && $0.contains("(score ") }, "a benchmark member"
        )
        expectLine(in: "Recognition", containing: "staff pick")
        expectLine(in: "Recognition", containing: "member card of ")
        expectLine(in: "Recognition", containing: "it verifies; with the achievement changed it does not verify")
        expectLine(in: "Recognition", containing: "waitlist: ")
        expectLine(in: "Recognition", containing: "thank-you notes for ")
        expectLine(
            in: "Newsletter", { !$0.contains(": 0 upcoming events") && $0.contains("upcoming events") }, "events")
        // Winning teams are named by number and members, never by an internal id.
        expectLine(in: "Newsletter", containing: "the winners are team 4 (")
        #expect(!out.contains("team 01"))
        // Lifelong value: someone could answer a waiting question; the newcomer has a name.
        let questions = Self.section("Questions waiting for an answer", of: out)
        #expect(questions.dropFirst().first?.contains(", answered ") == true, "\(questions)")
        #expect(out.contains("signed up with it"))
        #expect(!Self.section("Last activity", of: out).contains { $0.contains("former member") })
        #expect(out.contains("Value report talking points"))
        #expect(out.contains("\nActivity log: "))
        // Without --out nothing is written, not even to the temporary folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("two runs in two processes print exactly the same text")
    func deterministic() async throws {
        let first = try await Self.run([])
        let second = try await Self.run([])
        #expect(first.status == 0)
        #expect(first.output == second.output)
    }

    @Test("--help explains the options, and a bad option is refused with a reason")
    func help() async throws {
        let help = try await Self.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--seed"))
        #expect(help.output.contains("--out DIR"))
        let bad = try await Self.run(["--members", "lots"])
        #expect(bad.status == 64)
        #expect(bad.error.contains("--members takes a whole number"))
        let noFolder = try await Self.run(["--out"])
        #expect(noFolder.status == 64)
        #expect(noFolder.error.contains("--out needs a folder"))
    }
}
