import Storage
import Testing

/// FNV-1a is a stable digest: leaderboard tie-breaks and checkpoint checksums depend on it
/// giving the same value in every process and on every platform.
@Suite("FNV-1a")
struct FNV1aTests {
    @Test("known digests: the empty input, one letter, and a word")
    func knownDigests() {
        #expect(FNV1a.hash([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test("a string's digest is that of its UTF-8 bytes, small or large, ASCII or not")
    func stringsAsTheirBytes() {
        for text in ["", "member-650000", "a member id longer than fifteen bytes", "Zoë Đặng 🌍", "مرحبا"] {
            #expect(FNV1a.hash(text) == FNV1a.hash(text.utf8))
        }
    }
}
