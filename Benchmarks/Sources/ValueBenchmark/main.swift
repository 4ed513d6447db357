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

var value = ValueProjection()
let fold = try foldBesideEngagement(&value, events: events, chunkSize: chunkSize)
let (total, engagementTime, valueTime) = (fold.events, fold.engagement, fold.projection)
print("value benchmark: \(format(Double(total))) events")
print(
    "engagement projection: \(format(rate(total, engagementTime))) events/s "
        + "(\(String(format: "%.0f", seconds(engagementTime) / Double(total) * 1e9)) ns per event)")
print(
    "value projection:      \(format(rate(total, valueTime))) events/s "
        + "(\(String(format: "%.0f", seconds(valueTime) / Double(total) * 1e9)) ns per event, "
        + "\(String(format: "%.2f", seconds(valueTime))) s for the whole log)")
print("value time / engagement time: " + String(format: "%.2f", fold.ratio) + "×")
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
