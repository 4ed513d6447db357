import CommunityModel
import CommunitySimulation
import Foundation
import Leadership
import Storage

/// One event as a raw baseline binds it: its columns, and payload bytes made in advance.
public struct PreparedRow: Sendable {
    public var id: [UInt8]
    public var stream: String
    public var subject: String?
    public var kind: String
    public var time: Int64
    public var payload: Data

    public init(id: [UInt8], stream: String, subject: String?, kind: String, time: Int64, payload: Data) {
        self.id = id
        self.stream = stream
        self.subject = subject
        self.kind = kind
        self.time = time
        self.payload = payload
    }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Generates `count` events of the school (before any clock starts), and the same events as the
/// rows a raw baseline binds.
public func generate(_ count: Int, idStyle: ActivityLogGenerator.IDStyle) throws -> ([ActivityEvent], [PreparedRow]) {
    var generator = ActivityLogGenerator(scale: .init(events: count), idStyle: idStyle)
    var events: [ActivityEvent] = []
    events.reserveCapacity(count)
    while let event = generator.next() { events.append(event) }
    let rows = try events.map { event in
        let entry = try event.logEntry()
        return PreparedRow(
            id: entry.id.bytes, stream: entry.stream, subject: entry.subject, kind: entry.kind,
            time: entry.time.millisecondsSince1970, payload: entry.payload)
    }
    return (events, rows)
}

/// Items per second.
public func rate(_ count: Int, _ duration: Duration) -> Double {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return Double(count) / seconds
}

/// A whole number with thousands separators: 1,234,567.
public func format(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    var digits = String(rounded)
    var groups: [String] = []
    while digits.count > 3 {
        groups.insert(String(digits.suffix(3)), at: 0)
        digits = String(digits.dropLast(3))
    }
    groups.insert(digits, at: 0)
    return groups.joined(separator: ",")
}

/// A positive whole number from the command line; underscores allowed (1_000_000).
public func positiveNumber(_ text: String) throws -> Int {
    guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value > 0 else {
        throw BenchmarkError("\(text) is not a positive whole number")
    }
    return value
}

/// Reads `--name value` pairs in order, handing each to `handle`, which throws for an unknown
/// name or a bad value. On such an error (or `--help`) it says what was wrong and where the
/// options are described, and exits with status 2.
public func forEachOption(in arguments: [String], _ handle: (String, String) throws -> Void) {
    var rest = arguments[...]
    do {
        while let argument = rest.popFirst() {
            guard argument != "--help", argument != "-h" else {
                throw BenchmarkError("options are `--name value` pairs")
            }
            guard let value = rest.popFirst() else { throw BenchmarkError("\(argument) needs a value") }
            try handle(argument, value)
        }
    } catch {
        let name = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "benchmark"
        FileHandle.standardError.write(
            Data("\(name): \(error)\nThe options of each benchmark are described in Benchmarks/README.md.\n".utf8))
        exit(2)
    }
}

/// The options of the benchmarks that fold the generated log: `--events N` (default
/// 10,000,000) and `--chunk N`, the events held in memory at a time (default 1,000,000).
public func logOptions() -> (events: Int, chunkSize: Int) {
    var events = 10_000_000
    var chunkSize = 1_000_000
    forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
        switch name {
        case "--events": events = try positiveNumber(value)
        case "--chunk": chunkSize = try positiveNumber(value)
        default: throw BenchmarkError("unknown option \(name)")
        }
    }
    return (events, chunkSize)
}

/// The highest resident memory of this process so far (VmHWM), in MB; -1 where unknown.
public func peakMemoryMB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return -1 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1) / 1_024
}

/// What ``foldBesideEngagement(_:events:chunkSize:afterChunk:)`` measured.
public struct SideBySideFold {
    public var events: Int
    public var engagement: Duration
    public var projection: Duration

    /// The projection's time over the engagement projection's.
    public var ratio: Double { seconds(projection) / seconds(engagement) }
}

/// Seconds in a duration.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Folds the generated log (`events` events, chunk by chunk in memory) through the engagement
/// projection and through `projection`, on the same events, timing each apart: the engagement
/// projection is the pace other projections are compared with. `afterChunk` runs after each
/// chunk, inside the projection's time (to take the awards a chunk made, say).
public func foldBesideEngagement<Projection: ActivityProjection>(
    _ projection: inout Projection, events: Int, chunkSize: Int, afterChunk: (inout Projection) -> Void = { _ in }
) throws -> SideBySideFold {
    var generator = ActivityLogGenerator(scale: .init(events: events))
    var engagement = try EngagementProjection(policy: .default)
    let clock = ContinuousClock()
    var result = SideBySideFold(events: 0, engagement: .zero, projection: .zero)
    var chunk: [ActivityEvent] = []
    chunk.reserveCapacity(chunkSize)
    while true {
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < chunkSize, let event = generator.next() { chunk.append(event) }
        if chunk.isEmpty { break }
        let base = UInt64(result.events)
        result.events += chunk.count
        var start = clock.now
        for (offset, event) in chunk.enumerated() {
            engagement.apply(LoggedActivity(position: base + UInt64(offset) + 1, event: event))
        }
        result.engagement += clock.now - start
        start = clock.now
        for (offset, event) in chunk.enumerated() {
            try projection.apply(LoggedActivity(position: base + UInt64(offset) + 1, event: event))
        }
        afterChunk(&projection)
        result.projection += clock.now - start
    }
    return result
}
