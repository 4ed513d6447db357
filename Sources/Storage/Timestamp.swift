import Foundation

/// A point in time with millisecond precision, as every backend stores it.
///
/// Storing milliseconds since 1970 as an integer keeps times exact across backends
/// (SQLite integers, PostgreSQL `bigint`) and keeps comparisons cheap.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The timestamp of `date`, rounded down to the millisecond; dates beyond the representable
    /// range clamp to ``distantPast`` and ``distantFuture``, and a NaN date becomes 1970.
    ///
    /// A date within 10 microseconds of a millisecond is that millisecond: a `Date` counts from
    /// 2001 in a `Double`, so ``date`` cannot hold most milliseconds exactly, and rounding its
    /// value down would move them back one (`Timestamp(t.date) == t` holds for every time of
    /// `LocalDate.supportedYears`).
    public init(_ date: Date) {
        let exact = date.timeIntervalSince1970 * 1000
        let nearest = exact.rounded()
        let ms = abs(exact - nearest) < 0.01 ? nearest : exact.rounded(.down)
        if ms.isNaN {
            self.millisecondsSince1970 = 0
        } else if ms >= Double(Int64.max) {
            self.millisecondsSince1970 = .max
        } else if ms <= Double(Int64.min) {
            self.millisecondsSince1970 = .min
        } else {
            self.millisecondsSince1970 = Int64(ms)
        }
    }

    /// The earliest and latest representable times, for open-ended range reads.
    public static let distantPast = Timestamp(millisecondsSince1970: .min)
    public static let distantFuture = Timestamp(millisecondsSince1970: .max)

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    public var description: String { date.formatted(.iso8601) }

    public init(from decoder: any Decoder) throws {
        millisecondsSince1970 = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSince1970)
    }
}
