import Testing

@testable import Storage

/// SHA-256 and HMAC-SHA256 agree with the published test vectors: NIST FIPS 180-4's examples
/// (and the million-`a` message) and RFC 4231's HMAC cases.
@Suite("SHA-256 and HMAC-SHA256")
struct SHA256Tests {
    @Test("the NIST examples: empty, abc, the 448-bit message and a million a's")
    func nistVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("messages fed in pieces hash as a whole, at every length around the block and padding edges")
    func incremental() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var hasher = SHA256()
            hasher.update(message.prefix(length / 3))
            hasher.update(message.dropFirst(length / 3))
            #expect(hasher.finalize() == SHA256.hash(message))
        }
    }

    @Test("RFC 4231 test cases 1, 2, 3 and 6 (a key longer than a block)")
    func hmacVectors() {
        func code(_ key: [UInt8], _ message: [UInt8]) -> String {
            SHA256.hex(HMACSHA256.authenticationCode(for: message, key: key))
        }
        #expect(
            code([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            code(Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            code([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50))
                == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
        #expect(
            code(
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("codes compare equal only when every byte is equal")
    func constantTimeComparison() {
        let code = HMACSHA256.authenticationCode(for: Array("m".utf8), key: Array("k".utf8))
        var changed = code
        changed[31] ^= 1
        #expect(HMACSHA256.isEqual(code, code))
        #expect(!HMACSHA256.isEqual(code, changed))
        #expect(!HMACSHA256.isEqual(code, Array(code.prefix(16))))
    }
}
