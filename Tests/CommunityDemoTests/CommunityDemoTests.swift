import Foundation
import PostgresStorage
import Testing

/// Runs the demo binary as a user would and checks what it prints.
@Suite("community-demo")
struct CommunityDemoTests {
    /// The built `community-demo` next to the test bundle.
    static func demoExecutable() throws -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("community-demo")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(
            .fileNoSuchFile, userInfo: [NSFilePathErrorKey: "community-demo near \(Bundle.main.bundleURL.path)"])
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try demoExecutable()
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    @Test("with no arguments it prints the summary of a community across at least 20 countries")
    func summary() throws {
        let result = try Self.run([])
        #expect(result.status == 0, "stderr: \(result.error)")
        for heading in [
            "Members by journey stage", "Members by country", "Boards each persona can see", "Events", "Last activity",
        ] {
            #expect(result.output.contains(heading))
        }
        let countries = result.output.split(separator: "\n").first { $0.hasPrefix("Members by country (") }
        let count = countries.flatMap { Int($0.drop { !$0.isNumber }.prefix { $0.isNumber }) } ?? 0
        #expect(count >= 20)
        #expect(result.output.contains("waitlist"))
    }

    @Test("two runs in two processes print exactly the same text")
    func deterministic() throws {
        let first = try Self.run(["--members", "120", "--weeks", "2"])
        let second = try Self.run(["--members", "120", "--weeks", "2"])
        #expect(first.status == 0)
        #expect(first.output == second.output)
    }

    @Test("--help explains the options, and a bad option is refused with a reason")
    func help() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--seed"))
        let bad = try Self.run(["--members", "lots"])
        #expect(bad.status == 64)
        #expect(bad.error.contains("--members takes a whole number"))
    }

    @Test("with --store sqlite:PATH a second run resumes the community the first run stored")
    func sqliteResumes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("community.sqlite").path
        try Self.expectResumes(["--store", "sqlite:\(path)"], place: path)
    }

    @Test(
        "with --store postgres:URL a second run resumes the community the first run stored",
        .enabled(
            if: ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"] != nil,
            "COMMUNITY_POSTGRES_URL is not set; run the PostgreSQL tests with: scripts/with-postgres swift test"))
    func postgresResumes() async throws {
        let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"]!
        let schema = "demo_" + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(12)
        try Self.expectResumes(
            ["--store", "postgres:\(url)", "--schema", schema], place: "PostgreSQL (schema \(schema))")
        try await PostgresStorage.removeSchema(.init(connection: url, schema: schema))
    }

    /// Runs the demo twice on one store: the first run starts a community, the second resumes it.
    static func expectResumes(_ store: [String], place: String) throws {
        let first = try Self.run(store + ["--members", "60", "--weeks", "1"])
        #expect(first.status == 0, "stderr: \(first.error)")
        #expect(first.output.contains("Starting a new community in \(place)"))
        let second = try Self.run(store + ["--weeks", "1"])
        #expect(second.status == 0, "stderr: \(second.error)")
        func entries(_ output: String) -> Int {
            output.split(separator: "\n").last { $0.hasPrefix("Activity log: ") }
                .flatMap { Int($0.dropFirst("Activity log: ".count).prefix { $0.isNumber }) } ?? 0
        }
        #expect(
            second.output.contains("Resuming the community stored in \(place): \(entries(first.output)) log entries"))
        #expect(entries(second.output) > entries(first.output))
        // The engagement projection continues from the checkpoint the first run saved.
        #expect(second.output.contains("Engagement: restored the checkpoint at position "))
    }
}
