// A child process for the SQLite durability test: it appends batches to the database at the
// given path until it is killed, and prints "ACK n" after batch n was acknowledged (committed).
import Foundation
import SQLiteStorage
import Storage

let arguments = CommandLine.arguments
guard arguments.count == 3, let start = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: sqlite-kill-writer PATH FIRST-BATCH\n".utf8))
    exit(64)
}
let store = try await SQLiteStorage.open(path: arguments[1])
let ids = EntryIDGenerator(seed: UInt64(start))
var batchNumber = start
while true {
    let time = Timestamp(millisecondsSince1970: Int64(batchNumber))
    var batch = WriteBatch()
    let counter = RecordKey(collection: "counters", id: "batches")
    let current = try await store.record(counter)
    batch.put(
        Data(String(batchNumber).utf8), at: counter,
        expecting: current.map { .version($0.version) } ?? .absent)
    for index in 0..<50 {
        batch.append(
            LogEntry(
                id: ids.next(at: time), stream: "batch-\(batchNumber)", kind: "part-\(index)", time: time,
                payload: Data(repeating: UInt8(index), count: 200)))
    }
    try await store.commit(batch)
    // Written straight to the file descriptor: nothing sits in a buffer when the kill comes.
    FileHandle.standardOutput.write(Data("ACK \(batchNumber)\n".utf8))
    batchNumber += 1
}
