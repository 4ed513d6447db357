import Foundation

/// Runs a program as a child process and collects what it prints, on a thread of its own: the
/// waiting never holds one of the cooperative pool's threads (two on a 2-core machine), so other
/// tests keep running while a child works for seconds.
package enum ChildProcess {
    package struct Result: Sendable {
        package var status: Int32
        package var output: String
        package var error: String
    }

    /// The executable product `name` the package built beside the running test bundle.
    package static func executable(named name: String) throws -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name) near \(Bundle.main.bundleURL.path)"])
    }

    /// Runs `executable` with `arguments` in `directory` (the current one when nil) and the given
    /// environment (this process's when nil); with `killAfter`, sends SIGKILL after that long.
    package static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        killAfter delay: Duration? = nil
    ) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        if let delay {
            try await Task.sleep(for: delay)
            kill(process.processIdentifier, SIGKILL)
        }
        let outHandle = output.fileHandleForReading
        let errHandle = error.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                // stderr is small (far less than a pipe holds), so reading stdout first cannot stall.
                let out = outHandle.readDataToEndOfFile()
                let err = errHandle.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: Result(
                        status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                        error: String(decoding: err, as: UTF8.self)))
            }
        }
    }
}
