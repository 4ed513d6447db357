import Foundation
import Storage
import Testing

/// Records are written in the compact format and read back in it or as JSON, the format
/// records had before it.
@Suite("Record coding")
struct RecordCodingTests {
    enum Level: String, Codable, Hashable { case bronze, silver }

    struct Tag: Codable, Hashable { let value: String }

    struct Sample: Codable, Equatable {
        var name: String
        var headline: String?
        var count: Int
        var small: Int8
        var large: UInt64
        var negative: Int64
        var ratio: Double
        var fraction: Float
        var flag: Bool
        var level: Level
        var when: Date
        var bytes: Data
        var list: [Int]
        var nested: [[String]]
        var byName: [String: Int]
        var byNumber: [Int: String]
        var byTag: [Tag: Level]
        var tags: Set<String>
        var maybe: [String?]
    }

    static let sample = Sample(
        name: "Ada Lovelace ✨", headline: nil, count: 42, small: -7, large: .max, negative: .min, ratio: -0.1,
        fraction: 1.5, flag: true, level: .silver, when: Date(timeIntervalSince1970: 1_700_000_000.25),
        bytes: Data([0, 1, 2, 0xC5, 0xFF]), list: [3, -1, 0], nested: [[], ["a", "b"]],
        byName: ["zeta": 1, "alpha": 2, "": 3], byNumber: [10: "ten", -2: "minus two"],
        byTag: [Tag(value: "b"): .bronze, Tag(value: "a"): .silver], tags: ["x", "y", "z", "w"],
        maybe: ["one", nil, "three"])

    @Test("a value written in the compact format reads back equal, and starts with the format's marker and version")
    func roundTrip() throws {
        let bytes = try RecordEncoder().encode(Self.sample)
        #expect(Array(bytes.prefix(2)) == [0xC5, 1])
        #expect(try RecordDecoder().decode(Sample.self, from: bytes) == Self.sample)
    }

    @Test("records written as JSON before the compact format still read")
    func jsonStillReads() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(Self.sample)
        #expect(try RecordDecoder().decode(Sample.self, from: json) == Self.sample)
        let collection = RecordCollection<Sample>("samples")
        let record = Record(key: collection.key("s"), version: 3, data: json)
        #expect(try collection.decode(record).value == Self.sample)
    }

    @Test("the compact form is smaller than the JSON it replaces")
    func smallerThanJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try RecordEncoder().encode(Self.sample).count < encoder.encode(Self.sample).count)
    }

    @Test("sets, dictionaries and keys are written in one order whatever order they were built in")
    func deterministic() throws {
        let words = (0..<300).map { "word \($0)" }
        var forwards = Set<String>()
        for word in words { forwards.insert(word) }
        var backwards = Set<String>(minimumCapacity: 5_000)
        for word in words.reversed() { backwards.insert(word) }
        #expect(
            Array(forwards) != Array(backwards),
            "the two sets should iterate differently for this test to mean anything")
        #expect(try RecordEncoder().encode(forwards) == RecordEncoder().encode(backwards))

        var byTagForwards: [Tag: Int] = [:]
        for (index, word) in words.enumerated() { byTagForwards[Tag(value: word)] = index }
        var byTagBackwards: [Tag: Int] = Dictionary(minimumCapacity: 5_000)
        for (index, word) in words.enumerated().reversed() { byTagBackwards[Tag(value: word)] = index }
        #expect(try RecordEncoder().encode(byTagForwards) == RecordEncoder().encode(byTagBackwards))
        #expect(
            try RecordDecoder().decode([Tag: Int].self, from: RecordEncoder().encode(byTagForwards)) == byTagForwards)

        var byNameBackwards: [String: Int] = Dictionary(minimumCapacity: 5_000)
        for (index, word) in words.enumerated().reversed() { byNameBackwards[word] = index }
        let byNameForwards = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })
        #expect(try RecordEncoder().encode(byNameForwards) == RecordEncoder().encode(byNameBackwards))
    }

    /// A type that writes through nested containers and a superclass encoder, as hand-written
    /// `Codable` code may.
    class Base: Codable {
        var id = 7
    }

    final class Derived: Base {
        var note = "derived"
        var corners: [[Int]] = [[1, 2], [3]]

        enum Keys: String, CodingKey { case note, corners, more }
        enum MoreKeys: String, CodingKey { case deep }

        override init() { super.init() }

        required init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            note = try container.decode(String.self, forKey: .note)
            var list = try container.nestedUnkeyedContainer(forKey: .corners)
            corners = []
            while !list.isAtEnd {
                var inner = try list.nestedUnkeyedContainer()
                var row: [Int] = []
                while !inner.isAtEnd { row.append(try inner.decode(Int.self)) }
                corners.append(row)
            }
            let more = try container.nestedContainer(keyedBy: MoreKeys.self, forKey: .more)
            #expect(try more.decode(Bool.self, forKey: .deep))
            try super.init(from: container.superDecoder())
        }

        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var list = container.nestedUnkeyedContainer(forKey: .corners)
            for row in corners {
                var inner = list.nestedUnkeyedContainer()
                for value in row { try inner.encode(value) }
            }
            var more = container.nestedContainer(keyedBy: MoreKeys.self, forKey: .more)
            try more.encode(true, forKey: .deep)
            try container.encode(note, forKey: .note)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test("nested containers and superclass encoders are written where they were asked for")
    func nestedContainers() throws {
        let value = Derived()
        value.id = 99
        value.note = "kept"
        value.corners = [[5], [], [6, 7]]
        let back = try RecordDecoder().decode(Derived.self, from: RecordEncoder().encode(value))
        #expect(back.id == 99)
        #expect(back.note == "kept")
        #expect(back.corners == [[5], [], [6, 7]])
    }

    @Test("bytes cut short at any point, or changed at any point, throw and never crash")
    func hostileBytes() throws {
        let bytes = [UInt8](try RecordEncoder().encode(Self.sample))
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try RecordDecoder().decode(Sample.self, from: Data(bytes[..<length])) }
        }
        for index in bytes.indices {
            for replacement: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
                var changed = bytes
                changed[index] = replacement
                _ = try? RecordDecoder().decode(Sample.self, from: Data(changed))
            }
        }
    }

    @Test(
        "a later format version, trailing bytes, bad UTF-8, numbers that do not fit and NaN are refused with a reason")
    func refusals() throws {
        func reason(_ bytes: [UInt8], as type: (some Decodable).Type) -> String {
            do {
                _ = try RecordDecoder().decode(type, from: Data(bytes))
                return "decoded"
            } catch {
                return "\(error)"
            }
        }
        let cases: [(reason: String, expected: String)] = [
            (reason([0xC5, 2, 0], as: Int?.self), "version 2 of the compact format"),
            (reason([0xC5, 1, 3, 2, 0], as: Int.self), "1 bytes follow"),
            (reason([0xC5, 1, 6, 2, 0xC3, 0x28], as: String.self), "not valid UTF-8"),
            (reason([0xC5, 1, 4, 0xAC, 0x02], as: Int8.self), "does not fit in Int8"),
            (reason([0xC5, 1, 42], as: Int.self), "not a value tag"),
            (reason([0xC5, 1, 4] + Array(repeating: 0xFF, count: 9) + [0x7F], as: UInt64.self), "longer than 64 bits"),
            (reason([0xC5, 1, 8, 9, 200], as: [Int].self), "more than"),
            (reason([0xC5, 1, 4] + Array(repeating: 0xFF, count: 9) + [0x01], as: UInt64.self), "decoded"),
            (reason([0xC5, 1, 5, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F], as: Double.self), "not finite"),
            (reason([0xC5, 1, 5, 0, 0, 0, 0, 0, 0, 0xF0, 0xFF], as: Date.self), "not finite"),
        ]
        for (found, expected) in cases { #expect(found.contains(expected), "\(found)") }
        // NaN and the infinities were never in a record (JSON cannot hold them): still refused.
        #expect(throws: EncodingError.self) { try RecordEncoder().encode(Double.nan) }
        #expect(throws: EncodingError.self) {
            try RecordEncoder().encode(["end": Date(timeIntervalSince1970: .infinity)])
        }
    }

    @Test("a field added later reads as absent from a record written before it")
    func addedField() throws {
        struct Before: Codable { var name: String }
        struct After: Codable, Equatable {
            var name: String
            var country: String?
        }
        let old = try RecordEncoder().encode(Before(name: "Grace"))
        #expect(try RecordDecoder().decode(After.self, from: old) == After(name: "Grace", country: nil))
    }
}
