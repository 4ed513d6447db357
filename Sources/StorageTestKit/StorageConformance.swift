import Storage

/// The conformance suite every `DataStore` backend must pass.
///
/// Call it from your own tests, whatever the test framework: a failed check throws (or
/// reports) a ``ConformanceFailure`` that says what was expected and what was found.
///
/// ```swift
/// import StorageTestKit
/// import Testing
///
/// @Test(arguments: StorageConformance.checks)
/// func myStoreConforms(to check: StorageCheck) async throws {
///     try await StorageConformance.run(check, on: MyStore.temporary())
/// }
/// ```
///
/// Every check needs a store of its own, fresh and empty: checks never depend on each other
/// and the runner refuses a store that already holds something.
public enum StorageConformance {
    /// Every check, in a stable order: records first, then batches, the log, hostile input,
    /// and the two heavy ones (concurrent writers, a 100,000-entry batch) last.
    public static let checks: [StorageCheck] = [
        .recordRoundTrip,
        .versionConflicts,
        .atomicBatches,
        .keyedRetries,
        .malformedBatches,
        .deleteThenRecreate,
        .indexReads,
        .pageSizeLimits,
        .idempotentAppend,
        .positionsAndOrdering,
        .rangeReads,
        .subscriptions,
        .hostileStrings,
        .invalidNames,
        .concurrentWriters,
        .largeBatch,
    ]

    /// Runs one check on `store`, which must be fresh and empty.
    ///
    /// - Throws: ``ConformanceFailure`` naming the check, when the store breaks the contract,
    ///   throws where it should not, or is not empty to begin with.
    public static func run(_ check: StorageCheck, on store: any DataStore) async throws(ConformanceFailure) {
        do {
            let start = try await capture(store, "before the check")
            guard start.isEmpty else {
                throw Mismatch(
                    "the store handed to the check is not empty (\(start)); give every check a fresh store")
            }
            try await check.body(store)
        } catch let mismatch as Mismatch {
            throw ConformanceFailure(check: check.name, message: mismatch.message)
        } catch {
            throw ConformanceFailure(check: check.name, message: "the check stopped on \(describe(error))")
        }
    }

    /// Runs `checks` (all of them unless told otherwise) one after another, each on a fresh
    /// store from `makeStore`, and reports every failure, not only the first.
    ///
    /// ```swift
    /// let report = try await StorageConformance.run { try await MyStore.temporary() }
    /// try report.requireAllPassed()   // throws the report, listing failures by check
    /// ```
    ///
    /// - Throws: only what `makeStore` throws; failed checks are in the report.
    public static func run(
        _ checks: [StorageCheck] = StorageConformance.checks,
        makeStore: () async throws -> any DataStore
    ) async throws -> ConformanceReport {
        var report = ConformanceReport(passed: [], failures: [])
        for check in checks {
            let store = try await makeStore()
            do {
                try await run(check, on: store)
                report.passed.append(check.name)
            } catch {
                report.failures.append(error)
            }
        }
        return report
    }
}

/// One law of the storage contract, checked against a store.
///
/// The checks are listed in ``StorageConformance/checks`` and each is also a static member
/// (`.versionConflicts`, `.largeBatch`, …). Run one with ``StorageConformance/run(_:on:)``.
/// Checks are compared by name.
public struct StorageCheck: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// A stable identifier, such as `versionConflicts`.
    public let name: String
    /// What the check requires of a backend, in one sentence.
    public let summary: String
    let body: @Sendable (any DataStore) async throws -> Void

    init(name: String, summary: String, body: @escaping @Sendable (any DataStore) async throws -> Void) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    public var id: String { name }

    /// The check's name, so that test reports list checks by name.
    public var description: String { name }

    public static func == (lhs: StorageCheck, rhs: StorageCheck) -> Bool { lhs.name == rhs.name }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A check that failed: which one, and what it expected and found.
///
/// The message names the call and both values, for example
/// `entries(after: 3, limit: 100) returned positions [3, 4, 5], expected [4, 5]`.
public struct ConformanceFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The name of the failed ``StorageCheck``.
    public let check: String
    /// What was expected and what was found.
    public let message: String

    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "\(check): \(message)" }
}

/// The outcome of ``StorageConformance/run(_:makeStore:)``: which checks passed and how the
/// others failed.
public struct ConformanceReport: Error, Hashable, Sendable, CustomStringConvertible {
    /// The names of the checks that passed, in the order they ran.
    public var passed: [String]
    /// One failure per failed check, in the order they ran.
    public var failures: [ConformanceFailure]

    public init(passed: [String], failures: [ConformanceFailure]) {
        self.passed = passed
        self.failures = failures
    }

    /// Whether every check passed.
    public var allPassed: Bool { failures.isEmpty }

    /// Throws this report when any check failed.
    public func requireAllPassed() throws(ConformanceReport) {
        guard allPassed else { throw self }
    }

    /// "12 of 14 checks passed", then one line per failure.
    public var description: String {
        let total = passed.count + failures.count
        let lines = failures.map { "✘ \($0.check): \($0.message)" }
        return (["\(passed.count) of \(total) storage conformance checks passed"] + lines)
            .joined(separator: "\n")
    }
}
