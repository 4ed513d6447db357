import CommunityModel
import Foundation
import Testing

/// The package's one set of input rules, which every module calls instead of a copy: names,
/// free text, links and emails are refused the same way wherever they arrive.
@Suite("Shared validation")
struct SharedValidationTests {
    @Test("links: only http and https with a host, on one line")
    func links() throws {
        #expect(try Validate.url(" https://water.example/about ", field: "website").host == "water.example")
        #expect(try Validate.url("http://school.example", field: "website").scheme == "http")
        for bad in [
            "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
            "https://", "water.example", "https://water.example/a b", "https://water.example/a\nb", "",
            "ftp://files.example",
        ] {
            #expect(throws: CommunityError.self, "\(bad.debugDescription)") { try Validate.url(bad, field: "website") }
        }
        let long = "https://school.example/" + String(repeating: "a", count: Limits.url.bytes)
        #expect(throws: CommunityError.self) { try Validate.url(long, field: "website") }
    }

    @Test("free text: trimmed, not empty, no NUL, within its length; the empty reason is the caller's")
    func messages() throws {
        let ten = TextLimit("ten", characters: 10, bytes: 40)
        #expect(try Validate.message("  thanks!  ", field: "message", limit: ten) == "thanks!")
        #expect(throws: CommunityError.self) { try Validate.message(" \n ", field: "message", limit: ten) }
        #expect(throws: CommunityError.self) { try Validate.message("a\u{0}b", field: "message", limit: ten) }
        #expect(throws: CommunityError.self) { try Validate.message("eleven char", field: "message", limit: ten) }
        do {
            _ = try Validate.message("", field: "message", limit: ten, empty: "say what you thank them for")
            Issue.record("an empty message was accepted")
        } catch {
            #expect(error.description.contains("say what you thank them for"))
        }
    }

    @Test(
        "every text limit refuses one character or one byte too many, naming its constant; names count characters",
        arguments: [
            Limits.name, Limits.freeText, Limits.shortText, Limits.headline, Limits.note, Limits.label, Limits.email,
            Limits.url,
        ])
    func limitsNameThemselves(limit: TextLimit) throws {
        try Validate.text(String(repeating: "a", count: limit.characters), field: "text", limit: limit)
        for tooLong in [
            String(repeating: "a", count: limit.characters + 1),
            // Within the characters, over the bytes: one character with many combining marks.
            "a" + String(repeating: "\u{301}", count: limit.bytes / 2),
        ] {
            do {
                try Validate.text(tooLong, field: "text", limit: limit)
                Issue.record("\(limit.name) let \(tooLong.utf8.count) bytes through")
            } catch {
                guard case .invalidInput(let field, let reason) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(field == "text" && reason.contains(limit.name), "\(reason)")
            }
        }
        #expect(limit.name.hasPrefix("Limits."))
    }

    @Test("names: 200 characters of any script are a name, as the decisions say; ids and adjustments name theirs")
    func namesInEveryScript() throws {
        #expect(Limits.name.characters == 200 && Limits.freeText.bytes == 64 * 1_024)
        let persian = String(repeating: "ز", count: 200)
        #expect(try Validate.name(persian, field: "displayName") == persian)
        #expect(throws: CommunityError.self) { try Validate.name(persian + "ز", field: "displayName") }
        do {
            try Validate.id(String(repeating: "x", count: Limits.idLength + 1), field: "id")
            Issue.record("a long id was accepted")
        } catch {
            #expect(error.description.contains("Limits.idLength"))
        }
    }

    @Test("emails need a local part and a dotted domain")
    func emails() throws {
        #expect(try Validate.email(" Badges@School.Example ") == "badges@school.example")
        for bad in ["@", "a@b", "a@", "@school.example", "a b@school.example", "a@.example"] {
            #expect(throws: CommunityError.self, "\(bad)") { try Validate.email(bad) }
        }
    }
}
