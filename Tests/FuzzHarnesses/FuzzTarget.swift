// The fuzz harnesses of issue 27: one per surface that reads outside input, each checking
// properties of what it gets back, not only that nothing traps. `community-fuzz` runs them,
// under libFuzzer when `scripts/fuzz` builds it, and over the checked-in corpus in the tests.
// Not a product.

/// A property a harness checks did not hold: the input and this message are a bug report.
package struct PropertyViolation: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}

/// Fails the input with `message` unless `condition` holds.
package func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(PropertyViolation) {
    if !condition { throw PropertyViolation(message()) }
}

/// One harness: a surface of the library, fed one input at a time.
package struct FuzzTarget: Sendable {
    /// The name `scripts/fuzz` and the corpus directory use.
    package var name: String
    /// What it feeds and what it checks, for `community-fuzz --list`.
    package var summary: String
    /// Runs one input; throws when a property does not hold. A trap is a crash libFuzzer reports.
    package var run: @Sendable ([UInt8]) throws(PropertyViolation) -> Void

    package init(
        name: String, summary: String, run: @escaping @Sendable ([UInt8]) throws(PropertyViolation) -> Void
    ) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

/// Every harness, by name.
package enum FuzzTargets {
    package static let all: [FuzzTarget] = [
        PayloadHarness.target, CheckpointHarness.target, RecordHarness.target, RendererHarness.target,
        DateHarness.target, ContentCheckerHarness.target, TeamFormationHarness.target, SurveyResultsHarness.target,
        CSVReaderHarness.target,
        SchoolFilesHarness.target,
    ]

    package static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
