// A child process for the change feed's tests. STORE is `sqlite:PATH` or `postgres:SCHEMA` (the
// server from COMMUNITY_POSTGRES_URL).
//
//   log-feed-child append STORE COUNT DELAY-MS   appends COUNT entries, one commit each, DELAY-MS
//                                                 apart; prints "APPENDED n" after each
//   log-feed-child subscribe STORE FILE UNTIL    subscribes after the last position written in
//                                                 FILE (0 when empty), appends each position it
//                                                 receives to FILE (its handling), and prints
//                                                 DONE once it handled position UNTIL
import Foundation
import PostgresStorage
import SQLiteStorage
import Storage

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func open(_ store: String) async throws -> any DataStore {
    if store.hasPrefix("sqlite:") { return try await SQLiteStorage.open(path: String(store.dropFirst(7))) }
    if store.hasPrefix("postgres:"), let url = ProcessInfo.processInfo.environment["COMMUNITY_POSTGRES_URL"] {
        return try await PostgresStorage.open(.init(connection: url, schema: String(store.dropFirst(9)), poolSize: 2))
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no store \(store)"])
}

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: log-feed-child append|subscribe STORE …\n".utf8))
    exit(64)
}
let store = try await open(arguments[2])
switch arguments[1] {
case "append":
    guard let count = Int(arguments[3]), let delay = Int(arguments[4]) else { exit(64) }
    let ids = EntryIDGenerator()
    for number in 1...count {
        let time = Timestamp(Date())
        try await store.append([
            LogEntry(id: ids.next(at: time), stream: "child", kind: "appended", time: time, payload: Data())
        ])
        say("APPENDED \(number)")
        try await Task.sleep(for: .milliseconds(delay))
    }
case "subscribe":
    guard let until = UInt64(arguments[4]) else { exit(64) }
    let path = arguments[3]
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    let handled = (try String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n").compactMap {
        UInt64($0)
    }
    let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try file.seekToEnd()
    var last = handled.last ?? 0
    if last >= until {
        say("DONE")
        exit(0)
    }
    for try await stored in store.subscribe(after: last) {
        // One write per entry: the line is the handling, so a kill leaves it whole or absent.
        try file.write(contentsOf: Data("\(stored.position)\n".utf8))
        last = stored.position
        if last >= until { break }
    }
    say("DONE")
default:
    exit(64)
}
