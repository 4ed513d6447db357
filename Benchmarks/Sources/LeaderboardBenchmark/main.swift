// Leaderboard and points-ledger benchmark. See Benchmarks/README.md.
//
// 1. Mixed operations on one board (one operation = one score update or one rank query), at
//    three sizes, with a sorted-array baseline measured in the same run on fewer operations and
//    compared per operation. An O(log n) board costs about the same per operation at every size;
//    the sorted array's updates grow with n.
// 2. The fan-out of one points change to all of a member's boards (global, country, chapter ×
//    week, month, all time), reported per change.
// 3. The points ledger folded over the generated activity log: events/s and peak memory.
//
// `--parts board,earned,fan-out,ledger` runs some of them (all by default); `board` also times
// updates and rank queries apart, `earned` runs the mix with updates that add earned points.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Storage

var operations = 1_000_000
var baselineOperations = 20_000
var events = 10_000_000
var sizes = [6_500, 65_000, 650_000]
let allParts: Set = ["board", "earned", "fan-out", "ledger"]
var parts = allParts
forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--operations": operations = try positiveNumber(value)
    case "--baseline-operations": baselineOperations = try positiveNumber(value)
    case "--events": events = try positiveNumber(value)
    case "--sizes": sizes = try value.split(separator: ",").map { try positiveNumber(String($0)) }
    case "--parts":
        parts = Set(value.split(separator: ",").map(String.init))
        guard parts.isSubset(of: allParts) else {
            throw BenchmarkError("--parts takes a list of \(allParts.sorted().joined(separator: ", "))")
        }
    default: throw BenchmarkError("unknown option \(name)")
    }
}

let clock = ContinuousClock()

/// The operations of one run: every fourth is a rank query, the rest updates, members and
/// scores drawn from a seeded generator before the clock starts.
struct Workload {
    var members: [Int]
    var scores: [Int]
    var isQuery: [Bool]

    init(count: Int, members: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        self.members = (0..<count).map { _ in Int(random.next() % UInt64(members)) }
        scores = (0..<count).map { _ in 1 + Int(random.next() % 100_000) }
        isQuery = (0..<count).map { $0 % 4 == 3 }
    }
}

/// The baseline: a sorted array of (score, member), best first; an update removes and inserts
/// by binary search (moving the elements after it), a rank query is a binary search.
struct SortedArrayBoard {
    var entries: [(score: Int, member: Int)] = []
    var scores: [Int]

    /// Every member with an initial score, sorted once.
    init(scores: [Int]) {
        self.scores = scores
        entries = scores.enumerated().filter { $0.element > 0 }.map { (score: $0.element, member: $0.offset) }
        entries.sort { ($0.score, $1.member) > ($1.score, $0.member) }
    }

    func index(of entry: (score: Int, member: Int)) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let other = entries[middle]
            if (other.score, entry.member) > (entry.score, other.member) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    mutating func update(_ member: Int, to score: Int) {
        if scores[member] > 0 { entries.remove(at: index(of: (scores[member], member))) }
        scores[member] = score
        entries.insert((score, member), at: index(of: (score, member)))
    }

    func rank(of member: Int) -> Int { index(of: (scores[member], member)) + 1 }
}

print("leaderboard benchmark: \(format(Double(operations))) mixed operations (3 updates : 1 rank query) per size")
var checksum = 0
func nanoseconds(_ duration: Duration, per count: Int) -> String {
    String(format: "%.0f", seconds(duration) / Double(max(1, count)) * 1e9)
}

/// Plays the operations at `indices` on the boards and returns the time taken. A function of
/// its own, not top-level code, so that the timed loop runs outside the main actor's checks. The
/// ranks go into `checksum`, so that no query is optimised away.
func play(
    _ indices: some Collection<Int>, of work: Workload, members: [MemberID], on boards: inout Leaderboards,
    checksum: inout Int
) -> Duration {
    let clock = ContinuousClock()
    var sum = 0
    let start = clock.now
    for index in indices {
        if work.isQuery[index] {
            sum &+= boards.rank(of: members[index], on: .global, for: .allTime).rank
        } else {
            boards.update(members[index], points: (0, 0, work.scores[index]))
        }
    }
    let time = clock.now - start
    checksum &+= sum
    return time
}

/// Plays the operations on the sorted-array baseline, as ``play(_:of:members:on:checksum:)``
/// does on the boards.
func play(_ work: Workload, on baseline: inout SortedArrayBoard, checksum: inout Int) -> Duration {
    let clock = ContinuousClock()
    var sum = 0
    let start = clock.now
    for index in work.members.indices {
        if work.isQuery[index] {
            sum &+= baseline.rank(of: work.members[index])
        } else {
            baseline.update(work.members[index], to: work.scores[index])
        }
    }
    let time = clock.now - start
    checksum &+= sum
    return time
}

/// Plays the same mix where each update adds what a member earns in one go (1 to 50 points)
/// to their score, as the points ledger does: a member moves a short way up the board.
func playEarned(
    _ work: Workload, members: [MemberID], initial: [Int], on boards: inout Leaderboards, checksum: inout Int
) -> Duration {
    let clock = ContinuousClock()
    var current = initial
    var sum = 0
    let start = clock.now
    for index in work.members.indices {
        if work.isQuery[index] {
            sum &+= boards.rank(of: members[index], on: .global, for: .allTime).rank
        } else {
            current[work.members[index]] += 1 + work.scores[index] % 50
            boards.update(members[index], points: (0, 0, current[work.members[index]]))
        }
    }
    let time = clock.now - start
    checksum &+= sum
    return time
}

/// A board of `size` members, each with an all-time score: one board only (no country, no
/// chapters, points in the all-time period alone).
func makeBoards(_ ids: [MemberID], scores: [Int]) -> Leaderboards {
    var boards = Leaderboards()
    let facts = LeaderboardFacts(country: nil, chapters: [], isPublic: true)
    for (index, id) in ids.enumerated() {
        boards.update(id, facts: facts)
        boards.update(id, points: (0, 0, scores[index]))
    }
    return boards
}

for size in sizes {
    let ids = (0..<size).map { MemberID("member-\($0 + 1)") }
    let initial = (0..<size).map { 1 + $0 % 1_000 }
    let work = Workload(count: operations, members: size, seed: UInt64(size))
    // Each operation's member id, drawn before the clock starts like its score: the timed loop
    // reads them in order, so it times the board and not a random read of this benchmark's own
    // table of ids (one more cache miss per operation at 650,000 members).
    let drawn = work.members.map { ids[$0] }
    if parts.contains("board") {
        var boards = makeBoards(ids, scores: initial)
        let boardTime = play(0..<operations, of: work, members: drawn, on: &boards, checksum: &checksum)

        // The two kinds of operation apart: the same updates, then the same queries.
        let updates = (0..<operations).filter { !work.isQuery[$0] }
        let queries = (0..<operations).filter { work.isQuery[$0] }
        let updateTime = play(updates, of: work, members: drawn, on: &boards, checksum: &checksum)
        let queryTime = play(queries, of: work, members: drawn, on: &boards, checksum: &checksum)

        var baseline = SortedArrayBoard(scores: initial)
        let baselineWork = Workload(count: baselineOperations, members: size, seed: UInt64(size))
        let baselineTime = play(baselineWork, on: &baseline, checksum: &checksum)

        let perOperation = seconds(boardTime) / Double(operations)
        let baselinePerOperation = seconds(baselineTime) / Double(baselineOperations)
        print(
            "  \(format(Double(size))) members: board \(format(rate(operations, boardTime))) mixed ops/s "
                + "(\(nanoseconds(boardTime, per: operations)) ns/op); updates alone \(format(rate(updates.count, updateTime)))/s "
                + "(\(nanoseconds(updateTime, per: updates.count)) ns), rank queries alone "
                + "\(format(rate(queries.count, queryTime)))/s (\(nanoseconds(queryTime, per: queries.count)) ns); sorted array "
                + "\(format(rate(baselineOperations, baselineTime))) mixed ops/s "
                + "(\(nanoseconds(baselineTime, per: baselineOperations)) ns/op over \(format(Double(baselineOperations))) ops); "
                + "sorted array / board per op: " + String(format: "%.1f", baselinePerOperation / perOperation) + "×")
    }

    if parts.contains("earned") {
        var boards = makeBoards(ids, scores: initial)
        let time = playEarned(work, members: drawn, initial: initial, on: &boards, checksum: &checksum)
        print(
            "  \(format(Double(size))) members, updates adding earned points: board \(format(rate(operations, time))) "
                + "mixed ops/s (\(nanoseconds(time, per: operations)) ns/op)")
    }
}

// Fan-out: a member on 9 boards (global, country, one chapter × three periods).
if parts.contains("fan-out") {
    let size = sizes.max() ?? 650_000
    let ids = (0..<size).map { MemberID("member-\($0 + 1)") }
    let countries = try ["KE", "IN", "BR", "DE", "JP", "NG", "US", "MX"].map { try CountryCode($0) }
    var boards = Leaderboards()
    for (index, id) in ids.enumerated() {
        boards.update(
            id,
            facts: LeaderboardFacts(
                country: countries[index % countries.count], chapters: [ChapterID("chapter-\(index % 40)")],
                isPublic: true))
        let points = 1 + index % 1_000
        boards.update(id, points: (points, points, points))
    }
    let changes = min(operations, 200_000)
    let work = Workload(count: changes, members: size, seed: 99)
    let start = clock.now
    for index in 0..<changes {
        let score = work.scores[index]
        boards.update(ids[work.members[index]], points: (score, score, score))
    }
    let time = clock.now - start
    print(
        "  fan-out at \(format(Double(size))) members: \(format(rate(changes, time))) points changes/s, each updating "
            + "9 boards (\(String(format: "%.0f", seconds(time) / Double(changes) * 1e9)) ns per change)")
}

// The points ledger over the generated log.
if parts.contains("ledger") {
    var generator = ActivityLogGenerator(scale: .init(events: events))
    var ledger = try PointsLedger()
    var chunk: [LoggedActivity] = []
    chunk.reserveCapacity(1_000_000)
    var position: UInt64 = 0
    var ledgerTime = Duration.zero
    while true {
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < 1_000_000, let event = generator.next() {
            position += 1
            chunk.append(LoggedActivity(position: position, event: event))
        }
        if chunk.isEmpty { break }
        let start = clock.now
        for logged in chunk { ledger.apply(logged) }
        ledgerTime += clock.now - start
    }
    print(
        "  points ledger: \(format(Double(position))) events of \(format(Double(ledger.memberCount))) members in "
            + "\(ledgerTime): \(format(rate(Int(position), ledgerTime))) events/s; peak memory (VmHWM) "
            + "\(peakMemoryMB()) MB")
}
print("  (checksum \(checksum))")
