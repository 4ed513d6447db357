// swift-tools-version: 6.1
import PackageDescription

// The benchmarks' own package, beside the library so that a benchmark harness never becomes a
// dependency of the library. It names the root package explicitly, so a clone in a folder of
// any name works.
let package = Package(
    name: "LearningCommunityBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LearningCommunity", path: "..")
    ],
    targets: [
        // The raw-SQLite baseline talks to the C API directly.
        .systemLibrary(name: "CSQLiteBaseline", providers: [.apt(["libsqlite3-dev"])]),
        // The raw-libpq baseline talks to libpq directly.
        .systemLibrary(name: "CPostgresBaseline", providers: [.apt(["libpq-dev"])]),
        // What both append benchmarks share: fixtures, rates, number formatting.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "Storage", package: "LearningCommunity"),
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Leadership", package: "LearningCommunity"),
            ]
        ),
        // The raw-libpq baseline, shared by the PostgreSQL append and import benchmarks.
        .target(
            name: "RawPostgres",
            dependencies: [
                "BenchmarkSupport",
                "CPostgresBaseline",
                .product(name: "PostgresStorage", package: "LearningCommunity"),
            ]
        ),
        .executableTarget(
            name: "postgres-append-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "RawPostgres",
                .product(name: "PostgresStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
                .product(name: "CommunityModel", package: "LearningCommunity"),
            ],
            path: "Sources/PostgresAppendBenchmark"
        ),
        .executableTarget(
            name: "command-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "Gamification", package: "LearningCommunity"),
                .product(name: "SQLiteStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/CommandBenchmark"
        ),
        .executableTarget(
            name: "engagement-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Leadership", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/EngagementBenchmark"
        ),
        .executableTarget(
            name: "leaderboard-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Gamification", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/LeaderboardBenchmark"
        ),
        .executableTarget(
            name: "guidelines-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Guidelines", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/GuidelinesBenchmark"
        ),
        .executableTarget(
            name: "challenge-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityChallenge", package: "LearningCommunity"),
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
            ],
            path: "Sources/ChallengeBenchmark"
        ),
        .executableTarget(
            name: "badge-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Recognition", package: "LearningCommunity"),
            ],
            path: "Sources/BadgeBenchmark"
        ),
        .executableTarget(
            name: "value-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Leadership", package: "LearningCommunity"),
            ],
            path: "Sources/ValueBenchmark"
        ),
        .executableTarget(
            name: "host-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "Gamification", package: "LearningCommunity"),
                .product(name: "Leadership", package: "LearningCommunity"),
                .product(name: "Recognition", package: "LearningCommunity"),
                .product(name: "SQLiteStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/HostBenchmark"
        ),
        // The raw-SQLite baseline, shared by the append and import benchmarks.
        .target(
            name: "RawSQLite",
            dependencies: [
                "BenchmarkSupport",
                "CSQLiteBaseline",
                .product(name: "SQLiteStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ]
        ),
        .executableTarget(
            name: "import-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "RawPostgres",
                "RawSQLite",
                .product(name: "CommunityImport", package: "LearningCommunity"),
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
                .product(name: "PostgresStorage", package: "LearningCommunity"),
                .product(name: "SQLiteStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
            ],
            path: "Sources/ImportBenchmark"
        ),
        .executableTarget(
            name: "append-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "RawSQLite",
                .product(name: "SQLiteStorage", package: "LearningCommunity"),
                .product(name: "Storage", package: "LearningCommunity"),
                .product(name: "CommunityModel", package: "LearningCommunity"),
                .product(name: "CommunitySimulation", package: "LearningCommunity"),
            ],
            path: "Sources/AppendBenchmark"
        ),
    ],
    swiftLanguageModes: [.v6]
)
