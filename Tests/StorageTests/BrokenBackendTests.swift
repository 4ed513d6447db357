import Storage
import StorageTestKit
import Testing

/// The kit proves itself: for every check there is a deliberately broken backend that the check
/// catches and that every other check lets pass (DECISIONS.md, Foundation), except the checks
/// that rest on the same law (a create that never conflicts breaks keyed retries too).
@Suite("The kit on deliberately broken backends")
struct BrokenBackendTests {
    @Test("every check has exactly one broken backend of its own")
    func oneFlawPerCheck() {
        let caught = Flaw.allCases.map(\.caughtBy.name).sorted()
        #expect(caught == StorageConformance.checks.map(\.name).sorted())
    }

    @Test("the test backend passes every check when it has no flaw")
    func soundBackendPasses() async throws {
        let report = try await StorageConformance.run { FlawedStore(flaw: nil) }
        #expect(report.allPassed, "\(report)")
    }

    @Test("each flaw is caught by its own check and by no other", arguments: Flaw.allCases)
    func caughtByItsOwnCheckOnly(_ flaw: Flaw) async throws {
        let report = try await StorageConformance.run { FlawedStore(flaw: flaw) }
        let expected = Set(([flaw.caughtBy] + flaw.alsoCaughtBy).map(\.name))
        #expect(Set(report.failures.map(\.check)) == expected, "\(report)")
    }

    @Test("a lost update under concurrent writers is caught on every run, not by luck")
    func lostUpdateCaughtEveryTime() async throws {
        for _ in 1...10 {
            let failure = await #expect(throws: ConformanceFailure.self) {
                try await StorageConformance.run(
                    .concurrentWriters, on: FlawedStore(flaw: .checkThenWriteRace))
            }
            #expect(failure?.message.contains("updates were lost") == true, "\(String(describing: failure))")
        }
    }

    @Test("a failure names the call, what it returned and what was expected")
    func failuresSayWhatWasExpected() async throws {
        let report = try await StorageConformance.run([.rangeReads, .positionsAndOrdering, .largeBatch]) {
            FlawedStore(flaw: .timeRangeEndInclusive)
        }
        #expect(
            report.failures.map(\.message) == [
                "entries(matching: .stream(\"alice\"), in: 2025-01-01T00:10:00Z..<2025-01-01T00:40:00Z, after: 0, "
                    + "limit: 100) returned positions [1, 3, 5, 8], expected [1, 3, 8]"
            ])

        let ordering = try await StorageConformance.run([.positionsAndOrdering]) {
            FlawedStore(flaw: .logReadInIDOrder)
        }
        #expect(
            ordering.failures.map(\.message) == [
                "entries(after: 0, limit: 100) returned positions [5, 3, 2, 4, 1], expected [1, 2, 3, 4, 5]"
            ])

        let truncated = try await StorageConformance.run([.largeBatch]) {
            FlawedStore(flaw: .largeBatchTruncated)
        }
        #expect(
            truncated.failures.map(\.message) == [
                "the receipt of a batch of 100000 new entries listed 65535 appended and 0 skipped, expected 100000 "
                    + "appended and 0 skipped"
            ])
    }
}
