public import CommunityModel
import Foundation
import Storage

/// Why recognition refused a request.
public enum RecognitionError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidInput(field: String, reason: String)

    public var description: String {
        switch self {
        case .invalidInput(let field, let reason): "Invalid \(field): \(reason)."
        }
    }
}

extension RecognitionError {
    /// Runs one of the package's shared input checks (`Validate`), reporting its refusal as a
    /// recognition error: every module validates names, text and links by the same rules.
    static func checking<Value>(_ body: () throws(CommunityError) -> Value) throws(RecognitionError) -> Value {
        do { return try body() } catch {
            if case .invalidInput(let field, let reason) = error { throw .invalidInput(field: field, reason: reason) }
            throw .invalidInput(field: "input", reason: error.description)
        }
    }
}

/// An e-certificate: who achieved what, when, with a verification code that only the school
/// (holding the secret) can make, and that anyone can have checked.
public struct Certificate: Hashable, Sendable, Codable {
    public var member: MemberID
    /// The name printed on the certificate.
    public var recipientName: String
    /// What the member achieved: "Completed Finance Basics".
    public var achievement: String
    public var issuedOn: LocalDate
    /// Who issues it: the school.
    public var issuer: String
    /// 16 characters in groups of four (`7KQ2-XM4P-9ZTB-W3HD`), from an HMAC-SHA256 of the
    /// member id, the achievement, the date and the issuer.
    public var verificationCode: String

    /// A certificate as it was issued (or typed back); ``CertificateIssuer`` makes real ones.
    package init(
        member: MemberID, recipientName: String, achievement: String, issuedOn: LocalDate, issuer: String,
        verificationCode: String
    ) {
        self.member = member
        self.recipientName = recipientName
        self.achievement = achievement
        self.issuedOn = issuedOn
        self.issuer = issuer
        self.verificationCode = verificationCode
    }

    /// The certificate as Markdown, every string escaped (the verification code too: a
    /// certificate typed back by someone can hold anything).
    public func markdown() -> String {
        """
        # Certificate: \(MarkdownEscaping.escape(achievement))

        **\(MarkdownEscaping.escape(recipientName))** — \(MarkdownEscaping.escape(achievement)), \(issuedOn)

        Issued by \(MarkdownEscaping.escape(issuer)). Verification code: \(MarkdownEscaping.escape(verificationCode))

        """
    }

    /// The certificate as one self-contained HTML page (no script, no outside resource), every
    /// string escaped, the verification code included. Right-to-left names show in their own direction (`dir="auto"`).
    public func html() -> String {
        let e = HTMLEscaping.escape
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Certificate: \(e(achievement))</title>
            <style>body{font-family:sans-serif;max-width:40em;margin:3em auto;text-align:center}\
            .code{font-family:monospace;letter-spacing:.1em}</style></head>
            <body><main>
            <h1>Certificate</h1>
            <p class="recipient" dir="auto">\(e(recipientName))</p>
            <p class="achievement" dir="auto">\(e(achievement))</p>
            <p class="date">\(issuedOn)</p>
            <p class="issuer" dir="auto">Issued by \(e(issuer))</p>
            <p>Verification code: <span class="code">\(e(verificationCode))</span></p>
            </main></body></html>

            """
    }
}

/// Issues certificates and checks their codes with a secret the integrator supplies (at least
/// 32 bytes; keep it out of the store). The code is the first 80 bits of
/// HMAC-SHA256(secret, member, achievement, date, issuer) in Crockford's base 32: without the
/// secret it cannot be made, and checking needs no stored record.
public struct CertificateIssuer: Sendable {
    public let issuer: String
    private let secret: [UInt8]

    public init(issuer: String, secret: [UInt8]) throws(RecognitionError) {
        guard secret.count >= 32 else {
            throw .invalidInput(field: "secret", reason: "must be at least 32 bytes, not \(secret.count)")
        }
        self.issuer = try RecognitionError.checking { () throws(CommunityError) in
            try Validate.name(issuer, field: "issuer")
        }
        self.secret = secret
    }

    /// A certificate for `member`.
    public func issue(to member: MemberID, name: String, for achievement: String, on date: LocalDate)
        throws(RecognitionError) -> Certificate
    {
        let (name, achievement) = try RecognitionError.checking { () throws(CommunityError) in
            (try Validate.name(name, field: "name"), try Validate.name(achievement, field: "achievement"))
        }
        return Certificate(
            member: member, recipientName: name, achievement: achievement, issuedOn: date, issuer: issuer,
            verificationCode: code(member: member, achievement: achievement, date: date))
    }

    /// Whether the certificate's code is the one this issuer makes for its member, achievement
    /// and date. Codes are compared without case, dashes or spaces, and with Crockford's
    /// look-alikes (O for 0, I and L for 1).
    public func verify(_ certificate: Certificate) -> Bool {
        guard certificate.issuer == issuer else { return false }
        let expected = Self.normalized(
            code(member: certificate.member, achievement: certificate.achievement, date: certificate.issuedOn))
        return HMACSHA256.isEqual(Array(expected.utf8), Array(Self.normalized(certificate.verificationCode).utf8))
    }

    private func code(member: MemberID, achievement: String, date: LocalDate) -> String {
        // Fields joined by a separator that cannot occur in them (NUL is refused on input).
        let message = ["certificate-v1", member.rawValue, achievement, date.description, issuer].joined(separator: "\0")
        let mac = HMACSHA256.authenticationCode(for: Array(message.utf8), key: secret)
        let symbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits = 0
        var value = 0
        var characters: [Character] = []
        for byte in mac.prefix(10) {
            value = value << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                characters.append(symbols[(value >> bits) & 31])
            }
            value &= (1 << bits) - 1
        }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    static func normalized(_ code: String) -> String {
        String(
            code.uppercased().compactMap { character -> Character? in
                switch character {
                case "-", " ": nil
                case "O": "0"
                case "I", "L": "1"
                default: character
                }
            })
    }
}
