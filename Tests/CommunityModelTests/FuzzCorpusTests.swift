import CommunityTestSupport
import Foundation
import Testing

/// The fuzz harnesses of issue 27 as part of the test suite: each harness replays its
/// checked-in corpus (`Tests/Fuzz/Corpus/TARGET`, the inputs libFuzzer found that reach new
/// code, and the inputs that once broke a property) through `community-fuzz`, a child process
/// so that a trap fails the test instead of the runner. `scripts/fuzz` runs the same harnesses
/// under libFuzzer; `.ci/run` does both.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    static let targets = [
        "activity-payload", "checkpoints", "records", "renderers", "dates", "content-checker", "team-formation",
        "survey-results", "csv-reader", "school-files",
    ]

    @Test("every harness has a corpus, and every corpus a harness")
    func corpusPerHarness() async throws {
        let listed = try await ChildProcess.run(try ChildProcess.executable(named: "community-fuzz"), ["--list"])
        let names = listed.output.split(separator: "\n").map { String($0.prefix { $0 != ":" }) }
        #expect(names == Self.targets)
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(directories == Self.targets.sorted())
    }

    @Test("each harness's corpus keeps its properties", arguments: targets)
    func replay(target: String) async throws {
        let directory = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(files.count >= 10, "\(target) has \(files.count) corpus inputs")
        let result = try await ChildProcess.run(
            try ChildProcess.executable(named: "community-fuzz"), ["replay", target, directory.path])
        #expect(result.status == 0, "\(result.error.suffix(2_000))")
        #expect(result.output.contains("\(target): \(files.count) inputs, 0 property failures"), "\(result.output)")
    }

    @Test("the harnesses' readers catch documents that break their rules")
    func selfCheck() async throws {
        let result = try await ChildProcess.run(try ChildProcess.executable(named: "community-fuzz"), ["self-check"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.split(separator: "\n").count >= 9 && !result.output.contains("passed"))
    }
}
