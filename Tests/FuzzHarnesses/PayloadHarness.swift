import CommunityModel
import Foundation
import Storage

/// The activity payload decoder: any bytes as the payload of a log entry (binary versions 1
/// and 2, and the JSON of the first map), at any time.
///
/// Properties: decoding throws a typed error or gives an event whose entry, written again and
/// read back, is the same event; the days it carries are supported ones.
enum PayloadHarness {
    static let kinds: [ActivityKind] = [
        .answered, .joinedCommunity, .pointsAdjusted, .badgeAwarded, .suspended, .enrolled, .completed,
        .registeredForEvent, .thanked, .placedInChallenge,
    ]

    static let target = FuzzTarget(
        name: "activity-payload",
        summary: "log entry payloads (binary and JSON) at any time: decode, write again, read back the same event"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let kind = input.pick(kinds)
        let time = Timestamp(
            millisecondsSince1970: input.bool()
                ? input.int64() : 1_767_225_600_000 + Int64(input.byte()) * 86_400_000)
        let subject: String? = input.bool() ? "post:p1" : nil
        let entry = LogEntry(
            id: EntryIDGenerator(seed: 1).next(at: time), stream: "member:ada", subject: subject, kind: kind.rawValue,
            time: time, payload: Data(input.rest))
        let event: ActivityEvent
        do { event = try ActivityEvent(entry) } catch { return }
        try expect(event.localDate.isSupported, "a decoded event has the unsupported day \(event.localDate)")
        let again: LogEntry
        do { again = try event.logEntry() } catch {
            throw PropertyViolation("a decoded event cannot be written again: \(error)")
        }
        let back: ActivityEvent
        do { back = try ActivityEvent(again) } catch {
            throw PropertyViolation("an event written again does not decode: \(error)")
        }
        try expect(back == event, "written again and read back, \(event) became \(back)")
    }
}
