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
        let long = "https://school.example/" + String(repeating: "a", count: Validate.maximumURLLength)
        #expect(throws: CommunityError.self) { try Validate.url(long, field: "website") }
    }

    @Test("free text: trimmed, not empty, no NUL, within its length; the empty reason is the caller's")
    func messages() throws {
        #expect(try Validate.message("  thanks!  ", field: "message", maxLength: 10) == "thanks!")
        #expect(throws: CommunityError.self) { try Validate.message(" \n ", field: "message", maxLength: 10) }
        #expect(throws: CommunityError.self) { try Validate.message("a\u{0}b", field: "message", maxLength: 10) }
        #expect(throws: CommunityError.self) { try Validate.message("eleven char", field: "message", maxLength: 10) }
        do {
            _ = try Validate.message("", field: "message", maxLength: 10, empty: "say what you thank them for")
            Issue.record("an empty message was accepted")
        } catch {
            #expect(error.description.contains("say what you thank them for"))
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
