// community-import: brings a school's CSV export (the files of the import guide) into a
// community stored in SQLite or PostgreSQL, and prints the report: rows imported, rows an
// earlier run already handled, and every refused row with its file, line, column and reason.
// Running it again with the same files and source stores nothing twice; after a kill it
// resumes where it stopped.
import CommunityImport
import CommunityModel
import Foundation
import PostgresStorage
import SQLiteStorage
import Storage

let help = """
    usage: community-import --files DIRECTORY --store sqlite:PATH|postgres:CONNECTION
                            [--source NAME] [--schema NAME] [--chunk ROWS]

      --files    the folder with the school's CSV files (programmes.csv, chapters.csv, members.csv,
                 enrolments.csv, completions.csv, memberships.csv, organizers.csv, activity.csv;
                 any of them); their columns are in the import guide (CommunityImport's DocC,
                 "Importing a school")
      --store    the community to import into: an SQLite file, or a PostgreSQL connection string
      --source   the import's name (default: the folder's name); run again with the same name to
                 resume or to check that nothing is left
      --schema   the PostgreSQL schema (default learning_community)
      --chunk    rows a transaction (default 100000)
    """

struct Options {
    var files: String?
    var store: String?
    var source: String?
    var schema = PostgresSchema.defaultName
    var chunk = CommunityImporter.Options().chunkSize
}

func fail(_ message: String, status: Int32 = 64) -> Never {
    FileHandle.standardError.write(Data("community-import: \(message)\n".utf8))
    exit(status)
}

var options = Options()
var arguments = CommandLine.arguments.dropFirst()[...]
while let argument = arguments.popFirst() {
    if argument == "--help" || argument == "-h" {
        print(help)
        exit(0)
    }
    guard let value = arguments.popFirst() else { fail("\(argument) needs a value\n\n\(help)") }
    switch argument {
    case "--files": options.files = value
    case "--store": options.store = value
    case "--source": options.source = value
    case "--schema": options.schema = value
    case "--chunk":
        guard let chunk = Int(value), chunk > 0 else { fail("--chunk takes a positive number of rows") }
        options.chunk = chunk
    default: fail("unknown option \(argument)\n\n\(help)")
    }
}
guard let folder = options.files, let place = options.store else { fail("--files and --store are needed\n\n\(help)") }

do {
    let directory = URL(fileURLWithPath: folder)
    let files = try SchoolFiles(directory: directory)
    let store: any DataStore
    if place.hasPrefix("sqlite:") {
        store = try await SQLiteStorage.open(path: String(place.dropFirst("sqlite:".count)), configuration: .bulkLoad)
    } else if place.hasPrefix("postgres:") {
        store = try await PostgresStorage.open(
            PostgresStorage.Configuration(
                connection: String(place.dropFirst("postgres:".count)), schema: options.schema))
    } else {
        fail("--store takes sqlite:PATH or postgres:CONNECTION")
    }
    let source = options.source ?? directory.standardizedFileURL.lastPathComponent
    let community = CommunityService(store: store, clock: SystemClock())
    let importer = try await CommunityImporter.begin(
        source, into: community, options: CommunityImporter.Options(chunkSize: options.chunk))
    print("Importing \(folder) as \(source.debugDescription)")
    var batch: [ImportRow] = []
    var read = 0
    for row in files {
        batch.append(row)
        if batch.count == 100_000 {
            try await importer.add(batch)
            read += batch.count
            batch.removeAll(keepingCapacity: true)
            print("  \(read) rows read")
        }
    }
    try await importer.add(batch)
    let report = try await importer.finish()
    print(
        "Imported \(report.imported) rows (\(report.entries) log entries); \(report.skipped) rows were already in "
            + "from an earlier run; \(report.rejections.count) refused")
    for rejection in report.rejections { print("  \(rejection)") }
} catch {
    fail("\(error)", status: 1)
}
