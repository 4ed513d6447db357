// Imports the generated school (650,000 members with their joins, enrolments, completions and
// chapters, and 10,000,000 history entries) through the import API into SQLite (and, with
// `--store postgres`, PostgreSQL), with the raw baselines on the same schema in the same run: the
// C API inserting the same number of entries without the log's secondary indexes (built at the
// end) and with them. See Benchmarks/README.md for the commands.
import BenchmarkSupport
import CommunityImport
import CommunityModel
import CommunitySimulation
import Foundation
import PostgresStorage
import RawPostgres
import RawSQLite
import SQLiteStorage
import Storage

struct Options {
    var members = 650_000
    var events = 10_000_000
    var stores = ["sqlite"]
    var chunk = CommunityImporter.Options().chunkSize
    /// The page cache, in MiB (default: the library's `bulkLoad` configuration's).
    /// How many rows to write as CSV files and read back through `SchoolFiles`, timed apart
    /// (0: none).
    var parse = 1_000_000
    /// Whether the library imports (no: the raw baselines alone).
    var library = true
    var cacheMiB = (SQLiteStorage.Configuration.bulkLoad.pageCacheKibibytes ?? 2_048) / 1_024
    /// Which raw baselines run: both, the bulk one (indexes built after) alone, or none.
    var raw = "both"
    var directory = FileManager.default.temporaryDirectory.path
}

let options: Options = {
    var options = Options()
    forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
        switch name {
        case "--members": options.members = try positiveNumber(value)
        case "--events": options.events = try positiveNumber(value)
        case "--chunk": options.chunk = try positiveNumber(value)
        case "--store":
            switch value {
            case "sqlite", "postgres": options.stores = [value]
            case "both": options.stores = ["sqlite", "postgres"]
            default: throw BenchmarkError("--store takes sqlite, postgres or both")
            }
        case "--raw":
            guard ["both", "bulk", "no"].contains(value) else { throw BenchmarkError("--raw takes both, bulk or no") }
            options.raw = value
        case "--cache-mib": options.cacheMiB = try positiveNumber(value)
        case "--parse":
            guard let rows = Int(value), rows >= 0 else { throw BenchmarkError("--parse takes a number of rows") }
            options.parse = rows
        case "--library":
            guard ["yes", "no"].contains(value) else { throw BenchmarkError("--library takes yes or no") }
            options.library = value == "yes"
        case "--directory": options.directory = value
        default: throw BenchmarkError("unknown option \(name)")
        }
    }
    return options
}()

let scale = ActivityLogGenerator.Scale(members: options.members, events: options.events)
let clock = ContinuousClock()

func freshPath(_ name: String) -> String {
    URL(fileURLWithPath: options.directory).appendingPathComponent("bench-\(name)-\(UUID().uuidString).sqlite").path
}

func remove(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

func fileSize(_ path: String) -> Int {
    ["", "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: path + $1)[.size] as? Int) ?? 0) }
}

/// Makes `entries` of the generated log as a raw baseline binds them, a chunk at a time before
/// the clock runs, and times `insert` on transactions of `--chunk` rows.
func timedInserts(of entries: Int, _ insert: (ArraySlice<PreparedRow>) throws -> Void) throws -> Duration {
    var generator = ActivityLogGenerator(scale: .init(members: scale.members, events: entries))
    var elapsed = Duration.zero
    var chunk: [PreparedRow] = []
    while true {
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < max(100_000, options.chunk), let event = generator.next() {
            let entry = try event.logEntry()
            chunk.append(
                PreparedRow(
                    id: entry.id.bytes, stream: entry.stream, subject: entry.subject, kind: entry.kind,
                    time: entry.time.millisecondsSince1970, payload: entry.payload))
        }
        if chunk.isEmpty { return elapsed }
        let start = clock.now
        var index = chunk.startIndex
        while index < chunk.endIndex {
            let end = min(index + options.chunk, chunk.endIndex)
            try insert(chunk[index..<end])
            index = end
        }
        elapsed += clock.now - start
    }
}

/// The raw C API: as many entries as the import appends (the members' joins and the history),
/// prepared a chunk at a time before the clock runs, inserted in transactions of `--chunk` rows
/// (as many as the library's import commits at a time).
func runRaw(withoutIndexes: Bool, entries: Int) throws -> (insert: Duration, indexes: Duration) {
    let path = freshPath(withoutIndexes ? "raw-bulk" : "raw-indexed")
    defer { remove(path) }
    let baseline = try RawBaseline(
        path: path, withoutLogIndexes: withoutIndexes,
        pageCacheKibibytes: options.cacheMiB * 1_024,
        synchronous: SQLiteStorage.Configuration.bulkLoad.synchronous)
    let inserting = try timedInserts(of: entries) { rows in try baseline.append(rows) }
    var indexing = Duration.zero
    if withoutIndexes {
        let start = clock.now
        try baseline.buildLogIndexes()
        indexing = clock.now - start
    }
    return (inserting, indexing)
}

/// The raw libpq baseline: the same entries as `runRaw`, sent with binary `COPY` in transactions
/// of `--chunk` rows, without the log's secondary indexes (built at the end) or with them.
func runRawPostgres(url: String, withoutIndexes: Bool, entries: Int) throws -> Duration {
    let schema = "import_raw_\(withoutIndexes ? "bulk" : "indexed")_\(UInt32.random(in: 0...UInt32.max))"
    let baseline = try RawPostgresBaseline(url: url, schema: schema, withoutLogIndexes: withoutIndexes)
    defer { try? baseline.dropSchema() }
    RawPostgresBaseline.checkpoint(url: url)
    var position: Int64 = 1
    var elapsed = try timedInserts(of: entries) { rows in
        try baseline.append(rows, firstPosition: position, method: .copy)
        position += Int64(rows.count)
    }
    if withoutIndexes {
        let start = clock.now
        try baseline.buildLogIndexes()
        elapsed += clock.now - start
    }
    return elapsed
}

struct ImportRun {
    var importing: Duration
    var finishing: Duration
    var generating: Duration
    var report: ImportReport
    var head: UInt64
}

/// The library: rows made a chunk at a time outside the clock, then `add` and `finish` timed.
func runImport(into store: any DataStore) async throws -> ImportRun {
    // The history runs through 2026: the community's clock stands after it.
    let service = CommunityService(
        store: store, clock: ManualClock(scale.start.addingTimeInterval(Double(scale.days + 30) * 86_400)))
    var rows = SchoolHistoryGenerator(scale: scale)
    var importing = Duration.zero
    var generating = Duration.zero
    var started = clock.now
    let importer = try await CommunityImporter.begin(
        "generated-school", into: service, options: CommunityImporter.Options(chunkSize: options.chunk))
    importing += clock.now - started
    var chunk: [ImportRow] = []
    chunk.reserveCapacity(100_000)
    while true {
        started = clock.now
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < 100_000, let row = rows.next() { chunk.append(row) }
        generating += clock.now - started
        if chunk.isEmpty { break }
        started = clock.now
        try await importer.add(chunk)
        importing += clock.now - started
    }
    started = clock.now
    let report = try await importer.finish()
    let finishing = clock.now - started
    return ImportRun(
        importing: importing, finishing: finishing, generating: generating, report: report,
        head: try await store.head())
}

func describe(_ run: ImportRun, raw: (bulk: Duration, indexed: Duration?)?, rawName: String = "raw C API") {
    let total = run.importing + run.finishing
    print(
        "  library: \(format(Double(run.report.imported))) rows, \(format(Double(run.report.entries))) entries "
            + "(log head \(run.head)), \(run.report.rejections.count) rejected, in \(seconds(total)) s "
            + "(\(String(format: "%.1f", seconds(run.finishing))) s of it building indexes and finishing): "
            + "\(format(rate(run.report.entries, total))) entries/s")
    print("  making the rows (not timed): \(String(format: "%.1f", seconds(run.generating))) s")
    if let raw {
        let entries = run.report.entries
        print(
            "  \(rawName), indexes built after: \(String(format: "%.1f", seconds(raw.bulk))) s, "
                + "\(format(rate(entries, raw.bulk))) entries/s; library / raw \(String(format: "%.2f", seconds(raw.bulk) / seconds(total)))"
        )
        if let indexed = raw.indexed {
            print(
                "  \(rawName), indexes maintained: \(String(format: "%.1f", seconds(indexed))) s, "
                    + "\(format(rate(entries, indexed))) entries/s; library / raw "
                    + String(format: "%.2f", seconds(indexed) / seconds(total)))
        }
    }
}

print(
    "import benchmark: \(format(Double(scale.members))) members, \(format(Double(scale.events))) history events, "
        + "chunks of \(format(Double(options.chunk))) rows")
// The history generator turns every event into one row; the members' joins add one entry each.
let entries = scale.members + scale.events
for store in options.stores {
    switch store {
    case "sqlite":
        print("SQLite (\(options.cacheMiB) MiB page cache):")
        var raw: (bulk: Duration, indexed: Duration?)?
        var bulk = Duration.zero
        if options.raw != "no" {
            let (insert, indexes) = try runRaw(withoutIndexes: true, entries: entries)
            bulk = insert + indexes
            if !options.library {
                print(
                    "  raw C API, indexes built after: \(String(format: "%.1f", seconds(bulk))) s "
                        + "(\(String(format: "%.1f", seconds(indexes))) s building them), "
                        + "\(format(rate(entries, bulk))) entries/s")
                continue
            }
        }
        guard options.library else { continue }
        let path = freshPath("import")
        var configuration = SQLiteStorage.Configuration.bulkLoad
        configuration.pageCacheKibibytes = options.cacheMiB * 1_024
        let sqlite = try await SQLiteStorage.open(path: path, configuration: configuration)
        let run = try await runImport(into: sqlite)
        let size = fileSize(path)
        remove(path)
        if options.raw != "no" {
            raw = (bulk, options.raw == "both" ? try runRaw(withoutIndexes: false, entries: entries).insert : nil)
        }
        describe(run, raw: raw)
        print("  database with its WAL: \(size / 1_000_000) MB; peak memory \(peakMemoryMB()) MB")
    default:
        print("PostgreSQL (through scripts/with-postgres):")
        let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"] ?? ""
        let configuration = PostgresStorage.Configuration(connection: url, schema: "import_benchmark")
        var bulk: Duration?
        if options.raw != "no" { bulk = try runRawPostgres(url: url, withoutIndexes: true, entries: entries) }
        var run: ImportRun?
        if options.library {
            try await PostgresStorage.removeSchema(configuration)
            RawPostgresBaseline.checkpoint(url: url)
            run = try await runImport(into: try await PostgresStorage.open(configuration))
            try await PostgresStorage.removeSchema(configuration)
        }
        var indexed: Duration?
        if options.raw == "both" { indexed = try runRawPostgres(url: url, withoutIndexes: false, entries: entries) }
        if let run {
            describe(run, raw: bulk.map { ($0, indexed) }, rawName: "raw libpq COPY")
        } else if let bulk {
            print("  raw libpq COPY, indexes built after: \(String(format: "%.1f", seconds(bulk))) s")
        }
    }
}

if options.parse > 0 {
    // Files: the first rows of the same school written as the guide's CSV files (not timed),
    // then read back as import rows, the way `community-import` reads them.
    let folder = URL(fileURLWithPath: options.directory).appendingPathComponent("bench-files-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var writer = try SchoolCSV(directory: folder)
    for row in SchoolHistoryGenerator(scale: scale).prefix(options.parse) { try writer.write(row) }
    try writer.close()
    let bytes = try FileManager.default.contentsOfDirectory(atPath: folder.path).reduce(0) {
        $0
            + ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($1).path)[.size] as? Int)
                ?? 0)
    }
    let start = clock.now
    var read = 0
    var refused = 0
    for row in try SchoolFiles(directory: folder) {
        read += 1
        if case .refused = row.content { refused += 1 }
    }
    let elapsed = clock.now - start
    print(
        "Parsing files (apart from the import): \(format(Double(read))) rows (\(bytes / 1_000_000) MB of CSV, "
            + "\(refused) refused) read as import rows in \(String(format: "%.1f", seconds(elapsed))) s: "
            + "\(format(rate(read, elapsed))) rows/s")
}
