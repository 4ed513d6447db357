import CommunityModel
import Foundation

/// The quarter hours of a UTC day (96 of them) in which someone is within their working
/// hours: a set of bits, so that a team's shared time is the intersection of its members' sets.
struct QuarterHours: Hashable, Sendable {
    /// Quarters 0 to 63.
    var low: UInt64 = 0
    /// Quarters 64 to 95.
    var high: UInt64 = 0

    static let all = QuarterHours(low: .max, high: (1 << 32) - 1)

    /// The local window `hours` (e.g. 8 to 22) of someone `offset` quarter hours ahead of UTC,
    /// as quarters of the UTC day, wrapping around midnight.
    init(localHours hours: Range<Int>, offsetQuarters offset: Int) {
        let length = (hours.upperBound - hours.lowerBound) * 4
        let start = ((hours.lowerBound * 4 - offset) % 96 + 96) % 96
        for step in 0..<min(length, 96) { insert((start + step) % 96) }
    }

    init() {}

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    mutating func insert(_ quarter: Int) {
        if quarter < 64 { low |= 1 << UInt64(quarter) } else { high |= 1 << UInt64(quarter - 64) }
    }

    func contains(_ quarter: Int) -> Bool {
        quarter < 64 ? low & (1 << UInt64(quarter)) != 0 : high & (1 << UInt64(quarter - 64)) != 0
    }

    func intersection(_ other: QuarterHours) -> QuarterHours {
        QuarterHours(low: low & other.low, high: high & other.high)
    }

    /// The number of quarter hours in the set.
    var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }

    /// The longest run of consecutive quarters (around midnight too): its first quarter and length.
    var longestRun: (start: Int, length: Int)? {
        guard count > 0 else { return nil }
        if count == 96 { return (0, 96) }
        var best: (start: Int, length: Int)?
        // Start scanning right after an empty quarter so that a run across midnight is whole.
        let origin = (0..<96).first { !contains($0) }!
        var runStart = -1
        var runLength = 0
        for step in 1...96 {
            let quarter = (origin + step) % 96
            if contains(quarter) {
                if runLength == 0 { runStart = quarter }
                runLength += 1
                if best == nil || runLength > best!.length { best = (runStart, runLength) }
            } else {
                runLength = 0
            }
        }
        return best
    }
}

/// Everyone's working hours during a period, per stretch of days on which no one's UTC offset
/// changes: daylight saving time moves a member's window in UTC, so a team's shared time is
/// the least it has on any day of the period.
struct WorkingHoursCalendar: Sendable {
    /// The local working window (08:00 to 22:00).
    static let localHours = 8..<22

    /// Per stretch, per time zone (by ``zoneIndex``): the UTC quarters of the working window.
    private(set) var stretches: [[QuarterHours]] = []
    /// The first day of each stretch.
    private(set) var stretchStarts: [Date] = []
    private(set) var zoneIndex: [TimeZoneID: Int] = [:]

    /// Samples each day of `period` at its noon (UTC) in every time zone.
    init(timeZones: some Sequence<TimeZoneID>, period: DateInterval) {
        let zones = Array(Set(timeZones)).sorted()
        for (index, zone) in zones.enumerated() { zoneIndex[zone] = index }
        let foundationZones = zones.map(\.timeZone)
        let days = max(1, Int((period.duration / 86_400).rounded(.up)))
        var previous: [Int]?
        for day in 0..<days {
            let noon = period.start.addingTimeInterval(Double(day) * 86_400 + 43_200)
            let sample = min(noon, period.end)
            let offsets = foundationZones.map { Int((Double($0.secondsFromGMT(for: sample)) / 900).rounded()) }
            guard offsets != previous else { continue }
            previous = offsets
            stretchStarts.append(sample)
            stretches.append(offsets.map { QuarterHours(localHours: Self.localHours, offsetQuarters: $0) })
        }
    }

    /// A time zone's windows, one per stretch.
    func windows(of zone: TimeZoneID) -> [QuarterHours] {
        guard let index = zoneIndex[zone] else { return stretches.map { _ in QuarterHours() } }
        return stretches.map { $0[index] }
    }
}
