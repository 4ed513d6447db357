// A helper of the import's kill test: imports the generated school into an SQLite file and,
// when told to, kills itself with SIGKILL right after handing over a number of rows, while a
// chunk may still be committing. Not a product.
//
// import-kill-child PATH MEMBERS EVENTS CHUNK DIE-AFTER-ROWS (0: finish the import)
import CommunityImport
import CommunityModel
import CommunitySimulation
import Foundation
import SQLiteStorage
import Storage

let arguments = CommandLine.arguments.dropFirst().map { $0 }
guard arguments.count == 5, let members = Int(arguments[1]), let events = Int(arguments[2]),
    let chunk = Int(arguments[3]), let dieAfter = Int(arguments[4])
else {
    FileHandle.standardError.write(Data("usage: import-kill-child PATH MEMBERS EVENTS CHUNK DIE-AFTER-ROWS\n".utf8))
    exit(2)
}
let scale = ActivityLogGenerator.Scale(members: members, events: events, days: 30)
let store = try await SQLiteStorage.open(path: arguments[0], configuration: .bulkLoad)
let community = CommunityService(
    store: store, clock: ManualClock(scale.start.addingTimeInterval(Double(scale.days + 1) * 86_400)))
let importer = try await CommunityImporter.begin(
    "generated", into: community, options: CommunityImporter.Options(chunkSize: chunk))
let rows = Array(SchoolHistoryGenerator(scale: scale))
if dieAfter > 0 {
    try await importer.add(rows.prefix(dieAfter))
    print("killing myself after \(dieAfter) rows")
    kill(getpid(), SIGKILL)
}
try await importer.add(rows)
let report = try await importer.finish()
print("imported \(report.imported) rows, \(report.entries) entries")
