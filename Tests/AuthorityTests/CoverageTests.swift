import Foundation
import Testing

/// The differential test covers the whole public API, and the rules page says what the model
/// says.
@Suite("The authority test covers every command")
struct CoverageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let services: Set<String> = [
        "CommunityService", "GamificationService", "GuidelinesService", "LeadershipService", "RecognitionService",
    ]

    /// `Service.name(labels:)` of every public method of the services, read from the sources.
    static func publicMethods() throws -> Set<String> {
        var found: Set<String> = []
        let sources = root.appending(path: "Sources")
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path()) {
            let folder = sources.appending(path: module)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path())) ?? []
            where file.hasSuffix(".swift") {
                found.formUnion(try methods(in: String(contentsOf: folder.appending(path: file), encoding: .utf8)))
            }
        }
        return found
    }

    /// The public methods declared in `source` on the services (in their type or extensions).
    static func methods(in source: String) -> Set<String> {
        var found: Set<String> = []
        var type = ""
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            let words = line.split(separator: " ").map(String.init)
            if !line.hasPrefix(" "),
                let keyword = words.firstIndex(where: {
                    ["extension", "actor", "struct", "class", "enum"].contains($0)
                }), keyword + 1 < words.count
            {
                type = String(words[keyword + 1].prefix { $0.isLetter || $0.isNumber })
            }
            guard Self.services.contains(type), line.hasPrefix("    "), !line.hasPrefix("     "),
                line.contains("public "), let funcRange = line.range(of: "func ")
            else { continue }
            // The declaration up to its closing parenthesis, over as many lines as it takes.
            let declaration = lines[index...].prefix(12).joined(separator: "\n")[funcRange.upperBound...]
            guard let open = declaration.firstIndex(of: "(") else { continue }
            let name = declaration[..<open].prefix { $0 != "<" }
            var depth = 0
            var parameters = ""
            for character in declaration[open...] {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                if depth == 0 { break }
                parameters.append(character)
            }
            parameters.removeFirst()
            var labels: [String] = []
            var nesting = 0
            var part = ""
            var previous: Character = " "
            for character in parameters + "," {
                if "([<".contains(character) { nesting += 1 }
                // `->` in a closure type closes nothing.
                if ")]".contains(character) || (character == ">" && previous != "-") { nesting -= 1 }
                previous = character
                if character == ",", nesting == 0 {
                    let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
                    if let label = trimmed.split(separator: ":").first?.split(separator: " ").first {
                        labels.append("\(label):")
                    }
                    part = ""
                } else {
                    part.append(character)
                }
            }
            found.insert("\(type).\(name)(\(labels.joined()))")
        }
        return found
    }

    @Test("every public command and read of the services is in the differential test or a documented integrator call")
    func everyCommandIsCovered() throws {
        let api = try Self.publicMethods()
        let covered = Set(commands.map(\.signature)).union(integratorCalls.keys)
        #expect(api.count > 100, "the source reader found only \(api.count) methods")
        #expect(api.subtracting(covered).sorted() == [], "public methods the authority test does not cover")
        #expect(covered.subtracting(api).sorted() == [], "covered methods that are not public API (renamed?)")
        #expect(Set(commands.map(\.signature)).count == commands.count, "a command is listed twice")
    }

    @Test("the coverage check notices a new command")
    func newCommandIsNoticed() {
        let source = """
            extension CommunityService {
                public func grantEverything(to memberID: MemberID) async throws {}
            }
            """
        #expect(Self.methods(in: source) == ["CommunityService.grantEverything(to:)"])
    }

    @Test("Documentation/Authority.md says for every command what the reference model says")
    func rulesPage() throws {
        let page = try String(contentsOf: Self.root.appending(path: "Documentation/Authority.md"), encoding: .utf8)
        var rows: [String: String] = [:]
        for line in page.split(separator: "\n") where line.hasPrefix("| `") && line.contains("Service.") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            rows[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        var expected: [String: String] = [:]
        for command in commands { expected[command.signature] = command.rule }
        for (call, why) in integratorCalls { expected[call] = "Integrator call, no acting member: \(why)" }
        let wrong = expected.keys.sorted().filter { rows[$0] != expected[$0] }
        let toWrite = wrong.map { "| `\($0)` | \(expected[$0]!) |" }.joined(separator: "\n")
        #expect(wrong.isEmpty, "rows to write:\n\(toWrite)")
        #expect(Set(rows.keys).subtracting(expected.keys).sorted() == [], "rows for commands that do not exist")
    }
}
