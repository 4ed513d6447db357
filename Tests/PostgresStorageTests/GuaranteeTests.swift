import Foundation
import Storage
import Testing

@testable import PostgresStorage

/// The guarantees that are hard on a server with many connections: no lost update, and a log
/// whose positions never go backwards for a reader while several writers append.
@Suite("PostgreSQL guarantees", .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct PostgresGuaranteeTests {
    @Test("a tailing reader sees every entry exactly once, in position order, while four writers append")
    func tailingReaderMissesNothing() async throws {
        let writers = 4
        let batchesPerWriter = 40
        let entriesPerBatch = 25
        let total = writers * batchesPerWriter * entriesPerBatch
        try await PostgresServer.withStore(PostgresServer.configuration(poolSize: writers + 1)) { store in
            let reader = Task { () throws -> [StoredEntry] in
                var seen: [StoredEntry] = []
                var cursor: UInt64 = 0
                let deadline = ContinuousClock.now + .seconds(120)
                while seen.count < total && ContinuousClock.now < deadline {
                    let page = try await store.entries(after: cursor, limit: 500)
                    seen += page
                    cursor = page.last?.position ?? cursor
                    if page.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                }
                return seen
            }
            let appended = try await withThrowingTaskGroup(of: [EntryID].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        let ids = EntryIDGenerator(seed: UInt64(writer + 1))
                        var mine: [EntryID] = []
                        for batch in 0..<batchesPerWriter {
                            let time = Timestamp(millisecondsSince1970: 1_767_225_600_000 + Int64(batch))
                            let entries = (0..<entriesPerBatch).map { _ in
                                LogEntry(id: ids.next(at: time), stream: "writer-\(writer)", kind: "tick", time: time)
                            }
                            let receipt = try await store.append(entries)
                            mine += receipt.appended.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let seen = try await reader.value
            #expect(appended.count == total)
            #expect(seen.count == total, "the reader saw \(seen.count) of \(total) entries")
            #expect(seen.map(\.position) == Array(1...UInt64(total)), "positions must arrive 1, 2, 3 … without a gap")
            #expect(Set(seen.map(\.id)) == Set(appended), "every appended entry exactly once")
            #expect(Set(seen.map(\.id)).count == seen.count)
        }
    }

    @Test("concurrent read-modify-write from several connections loses no update")
    func noLostUpdate() async throws {
        let key = RecordKey(collection: "counters", id: "visits")
        let tasks = 6
        let incrementsPerTask = 20
        try await PostgresServer.withStore(PostgresServer.configuration(poolSize: tasks)) { store in
            try await store.commit(
                WriteBatch(writes: [.put(key, data: Data("0".utf8), indexes: [:], expected: .absent)]))
            let conflicts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        var conflicts = 0
                        for _ in 0..<incrementsPerTask {
                            while true {
                                let current = try await store.record(key)!
                                let value = Int(String(decoding: current.data, as: UTF8.self))! + 1
                                do {
                                    try await store.commit(
                                        WriteBatch(writes: [
                                            .put(
                                                key, data: Data(String(value).utf8), indexes: [:],
                                                expected: .version(current.version))
                                        ]))
                                    break
                                } catch let error as StorageError {
                                    guard case .versionConflict = error else { throw error }
                                    conflicts += 1
                                }
                            }
                        }
                        return conflicts
                    }
                }
                return try await group.reduce(0, +)
            }
            let final = try #require(try await store.record(key))
            #expect(String(decoding: final.data, as: UTF8.self) == String(tasks * incrementsPerTask))
            #expect(final.version == UInt64(tasks * incrementsPerTask + 1))
            // Not asserted (it depends on timing), but it shows the writers really raced.
            print("no lost update: \(tasks * incrementsPerTask) increments, \(conflicts) version conflicts retried")
        }
    }

    @Test("two writers creating the same record at once: exactly one succeeds, the other gets a version conflict")
    func racingCreations() async throws {
        try await PostgresServer.withStore { store in
            for round in 0..<20 {
                let key = RecordKey(collection: "chapters", id: "nairobi-\(round)")
                let results = await withTaskGroup(of: Bool?.self) { group in
                    for writer in 0..<2 {
                        group.addTask {
                            do {
                                try await store.commit(
                                    WriteBatch(writes: [
                                        .put(
                                            key, data: Data([UInt8(writer)]), indexes: ["n": "\(writer)"],
                                            expected: .absent)
                                    ]))
                                return true
                            } catch let error as StorageError {
                                guard case .versionConflict = error else { return nil }
                                return false
                            } catch {
                                return nil
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.sorted { $0 == true && $1 != true } == [true, false], "round \(round): \(results)")
                #expect(try await store.record(key)?.version == 1)
                let indexed =
                    try await store.allRecords(in: "chapters", where: IndexQuery("n", equals: "0")).count
                    + store.allRecords(in: "chapters", where: IndexQuery("n", equals: "1")).count
                #expect(indexed == round + 1, "the loser's index row must not be stored")
            }
        }
    }

    @Test("a creation that waits behind another session's uncommitted insert of the same record loses with a conflict")
    func creationLosesToUncommittedInsert() async throws {
        try await PostgresServer.withStore { store in
            let admin = try await PostgresServer.adminConnection()
            let records = "\(PostgresSchema.quoted(store.schema)).records"
            try await admin.run { connection in
                try connection.execute("BEGIN")
                try connection.query(
                    "INSERT INTO \(records) (collection, id, version, data, indexes) VALUES ('chapters', 'lagos', 1, '', '')"
                )
            }
            let key = RecordKey(collection: "chapters", id: "lagos")
            let creation = Task {
                try await store.commit(
                    WriteBatch(writes: [.put(key, data: Data([1]), indexes: ["city": "Lagos"], expected: .absent)]))
            }
            try await Task.sleep(for: .milliseconds(300))  // the creation now waits on the unique index
            try await admin.run { connection in try connection.execute("COMMIT") }
            let error = await #expect(throws: StorageError.self) { try await creation.value }
            #expect(error == .versionConflict(collection: "chapters", id: "lagos", expected: .absent, actual: 1))
            #expect(try await store.allRecords(in: "chapters", where: IndexQuery("city", equals: "Lagos")).isEmpty)
        }
    }

    @Test("commits run at READ COMMITTED even when the server's default isolation is serializable")
    func isolationIsPinned() async throws {
        let connection = PostgresServer.url! + "?options=-c%20default_transaction_isolation%3Dserializable"
        var configuration = PostgresServer.configuration(poolSize: 4)
        configuration.connection = connection
        try await PostgresServer.withStore(configuration) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        let ids = EntryIDGenerator(seed: UInt64(100 + writer))
                        let time = Timestamp(millisecondsSince1970: 1_767_225_600_000)
                        for _ in 0..<20 {
                            try await store.append([
                                LogEntry(id: ids.next(at: time), stream: "w", kind: "k", time: time)
                            ])
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.head() == 80)
        }
    }

    @Test("a pool of one connection serves a hundred tasks at once")
    func smallPoolManyTasks() async throws {
        try await PostgresServer.withStore(PostgresServer.configuration(poolSize: 1)) { store in
            let ids = EntryIDGenerator(seed: 9)
            let time = Timestamp(millisecondsSince1970: 1_767_225_600_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        if task.isMultiple(of: 2) {
                            try await store.append([
                                LogEntry(id: ids.next(at: time), stream: "s", kind: "k", time: time)
                            ])
                        } else {
                            _ = try await store.head()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.head() == 50)
        }
    }
}
