import Foundation
import Storage

/// Any JSON value, kept exactly: integers stay integers (a 64-bit count never passes through a
/// `Double`), and an object's keys are written sorted. A member's data export holds each record
/// value as one, so the document can hold values of every module's types and still be read back
/// into them.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// An integer above `Int64.max` (an unsigned seed).
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .unsigned(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// The JSON the export writes values with: keys sorted, dates as ISO 8601 UTC with
    /// milliseconds (the precision of every time the library keeps), so equal values give equal
    /// text and a date reads back exactly.
    static func exportEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.format(Timestamp(date)))
        }
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }

    static func exportDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let time = Self.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "\(text.debugDescription) is not an ISO 8601 UTC time with milliseconds")
            }
            return time.date
        }
        return decoder
    }

    private static let secondsStyle = Date.ISO8601FormatStyle()

    /// `2026-12-05T09:00:00.123Z`, from the whole milliseconds (a `Date` formatted directly
    /// would truncate 0.7039999… to .703).
    private static func format(_ time: Timestamp) -> String {
        let (seconds, milliseconds) = time.millisecondsSince1970.quotientAndRemainder(dividingBy: 1_000)
        let (whole, fraction) = milliseconds < 0 ? (seconds - 1, milliseconds + 1_000) : (seconds, milliseconds)
        let base = Date(timeIntervalSince1970: Double(whole)).formatted(secondsStyle)
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    private static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: ".")
        guard parts.count == 2, parts[1].count == 4, parts[1].last == "Z",
            let fraction = Int64(parts[1].dropLast()), fraction >= 0,
            let whole = try? secondsStyle.parse(parts[0] + "Z")
        else { return nil }
        let seconds = Int64(whole.timeIntervalSince1970.rounded())
        return Timestamp(millisecondsSince1970: seconds * 1_000 + fraction)
    }

    /// `value` as JSON, in the export's encoding.
    package static func encoding<Value: Encodable>(_ value: Value) throws -> JSONValue {
        try exportDecoder().decode(JSONValue.self, from: exportEncoder().encode(value))
    }

    /// This JSON read as a `Value`, in the export's encoding.
    package func decoded<Value: Decodable>(as type: Value.Type) throws -> Value {
        try Self.exportDecoder().decode(type, from: Self.exportEncoder().encode(self))
    }
}
