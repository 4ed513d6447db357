import CommunityModel
import CommunityTestSupport
import Foundation
import Testing

/// A school in 190 countries accepts every name its learners write (issue 27: names with a
/// zero-width non-joiner or joiner were refused as "invisible characters"), and still refuses
/// the characters that hide or reorder text.
@Suite("Names in every script")
struct NamesInEveryScriptTests {
    static let accepted: [(String, String)] = [
        ("Persian, with a ZWNJ in the family name", "مهدی علی\u{200C}زاده"),
        ("Persian, a ZWNJ inside a word", "می\u{200C}خواهم"),
        ("Hindi, a conjunct", "क्षत्रिय"),
        ("Hindi, a half form with ZWJ after the virama", "क्\u{200D}ष"),
        ("Sinhala, a ZWJ conjunct", "ශ්\u{200D}රී"),
        ("Malayalam, a chillu with ZWJ", "ന്\u{200D}"),
        ("Arabic", "محمد عبد الله"),
        ("Hebrew", "שרה כהן"),
        ("Chinese", "张伟"),
        ("Vietnamese, precomposed", "Nguyễn Thị Ánh"),
        ("Vietnamese, combining marks", "Nguye\u{302}\u{303}n"),
        ("an emoji ZWJ sequence with a skin tone", "Amina 👩🏽\u{200D}💻"),
        ("a rainbow flag", "Kai 🏳\u{FE0F}\u{200D}🌈"),
        ("a subdivision flag (tag sequence)", "Fiona 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"),
        ("a family", "👨\u{200D}👩\u{200D}👧"),
    ]

    static let refused: [(String, String)] = [
        ("a right-to-left override", "Ada\u{202E}nimda"),
        ("a left-to-right mark", "\u{200E}Ada"),
        ("a right-to-left mark", "Ada\u{200F}"),
        ("an Arabic letter mark", "Ada\u{061C}Lovelace"),
        ("an isolate", "Ada \u{2066}x\u{2069}"),
        ("an embedding", "Ada \u{202A}x\u{202C}"),
        ("a soft hyphen", "Ada\u{00AD}Lovelace"),
        ("a bell", "Ada\u{0007}"),
        ("a line separator", "Ada\u{2028}Lovelace"),
        ("a ZWJ with nothing to join", "Ada\u{200D} Lovelace"),
        ("a ZWNJ at the start of a word", "Ada \u{200C}Lovelace"),
        ("a ZWJ between digits", "1\u{200D}2"),
        ("a tag outside an emoji", "Ada\u{E0041}"),
        ("a tag sequence without its cancel tag", "🏴\u{E0067}\u{E0062}"),
        ("a byte order mark", "Ada\u{FEFF}"),
    ]

    @Test(
        "names in Persian, Hindi, Sinhala, Malayalam, Arabic, Hebrew, Chinese, Vietnamese and with emoji sequences are accepted"
    )
    func acceptsEveryScript() async throws {
        let community = TestCommunity()
        for (index, (script, name)) in Self.accepted.enumerated() {
            let member = try await community.service.registerMember(
                NewMember(displayName: name, email: "m\(index)@example.org", country: "KE", timeZone: "Africa/Nairobi"))
            #expect(member.profile.displayName == name, "\(script)")
        }
    }

    @Test("controls, direction controls and other invisible characters are refused, naming the character")
    func refusesHostile() async throws {
        let community = TestCommunity()
        for (index, (what, name)) in Self.refused.enumerated() {
            try await community.expectRefusal({
                if case .invalidInput("displayName", let reason) = $0 { reason.contains("U+") } else { false }
            }) {
                _ = try await community.service.registerMember(
                    NewMember(
                        displayName: name, email: "h\(index)@example.org", country: "KE", timeZone: "Africa/Nairobi"))
            }
            _ = what
        }
    }
}
