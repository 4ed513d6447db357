import Foundation
import Storage
import StorageTestKit
import Synchronization
import Testing

/// How an integrator uses StorageTestKit: hand it a way to make fresh stores, read the report.
@Suite("Storage conformance, as an integrator uses it")
struct StorageConformanceScenarioTests {
    @Test("an integrator runs the kit against their backend and learns which law it breaks, and how")
    func integratorRunsTheKit() async throws {
        // A backend that keeps the contract passes every check, each on a fresh store.
        let report = try await StorageConformance.run { InMemoryStore() }
        #expect(report.allPassed, "\(report)")
        #expect(report.passed == StorageConformance.checks.map(\.name))

        // A backend whose "create" quietly overwrites an existing record is caught by the check
        // for version conflicts, which says what it did and what it should have done.
        let broken = try await StorageConformance.run([.recordRoundTrip, .versionConflicts]) {
            FlawedStore(flaw: .createOverwritesExistingRecord)
        }
        #expect(broken.passed == ["recordRoundTrip"])
        #expect(
            broken.failures == [
                ConformanceFailure(
                    check: "versionConflicts",
                    message:
                        "a create (.absent) of accounts/acct-1, which exists at version 1 succeeded, expected it "
                        + "to throw StorageError.versionConflict(\"accounts\"/\"acct-1\", expected: no record, "
                        + "actual: version 1)")
            ])
        #expect(throws: ConformanceReport.self) { try broken.requireAllPassed() }
    }
}

@Suite("The in-memory store")
struct InMemoryStoreConformanceTests {
    @Test("keeps every law of the storage contract", arguments: StorageConformance.checks)
    func keepsTheContract(_ check: StorageCheck) async throws {
        try await StorageConformance.run(check, on: InMemoryStore())
    }
}

@Suite("The conformance runner")
struct ConformanceRunnerTests {
    @Test("every check gets a fresh store of its own")
    func freshStorePerCheck() async throws {
        let made = Mutex(0)
        let report = try await StorageConformance.run([.recordRoundTrip, .indexReads, .rangeReads]) {
            made.withLock { $0 += 1 }
            return InMemoryStore()
        }
        #expect(report.allPassed, "\(report)")
        #expect(made.withLock { $0 } == 3)
    }

    @Test("a store that already holds data is refused rather than checked")
    func nonEmptyStoreRefused() async throws {
        let store = InMemoryStore()
        try await store.append([LogEntry(id: EntryID(UUID()), stream: "s", kind: "k", time: .distantPast)])
        let failure = await #expect(throws: ConformanceFailure.self) {
            try await StorageConformance.run(.recordRoundTrip, on: store)
        }
        #expect(failure?.check == "recordRoundTrip")
        #expect(
            failure?.message.contains("is not empty (0 records in 0 collections, head 1, 1 entry)") == true)
    }

    @Test("checks are listed once each, by a unique name, with a summary")
    func checksAreListed() {
        let names = StorageConformance.checks.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(StorageConformance.checks.allSatisfy { !$0.summary.isEmpty && $0.description == $0.name })
    }

    @Test("a report lists how many checks passed and one line per failure")
    func reportDescription() {
        let report = ConformanceReport(
            passed: ["recordRoundTrip"],
            failures: [ConformanceFailure(check: "largeBatch", message: "head() is 65535, expected 100000")])
        #expect(
            report.description == """
                1 of 2 storage conformance checks passed
                ✘ largeBatch: head() is 65535, expected 100000
                """)
    }
}
