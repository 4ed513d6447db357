public import CommunityModel
import Foundation
public import Storage

/// What the excellent homework list and the benchmark members are chosen from, kept up to date
/// from the activity log on a `ProjectionHost`: per local day, the homework check-ins (for the
/// day they are for, make-ups included), the feedback members received and gave in each
/// programme, and the answers of theirs that were accepted. An entry that reverses an accepted
/// answer or a piece of feedback (an un-acceptance, a removal) takes it back from the day it
/// was counted on.
///
/// Only the last ``retentionDays`` days behind the newest entry's day are kept, so the state is
/// the size of that window however long the log is.
public struct HomeworkProjection: ActivityProjection, Equatable {
    public let checkpointName: String
    /// Days kept behind the newest entry's day.
    public let retentionDays: Int
    public var configuration: String { "homework (state 1) retention \(retentionDays)" }
    public private(set) var position: UInt64 = 0

    struct CheckIn: Codable, Hashable {
        var member: String
        var programme: String
        var position: UInt64
        /// When it was submitted, in milliseconds since 1970.
        var time: Int64
    }

    /// One day's tallies; the counts are by `member|programme`.
    struct Day: Codable, Hashable {
        var checkIns: [CheckIn] = []
        var feedbackReceived: [String: Int] = [:]
        var feedbackGiven: [String: Int] = [:]
        var accepted: [String: Int] = [:]
    }

    struct State: Codable, Hashable {
        var days: [Int32: Day] = [:]
        var latestDay = Int32.min
    }

    var state = State()

    /// The greatest retention: ten years.
    public static let maximumRetentionDays = 3_660

    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for a retention outside 35 days
    ///   (a month and its weeks) to ``maximumRetentionDays``.
    public init(retentionDays: Int = 400, checkpointName: String = "homework") throws(CommunityError) {
        guard (35...Self.maximumRetentionDays).contains(retentionDays) else {
            throw .invalidInput(
                field: "retentionDays",
                reason: "homework is kept 35 to \(Self.maximumRetentionDays) days, not \(retentionDays)")
        }
        self.retentionDays = retentionDays
        self.checkpointName = checkpointName
    }

    /// The first day the projection still holds; nil before any entry.
    public var firstRetainedDay: LocalDate? {
        state.latestDay == .min ? nil : LocalDate(dayNumber: Int(state.latestDay) - retentionDays)
    }

    /// Refuses a period that starts before the days kept.
    func require(from first: LocalDate) throws(CommunityError) {
        if let retained = firstRetainedDay, first < retained {
            throw .invalidInput(
                field: "period",
                reason: "homework activity is kept for the last \(retentionDays) days; the period starts on \(first), "
                    + "before \(retained)")
        }
    }

    /// The days from `first` through `last` that hold anything.
    func days(from first: LocalDate, through last: LocalDate) -> [(day: Int, tallies: Day)] {
        let range = Int64(first.dayNumber)...Int64(last.dayNumber)
        return state.days.filter { range.contains(Int64($0.key)) }.map { (Int($0.key), $0.value) }
            .sorted { $0.day < $1.day }
    }

    ///
    /// - Complexity: O(1) amortized per entry (O(retained days) when the newest day moves).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        let today = Int32(clamping: event.localDate.dayNumber)
        if today > state.latestDay {
            state.latestDay = today
            let oldest = Int64(today) - Int64(retentionDays)
            for old in state.days.keys where Int64(old) < oldest { state.days[old] = nil }
        }
        guard let programme = event.programme?.rawValue else { return }
        let member = event.member.rawValue
        /// Adds `amount` to the tally `field` of `key` on `day`, if the day is kept; never below zero.
        func add(_ amount: Int, _ field: WritableKeyPath<Day, [String: Int]>, _ key: String, on day: LocalDate) {
            let number = Int32(clamping: day.dayNumber)
            guard Int64(number) >= Int64(state.latestDay) - Int64(retentionDays) else { return }
            let next = max(0, (state.days[number]?[keyPath: field][key] ?? 0) + amount)
            state.days[number, default: Day()][keyPath: field][key] = next == 0 ? nil : next
        }
        let owner = event.subjectOwner.map(\.rawValue)
        if event.reverses != nil {
            guard let kind = event.details.reversedKind, let day = event.details.reversedDay else { return }
            if kind == .answerAccepted { add(-1, \.accepted, "\(member)|\(programme)", on: day) }
            if kind == .gaveFeedback, let owner, owner != member {
                add(-1, \.feedbackGiven, "\(member)|\(programme)", on: day)
                add(-1, \.feedbackReceived, "\(owner)|\(programme)", on: day)
            }
            return
        }
        switch event.kind {
        case .checkedIn:
            let day = Int32(clamping: (event.details.day ?? event.localDate).dayNumber)
            guard Int64(day) >= Int64(state.latestDay) - Int64(retentionDays) else { return }
            state.days[day, default: Day()].checkIns.append(
                CheckIn(
                    member: member, programme: programme, position: logged.position,
                    time: event.time.millisecondsSince1970))
        case .answerAccepted:
            add(1, \.accepted, "\(member)|\(programme)", on: event.localDate)
        case .gaveFeedback:
            guard let owner, owner != member else { return }
            add(1, \.feedbackGiven, "\(member)|\(programme)", on: event.localDate)
            add(1, \.feedbackReceived, "\(owner)|\(programme)", on: event.localDate)
        default: break
        }
    }

    public func encodeState(into writer: inout BinaryWriter) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        writer.raw((try? encoder.encode(state)) ?? Data())
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        let bytes = try reader.take(reader.remaining)
        do { state = try JSONDecoder().decode(State.self, from: bytes) } catch {
            throw reader.corrupt("the homework state does not decode: \(error)")
        }
        self.position = position
    }
}
