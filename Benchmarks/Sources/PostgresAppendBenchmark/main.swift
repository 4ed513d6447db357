// Appends generated activity events to PostgreSQL through PostgresStorage, side by side with a
// raw-libpq baseline on the same tables, prints events/s and the ratio, then the time to read the
// whole log forward. Run it under scripts/with-postgres; see Benchmarks/README.md.
import BenchmarkSupport
import CommunityModel
import Foundation
import PostgresStorage
import RawPostgres
import Storage

struct Options {
    var events = 1_000_000
    var batch = 10_000
    var methods = RawPostgresBaseline.Method.allCases
    var rounds = 2
    var url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"]

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        forEachOption(in: arguments) { argument, value in
            switch argument {
            case "--events": options.events = try positiveNumber(value)
            case "--batch": options.batch = try positiveNumber(value)
            case "--baseline":
                guard let method = RawPostgresBaseline.Method(rawValue: value) else {
                    throw BenchmarkError("--baseline takes copy or insert")
                }
                options.methods = [method]
            case "--rounds": options.rounds = try positiveNumber(value)
            case "--url": options.url = value
            default: throw BenchmarkError("unknown option \(argument)")
            }
        }
        return options
    }
}

func schemaName(_ role: String) -> String {
    "bench_\(role)_" + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8)
}

let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
guard let url = options.url else {
    throw BenchmarkError(
        "no server: run it as scripts/with-postgres Benchmarks/.build/release/postgres-append-benchmark")
}
let clock = ContinuousClock()
let (events, rows) = try generate(options.events, idStyle: .timeOrdered)
print(
    "postgres append benchmark: \(format(Double(events.count))) events in batches of \(format(Double(options.batch))), "
        + "time-ordered ids")

/// One timed run of a raw baseline into a fresh schema; returns events/s.
func runBaseline(_ method: RawPostgresBaseline.Method) async throws -> Double {
    let schema = schemaName("raw_\(method.rawValue)")
    let baseline = try RawPostgresBaseline(url: url, schema: schema)
    RawPostgresBaseline.checkpoint(url: url)
    let start = clock.now
    var index = 0
    while index < rows.count {
        let end = min(index + options.batch, rows.count)
        try baseline.append(rows[index..<end], firstPosition: Int64(index + 1), method: method)
        index = end
    }
    let elapsed = clock.now - start
    try await PostgresStorage.removeSchema(.init(connection: url, schema: schema))
    print("  raw libpq, \(method.rawValue): \(format(rate(rows.count, elapsed))) events/s (\(elapsed))")
    return rate(rows.count, elapsed)
}

/// One timed run of the library into a fresh schema; returns events/s and the store (kept for
/// the read test of the last round).
func runLibrary() async throws -> (Double, PostgresStorage.Configuration) {
    let configuration = PostgresStorage.Configuration(connection: url, schema: schemaName("library"))
    let store = try await PostgresStorage.open(configuration)
    RawPostgresBaseline.checkpoint(url: url)
    let start = clock.now
    var index = 0
    while index < events.count {
        let end = min(index + options.batch, events.count)
        try await store.append(try events[index..<end].map { try $0.logEntry() })
        index = end
    }
    let elapsed = clock.now - start
    guard try await store.head() == UInt64(events.count) else {
        throw BenchmarkError("the library stored a wrong count")
    }
    print("  library (PostgresStorage.append): \(format(rate(events.count, elapsed))) events/s (\(elapsed))")
    return (rate(events.count, elapsed), configuration)
}

// Round 1 warms the server (WAL files, caches) as much for one side as for the other; the
// ratio of each round is printed, and the last round's is the figure to quote.
var lastLibrary: PostgresStorage.Configuration?
for round in 1...options.rounds {
    print("round \(round)")
    var best: (RawPostgresBaseline.Method, Double)?
    for method in options.methods {
        let baselineRate = try await runBaseline(method)
        if best == nil || baselineRate > best!.1 { best = (method, baselineRate) }
    }
    if let previous = lastLibrary { try await PostgresStorage.removeSchema(previous) }
    let (libraryRate, configuration) = try await runLibrary()
    lastLibrary = configuration
    print(
        "  ratio library / fastest baseline (\(best!.0.rawValue)): \(String(format: "%.2f", libraryRate / best!.1))")
}

let store = try await PostgresStorage.open(lastLibrary!)
let readStart = clock.now
var cursor: UInt64 = 0
var read = 0
while true {
    let page = try await store.entries(after: cursor, limit: StorageLimits.maximumPageSize)
    guard let last = page.last else { break }
    read += page.count
    cursor = last.position
}
let readTime = clock.now - readStart
guard read == events.count else { throw BenchmarkError("read \(read) of \(events.count) entries") }
print(
    "read forward: \(format(Double(read))) entries in pages of \(StorageLimits.maximumPageSize) in \(readTime), "
        + "\(format(rate(read, readTime))) entries/s")
if let size = RawPostgresBaseline.totalSize(
    url: url, table: "\(PostgresSchema.quoted(lastLibrary!.schema)).entries")
{
    print("entries table with its indexes: \(size / 1_000_000) MB, \(size / read) bytes an entry")
}
try await PostgresStorage.removeSchema(lastLibrary!)
