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
    public var retentionDays: Int { window.retentionDays }
    public var configuration: String { "homework (state 2) retention \(retentionDays)" }
    public private(set) var position: UInt64 = 0

    struct CheckIn: Codable, Hashable, Sendable {
        var member: String
        var programme: String
        var position: UInt64
        /// When it was submitted, in milliseconds since 1970.
        var time: Int64
    }

    /// One day's tallies; the counts are by `member|programme`.
    struct Day: Codable, Hashable, Sendable {
        var checkIns: [CheckIn] = []
        var feedbackReceived: [String: Int] = [:]
        var feedbackGiven: [String: Int] = [:]
        var accepted: [String: Int] = [:]
    }

    var window: DayWindow<Day>

    /// The greatest retention: ten years.
    public static var maximumRetentionDays: Int { DayWindow<Day>.maximumRetentionDays }

    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a retention outside 35 days
    ///   (a month and its weeks) to ``maximumRetentionDays``.
    public init(retentionDays: Int = 400, checkpointName: String = "homework") throws(CommunityError) {
        window = try DayWindow(retentionDays: retentionDays, minimum: 35, keeping: "homework activity")
        self.checkpointName = checkpointName
    }

    /// The first day the projection still holds; nil before any entry.
    public var firstRetainedDay: LocalDate? { window.firstRetainedDay }

    /// Refuses a period that starts before the days kept.
    func require(from first: LocalDate) throws(CommunityError) {
        try window.require(from: first, keeping: "homework activity")
    }

    /// The days from `first` through `last` that hold anything.
    func days(from first: LocalDate, through last: LocalDate) -> [(day: Int, tallies: Day)] {
        window.days(from: first, through: last).map { ($0.day, $0.tally) }
    }

    ///
    /// - Complexity: O(1) amortized per entry (O(retained days) when the newest day moves).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        if event.kind == .memberErased {
            forget(event.member.rawValue)
            return
        }
        window.see(Int32(clamping: event.localDate.dayNumber))
        guard let programme = event.programme?.rawValue else { return }
        let member = event.member.rawValue
        /// Adds `amount` to the tally `field` of `key` on `day`, if the day is kept; never below zero.
        func add(_ amount: Int, _ field: WritableKeyPath<Day, [String: Int]>, _ key: String, on day: LocalDate) {
            let number = Int32(clamping: day.dayNumber)
            guard window.keeps(number) else { return }
            let next = max(0, (window.days[number]?[keyPath: field][key] ?? 0) + amount)
            window.days[number, default: Day()][keyPath: field][key] = next == 0 ? nil : next
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
            guard window.keeps(day) else { return }
            window.days[day, default: Day()].checkIns.append(
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

    /// An erased member's check-ins and tallies leave every retained day.
    private mutating func forget(_ member: String) {
        let prefix = member + "|"
        for (number, day) in window.days {
            var day = day
            day.checkIns.removeAll { $0.member == member }
            day.accepted = day.accepted.filter { !$0.key.hasPrefix(prefix) }
            day.feedbackGiven = day.feedbackGiven.filter { !$0.key.hasPrefix(prefix) }
            day.feedbackReceived = day.feedbackReceived.filter { !$0.key.hasPrefix(prefix) }
            window.days[number] = day
        }
    }

    public func encodeState(into writer: inout BinaryWriter) {
        // A window that cannot be written leaves the state empty: restoring it fails, and the
        // projection is built again from the log.
        try? writer.record(window)
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        window = try reader.rest(as: DayWindow<Day>.self)
        self.position = position
    }
}
