// swift-tools-version: 6.1
import PackageDescription

// The benchmarks' own package, beside the library so that a benchmark harness never becomes a
// dependency of the library. Benchmark targets (depending on `path: ".."` and on a harness)
// arrive with the storage backends; see README.md.
let package = Package(
    name: "LearningCommunityBenchmarks",
    platforms: [.macOS(.v15)],
    targets: []
)
