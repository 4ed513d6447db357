import Foundation
import SQLiteStorage
import Storage
import Testing

/// Acknowledged means durable: a writer killed with SIGKILL at a random moment loses nothing it
/// acknowledged and leaves no batch in part.
@Suite("SQLite durability")
struct DurabilityTests {
    static func writerExecutable() throws -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("sqlite-kill-writer")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "sqlite-kill-writer"])
    }

    @Test("25 writers killed at random moments lose no acknowledged batch and leave none in part")
    func killedWriters() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let executable = try Self.writerExecutable()
        var random = SeededGenerator(seed: 2026)
        var acknowledged: Set<Int> = []
        var nextBatch = 0
        for _ in 0..<25 {
            let process = Process()
            process.executableURL = executable
            process.arguments = [database.path, String(nextBatch)]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...250, using: &random)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let acks = text.split(separator: "\n").compactMap { $0.hasPrefix("ACK ") ? Int($0.dropFirst(4)) : nil }
            acknowledged.formUnion(acks)
            nextBatch = (acks.max() ?? nextBatch) + 1_000
        }
        #expect(acknowledged.count >= 25, "the writers should have acknowledged batches before being killed")

        let store = try await SQLiteStorage.open(path: database.path)
        let entries = try await store.allEntries()
        let batches = Dictionary(grouping: entries, by: \.entry.stream)
        for number in acknowledged.sorted() {
            #expect(batches["batch-\(number)"]?.count == 50, "acknowledged batch \(number) is not there whole")
        }
        for (stream, parts) in batches.sorted(by: { $0.key < $1.key }) {
            #expect(parts.count == 50, "\(stream) is there in part: \(parts.count) of 50 entries")
        }
        let positions = entries.map(\.position)
        #expect(positions == Array(1...UInt64(entries.count)), "positions have gaps")
        let counter = try #require(try await store.record(RecordKey(collection: "counters", id: "batches")))
        #expect(Int(counter.version) == batches.count, "the counter record and the log disagree")
    }
}
