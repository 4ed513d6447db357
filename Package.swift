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
        .library(name: "CommunitySimulation", targets: ["CommunitySimulation"]),
        .library(name: "Gamification", targets: ["Gamification"]),
        .library(name: "Guidelines", targets: ["Guidelines"]),
        .library(name: "Recognition", targets: ["Recognition"]),
        .executable(name: "community-demo", targets: ["CommunityDemo"]),
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
        .target(
            name: "CommunitySimulation", dependencies: ["CommunityModel", "Gamification", "Guidelines", "Storage"]),
        .target(name: "Gamification", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "Guidelines", dependencies: ["CommunityModel", "Storage"]),
        .target(name: "Recognition", dependencies: ["CommunityModel", "Gamification", "Guidelines", "Storage"]),
        .executableTarget(
            name: "CommunityDemo",
            dependencies: [
                "CommunityModel", "CommunitySimulation", "Gamification", "Guidelines", "PostgresStorage",
                "Recognition", "SQLiteStorage", "Storage",
            ]
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StorageTestKit"]),
        // A helper of the SQLite durability test: a writer that the test kills. Not a product.
        .executableTarget(
            name: "sqlite-kill-writer",
            dependencies: ["SQLiteStorage", "Storage"],
            path: "Tests/SQLiteKillWriter"
        ),
        .testTarget(
            name: "SQLiteStorageTests",
            dependencies: ["SQLiteStorage", "CSQLite", "Storage", "StorageTestKit", "sqlite-kill-writer"]
        ),
        .testTarget(
            name: "PostgresStorageTests",
            dependencies: ["PostgresStorage", "CPostgres", "Storage", "StorageTestKit"]
        ),
        .testTarget(
            name: "CommunityModelTests",
            dependencies: ["CommunityModel", "CommunitySimulation", "Storage", "StorageTestKit"]
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
                "Recognition", "CommunityModel", "CommunitySimulation", "Gamification", "Guidelines", "Storage",
            ]
        ),
        .testTarget(name: "CommunityDemoTests", dependencies: ["CommunityDemo", "PostgresStorage"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}
