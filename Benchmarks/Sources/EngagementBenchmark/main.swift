// Feeds the generated school's activity log through the engagement projection and selects
// superusers; prints events/s, the selection time, peak memory, and ratios against two plain
// baselines measured on the same in-memory events in the same run; then saves the projection as
// a checkpoint and restores it, to show what a restart costs instead of a replay. See
// Benchmarks/README.md.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Leadership
import Storage

let (events, chunkSize) = logOptions()

let policy = EngagementPolicy.default
let scale = ActivityLogGenerator.Scale(events: events)
var generator = ActivityLogGenerator(scale: scale)
var projection = try EngagementProjection(policy: policy)

// Baseline 1, the flat array: weight per event summed into an array indexed by member number,
// the member numbers worked out before the clock starts. Baseline 2 does the same but finds the
// member's slot by its id in a dictionary, as any projection keyed by member id must.
var flat = [Int64](repeating: 0, count: scale.members)
var slots: [MemberID: Int] = [:]
slots.reserveCapacity(scale.members)
var lookup = [Int64](repeating: 0, count: scale.members)
var weights: [ActivityKind: Int64] = [:]
for (kind, weight) in policy.weights { weights[kind] = Int64(weight) * 1_000 }

let clock = ContinuousClock()
var flatTime = Duration.zero
var lookupTime = Duration.zero
var projectionTime = Duration.zero
var chunk: [ActivityEvent] = []
var memberNumbers: [Int] = []
chunk.reserveCapacity(chunkSize)
memberNumbers.reserveCapacity(chunkSize)
var total = 0
var checksum: Int64 = 0
while true {
    chunk.removeAll(keepingCapacity: true)
    memberNumbers.removeAll(keepingCapacity: true)
    while chunk.count < chunkSize, let event = generator.next() {
        chunk.append(event)
        memberNumbers.append(Int(event.member.rawValue.dropFirst("member-".count))! - 1)
    }
    if chunk.isEmpty { break }
    total += chunk.count

    var start = clock.now
    for (offset, event) in chunk.enumerated() { flat[memberNumbers[offset]] &+= weights[event.kind] ?? 0 }
    flatTime += clock.now - start

    start = clock.now
    for event in chunk {
        let slot: Int
        if let found = slots[event.member] {
            slot = found
        } else {
            slot = slots.count
            slots[event.member] = slot
        }
        lookup[slot] &+= weights[event.kind] ?? 0
    }
    lookupTime += clock.now - start

    start = clock.now
    let base = UInt64(total - chunk.count)
    for (offset, event) in chunk.enumerated() {
        projection.apply(LoggedActivity(position: base + UInt64(offset) + 1, event: event))
    }
    projectionTime += clock.now - start
}
checksum = flat.reduce(0, &+) &+ lookup.reduce(0, &+)

let endDay = LocalDate(scale.start.addingTimeInterval(Double(scale.days) * 86_400), in: .utc)
let selectionStart = clock.now
let superusers = projection.superusers(on: endDay)
let selectionTime = clock.now - selectionStart

print(
    "engagement benchmark: \(format(Double(total))) events of \(format(Double(projection.memberCount))) members "
        + "(checksum \(checksum))")
print("  baseline, flat array:       \(format(rate(total, flatTime))) events/s (\(flatTime))")
print("  baseline, id lookup:        \(format(rate(total, lookupTime))) events/s (\(lookupTime))")
print("  engagement projection:      \(format(rate(total, projectionTime))) events/s (\(projectionTime))")
print(
    "  projection time / flat array: \(String(format: "%.1f", projectionTime / flatTime))×, "
        + "/ id lookup: \(String(format: "%.1f", projectionTime / lookupTime))×")
print("  superuser selection on \(endDay): \(superusers.count) superusers in \(selectionTime)")
print("  peak memory (VmHWM): \(peakMemoryMB()) MB")

// A restart: save the state as a checkpoint (in memory, so the figure is the projection's own
// cost, not a disk's) and restore it into an empty projection.
func measureRestart(of projection: EngagementProjection, replay: Duration) async throws {
    let clock = ContinuousClock()
    let runner = try ProjectionRunner(store: InMemoryStore())
    let saveStart = clock.now
    try await runner.save(projection)
    let saveTime = clock.now - saveStart
    var restored = try EngagementProjection(policy: projection.policy)
    let restoreStart = clock.now
    let restoration = try await runner.restore(&restored)
    let restoreTime = clock.now - restoreStart
    guard restoration == .restored(projection.position), restored == projection else {
        throw BenchmarkError("the restored projection differs from the saved one (\(restoration))")
    }
    let saved = try await runner.checkpoint(named: projection.checkpointName)!
    print(
        "  checkpoint: \(format(Double(saved.byteCount / 1_000_000))) MB in \(saved.chunkCount) chunks; "
            + "save \(saveTime), restore \(restoreTime) (replay: \(replay))")
    print("  restore time / replay time: \(String(format: "%.3f", restoreTime / replay))×")
}

try await measureRestart(of: projection, replay: projectionTime)
print("  peak memory with the checkpoint (VmHWM): \(peakMemoryMB()) MB")
