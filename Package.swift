// swift-tools-version: 6.1
import PackageDescription

// The root package declares no package dependencies (the requester's rule).
// Strictness (warnings as errors) is applied by `.ci/run` on the command line, never in this manifest.

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LearningCommunity",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "StorageTestKit", targets: ["StorageTestKit"]),
        .library(name: "SQLiteStorage", targets: ["SQLiteStorage"]),
        .library(name: "PostgresStorage", targets: ["PostgresStorage"]),
        .library(name: "CommunityModel", targets: ["CommunityModel"]),
        .library(name: "CommunityChallenge", targets: ["CommunityChallenge"]),
        .library(name: "Surveys", targets: ["Surveys"]),
        .library(name: "Leadership", targets: ["Leadership"]),
        .library(name: "CommunitySimulation", targets: ["CommunitySimulation"]),
        .library(name: "Gamification", targets: ["Gamification"]),
        .library(name: "Guidelines", targets: ["Guidelines"]),
        .library(name: "Recognition", targets: ["Recognition"]),
        .library(name: "CommunityImport", targets: ["CommunityImport"]),
        .executable(name: "community-demo", targets: ["CommunityDemo"]),
        .executable(name: "community-import", targets: ["CommunityImportTool"]),
    ],
    targets: [
        .target(name: "Storage"),
        .target(name: "StorageTestKit", dependencies: ["Storage"]),
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]
        ),
        .target(name: "SQLiteStorage", dependencies: ["Storage", "CSQLite"]),
        .systemLibrary(
            name: "CPostgres",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(name: "PostgresStorage", dependencies: ["Storage", "CPostgres"]),
        .target(name: "CommunityModel", dependencies: ["Storage"]),
        .target(name: "CommunityChallenge", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "Surveys", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "Leadership", dependencies: ["CommunityModel", "Surveys", "Storage"]),
        .target(
            name: "CommunitySimulation",
            dependencies: [
                "CommunityChallenge", "CommunityImport", "CommunityModel", "Gamification", "Guidelines", "Storage",
            ]),
        .target(name: "Gamification", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "CommunityImport", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "Guidelines", dependencies: ["CommunityModel", "Storage"]),
        .target(
            name: "Recognition",
            dependencies: [
                "CommunityChallenge", "CommunityModel", "Gamification", "Guidelines", "Leadership", "Storage",
            ]),
        .executableTarget(
            name: "CommunityDemo",
            dependencies: [
                "CommunityChallenge", "CommunityModel", "CommunitySimulation", "Gamification", "Guidelines",
                "Leadership", "PostgresStorage", "Recognition", "SQLiteStorage", "Storage", "Surveys",
            ]
        ),
        .executableTarget(
            name: "CommunityImportTool",
            dependencies: ["CommunityImport", "CommunityModel", "PostgresStorage", "SQLiteStorage", "Storage"]
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StorageTestKit"]),
        // A helper of the SQLite durability test: a writer that the test kills. Not a product.
        .executableTarget(
            name: "sqlite-kill-writer",
            dependencies: ["SQLiteStorage", "Storage"],
            path: "Tests/SQLiteKillWriter"
        ),
        // A helper of the projection host's crash test: a host that the test kills. Not a product.
        .executableTarget(
            name: "projection-crash-host",
            dependencies: ["CommunityModel", "Gamification", "Leadership", "Recognition", "SQLiteStorage", "Storage"],
            path: "Tests/ProjectionCrashHost"
        ),
        .executableTarget(
            name: "log-feed-child",
            dependencies: ["PostgresStorage", "SQLiteStorage", "Storage"],
            path: "Tests/LogFeedChild"
        ),
        // A helper of the damaged-data tests: each scenario that trapped runs in a child. Not a product.
        .executableTarget(
            name: "trap-probe",
            dependencies: [
                "CSQLite", "CommunityChallenge", "CommunityModel", "CommunityTestSupport", "Gamification", "Guidelines",
                "Leadership", "Recognition", "SQLiteStorage", "Storage", "Surveys",
            ],
            path: "Tests/TrapProbe"
        ),
        // The fuzz harnesses (issue 27), one per surface, and what runs them: a libFuzzer binary when
        // `scripts/fuzz` builds it, a replay of the checked-in corpus otherwise. Not products.
        .target(
            name: "FuzzHarnesses",
            dependencies: [
                "CommunityChallenge", "CommunityImport", "CommunityModel", "CommunitySimulation",
                "CommunityTestSupport", "Gamification", "Guidelines", "Leadership", "Recognition", "Storage", "Surveys",
            ],
            path: "Tests/FuzzHarnesses"
        ),
        .executableTarget(
            name: "community-fuzz",
            dependencies: [
                "CommunityImport", "CommunityModel", "CommunitySimulation", "FuzzHarnesses", "Gamification",
                "Leadership", "Storage",
            ],
            path: "Tests/Fuzz",
            exclude: ["Corpus"]
        ),
        .testTarget(
            name: "SQLiteStorageTests",
            dependencies: [
                "SQLiteStorage", "CSQLite", "CommunityModel", "CommunityTestSupport", "Gamification", "Storage",
                "StorageTestKit", "log-feed-child", "sqlite-kill-writer",
            ]
        ),
        .testTarget(
            name: "PostgresStorageTests",
            dependencies: [
                "PostgresStorage", "CPostgres", "CommunityImport", "CommunityModel", "CommunitySimulation",
                "CommunityTestSupport", "Gamification", "Storage", "StorageTestKit", "Surveys", "log-feed-child",
            ]
        ),
        // What the community tests share: a community on an in-memory store and its builders. Not a product.
        .target(
            name: "CommunityTestSupport",
            dependencies: ["CommunityModel", "Gamification", "Recognition", "Storage", "StorageTestKit"],
            path: "Tests/CommunityTestSupport"
        ),
        .testTarget(
            name: "CommunityModelTests",
            dependencies: [
                "CommunityModel", "CommunitySimulation", "CommunityTestSupport", "Storage", "StorageTestKit",
                "community-fuzz", "trap-probe",
            ]
        ),
        .testTarget(
            name: "CommunityChallengeTests",
            dependencies: [
                "CommunityChallenge", "CommunityModel", "CommunitySimulation", "CommunityTestSupport", "Storage",
            ]
        ),
        // A helper of the import's kill test: an import that the test kills. Not a product.
        .executableTarget(
            name: "import-kill-child",
            dependencies: ["CommunityImport", "CommunityModel", "CommunitySimulation", "SQLiteStorage", "Storage"],
            path: "Tests/ImportKillChild"
        ),
        .testTarget(
            name: "CommunityImportTests",
            dependencies: [
                "CommunityImport", "CommunityModel", "CommunitySimulation", "CommunityTestSupport", "Gamification",
                "Leadership", "Recognition", "SQLiteStorage", "Storage", "StorageTestKit", "import-kill-child",
            ]
        ),
        .testTarget(
            name: "SurveysTests",
            dependencies: ["Surveys", "CommunityModel", "CommunityTestSupport", "Storage"]
        ),
        .testTarget(
            name: "LeadershipTests",
            dependencies: [
                "Leadership", "CommunityModel", "CommunitySimulation", "CommunityTestSupport", "Storage", "Surveys",
            ]
        ),
        .testTarget(
            name: "GamificationTests",
            dependencies: ["Gamification", "CommunityModel", "CommunitySimulation", "Storage"]
        ),
        .testTarget(
            name: "GuidelinesTests",
            dependencies: ["Guidelines", "CommunityModel", "CommunitySimulation", "Storage"]
        ),
        .testTarget(
            name: "RecognitionTests",
            dependencies: [
                "Recognition", "CommunityModel", "CommunitySimulation", "CommunityTestSupport", "Gamification",
                "Guidelines", "Leadership", "SQLiteStorage", "Storage", "projection-crash-host",
            ]
        ),
        // The authority model: a reference model and the differential test against every command.
        .testTarget(
            name: "AuthorityTests",
            dependencies: [
                "CommunityModel", "CommunityChallenge", "CommunitySimulation", "CommunityTestSupport", "Gamification",
                "Guidelines", "Leadership", "Recognition", "Storage", "StorageTestKit", "Surveys",
            ]
        ),
        // A member's data rights across every module: export, erasure, the raw-store scans.
        .testTarget(
            name: "DataRightsTests",
            dependencies: [
                "CPostgres", "CommunityChallenge", "CommunityDemo", "CommunityImport", "CommunityModel",
                "CommunitySimulation", "CommunityTestSupport", "Gamification", "Guidelines", "Leadership",
                "PostgresStorage", "Recognition", "SQLiteStorage", "Storage", "StorageTestKit", "Surveys",
            ]
        ),
        .testTarget(
            name: "CommunityDemoTests", dependencies: ["CommunityDemo", "CommunityTestSupport", "PostgresStorage"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}
