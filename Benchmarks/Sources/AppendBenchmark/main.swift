// Appends generated activity events to the SQLite backend through the library's public typed
// path, side by side with a raw-SQLite baseline on the same schema, and prints events/s and the
// ratio. See Benchmarks/README.md for the commands.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import RawSQLite
import SQLiteStorage
import Storage

struct Options {
    var events = 1_000_000
    var batches = [1_000, 10_000]
    var idStyles: [ActivityLogGenerator.IDStyle] = [.timeOrdered, .random]
    var load: Int?
    var directory = FileManager.default.temporaryDirectory.path

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        forEachOption(in: arguments) { argument, value in
            switch argument {
            case "--events": options.events = try number(value)
            case "--batches": options.batches = try value.split(separator: ",").map { try number(String($0)) }
            case "--ids":
                switch value {
                case "time": options.idStyles = [.timeOrdered]
                case "random": options.idStyles = [.random]
                case "both": options.idStyles = [.timeOrdered, .random]
                default: throw BenchmarkError("--ids takes time, random or both")
                }
            case "--load": options.load = try number(value)
            case "--directory": options.directory = value
            default: throw BenchmarkError("unknown option \(argument)")
            }
        }
        return options
    }

    static func number(_ text: String) throws -> Int { try positiveNumber(text) }
}

func freshPath(_ options: Options, _ name: String) -> String {
    let path = URL(fileURLWithPath: options.directory).appendingPathComponent(
        "bench-\(name)-\(UUID().uuidString).sqlite"
    ).path
    return path
}

func remove(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// The library's public typed path: encode each ActivityEvent, append a batch.
func runLibrary(_ events: [ActivityEvent], batch: Int, path: String) async throws -> Duration {
    let store = try await SQLiteStorage.open(path: path)
    let clock = ContinuousClock()
    let start = clock.now
    var index = 0
    while index < events.count {
        let end = min(index + batch, events.count)
        let entries = try events[index..<end].map { try $0.logEntry() }
        try await store.append(entries)
        index = end
    }
    let elapsed = clock.now - start
    guard try await store.head() == UInt64(events.count) else { throw BenchmarkError("library stored a wrong count") }
    return elapsed
}

func runRaw(_ rows: [PreparedRow], batch: Int, path: String) throws -> Duration {
    let baseline = try RawBaseline(path: path)
    let clock = ContinuousClock()
    let start = clock.now
    var index = 0
    while index < rows.count {
        let end = min(index + batch, rows.count)
        try baseline.append(rows[index..<end])
        index = end
    }
    return clock.now - start
}

let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))

if let total = options.load {
    // Load a whole generated school through the library, chunk by chunk.
    let scale = ActivityLogGenerator.Scale(events: total)
    var generator = ActivityLogGenerator(scale: scale)
    let path = freshPath(options, "load")
    let store = try await SQLiteStorage.open(path: path)
    let clock = ContinuousClock()
    let wall = clock.now
    var appending = Duration.zero
    var chunk: [ActivityEvent] = []
    chunk.reserveCapacity(10_000)
    var loaded = 0
    while true {
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < 10_000, let event = generator.next() { chunk.append(event) }
        if chunk.isEmpty { break }
        let start = clock.now
        try await store.append(try chunk.map { try $0.logEntry() })
        appending += clock.now - start
        loaded += chunk.count
    }
    let head = try await store.head()
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print(
        "load: \(format(Double(loaded))) events of \(scale.members) members, \(scale.countries) countries, \(scale.chapters) chapters"
    )
    print(
        "load: appending took \(appending), \(format(rate(loaded, appending))) events/s; wall time with generation \(clock.now - wall)"
    )
    print("load: log head \(head), database \(size / 1_000_000) MB")
    remove(path)
    exit(0)
}

print(
    "append benchmark: \(format(Double(options.events))) events, batches \(options.batches), SQLite synchronous=FULL, WAL"
)
for style in options.idStyles {
    let styleName = style == .timeOrdered ? "time-ordered ids" : "random (v4) ids"
    let (events, rows) = try generate(options.events, idStyle: style)
    for batch in options.batches {
        let rawPath = freshPath(options, "raw")
        let libraryPath = freshPath(options, "library")
        defer {
            remove(rawPath)
            remove(libraryPath)
        }
        let raw = try runRaw(rows, batch: batch, path: rawPath)
        let library = try await runLibrary(events, batch: batch, path: libraryPath)
        let rawRate = rate(events.count, raw)
        let libraryRate = rate(events.count, library)
        print(
            "\(styleName), batch \(format(Double(batch))): raw \(format(rawRate)) events/s, library \(format(libraryRate)) events/s, ratio \(String(format: "%.2f", libraryRate / rawRate))"
        )
    }
}
