// Value report benchmark, first part: the per-event cost of keeping the value projection (the
// Q&A, advocacy, growth and enrolment facts the report is built from) up to date, over the
// generated log, against the engagement projection on the same events in the same run.
// See Benchmarks/README.md.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation

var events = 10_000_000
var chunkSize = 1_000_000
try forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--events": events = try positiveNumber(value)
    case "--chunk": chunkSize = try positiveNumber(value)
    default: throw BenchmarkError("unknown option \(name)")
    }
}

var generator = ActivityLogGenerator(scale: .init(events: events))
var engagement = try EngagementProjection(policy: .default)
var value = ValueProjection()
let clock = ContinuousClock()
var engagementTime = Duration.zero
var valueTime = Duration.zero
var chunk: [ActivityEvent] = []
chunk.reserveCapacity(chunkSize)
var total = 0
while true {
    chunk.removeAll(keepingCapacity: true)
    while chunk.count < chunkSize, let event = generator.next() { chunk.append(event) }
    if chunk.isEmpty { break }
    let base = UInt64(total)
    total += chunk.count
    var start = clock.now
    for (offset, event) in chunk.enumerated() {
        engagement.apply(LoggedActivity(position: base + UInt64(offset) + 1, event: event))
    }
    engagementTime += clock.now - start
    start = clock.now
    for (offset, event) in chunk.enumerated() {
        value.apply(LoggedActivity(position: base + UInt64(offset) + 1, event: event))
    }
    valueTime += clock.now - start
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
print("value benchmark: \(format(Double(total))) events")
print(
    "engagement projection: \(format(rate(total, engagementTime))) events/s "
        + "(\(String(format: "%.0f", seconds(engagementTime) / Double(total) * 1e9)) ns per event)")
print(
    "value projection:      \(format(rate(total, valueTime))) events/s "
        + "(\(String(format: "%.0f", seconds(valueTime) / Double(total) * 1e9)) ns per event, "
        + "\(String(format: "%.2f", seconds(valueTime))) s for the whole log)")
print("value time / engagement time: " + String(format: "%.2f", seconds(valueTime) / seconds(engagementTime)) + "×")
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
