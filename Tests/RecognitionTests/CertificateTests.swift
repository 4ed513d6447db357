import CommunityModel
import Foundation
import Storage
import Testing

@testable import Recognition

/// E-certificates carry a code only the school can make (an HMAC with its secret) and that the
/// library checks; their Markdown and HTML show hostile names as text.
@Suite("Certificates")
struct CertificateTests {
    static let secret = Array("a secret of at least thirty-two bytes, kept by the school".utf8)
    static let day = try! LocalDate(year: 2026, month: 11, day: 23)

    @Test("scenario: the school issues a certificate, and its code checks out; changed facts do not")
    func issueAndVerify() throws {
        let issuer = try CertificateIssuer(issuer: "Brightpath Academy", secret: Self.secret)
        let certificate = try issuer.issue(
            to: "m-1", name: "Amina Mwangi", for: "Completed Finance Basics", on: Self.day)
        #expect(certificate.verificationCode.count == 19)
        #expect(certificate.verificationCode.split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(issuer.verify(certificate))

        // Typed by hand: lower case, no dashes, O for 0 and I for 1 are all accepted.
        var typed = certificate
        typed.verificationCode = certificate.verificationCode.lowercased().replacingOccurrences(of: "-", with: " ")
            .replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "i")
        #expect(issuer.verify(typed))

        // Any fact changed, or another school's secret: the code no longer checks out.
        var changed = [certificate, certificate, certificate, certificate]
        changed[0].achievement = "Completed Negotiation"
        changed[1].issuedOn = try LocalDate(year: 2026, month: 11, day: 24)
        changed[2].member = "m-2"
        changed[3].verificationCode = String(certificate.verificationCode.reversed())
        for forged in changed { #expect(!issuer.verify(forged)) }
        let other = try CertificateIssuer(issuer: "Brightpath Academy", secret: Array(Self.secret.reversed()))
        #expect(!other.verify(certificate))
        // The name is not part of the code: a member who changes their name keeps a valid certificate.
        var renamed = certificate
        renamed.recipientName = "Amina M."
        #expect(issuer.verify(renamed))
    }

    @Test("a short secret, an empty issuer, name or achievement, or a NUL is refused")
    func badInput() throws {
        #expect(throws: RecognitionError.self) { try CertificateIssuer(issuer: "School", secret: [1, 2, 3]) }
        #expect(throws: RecognitionError.self) { try CertificateIssuer(issuer: "  ", secret: Self.secret) }
        let issuer = try CertificateIssuer(issuer: "School", secret: Self.secret)
        #expect(throws: RecognitionError.self) { try issuer.issue(to: "m", name: " ", for: "X", on: Self.day) }
        #expect(throws: RecognitionError.self) { try issuer.issue(to: "m", name: "A", for: "", on: Self.day) }
        #expect(throws: RecognitionError.self) { try issuer.issue(to: "m", name: "A\u{0}B", for: "X", on: Self.day) }
    }

    @Test("HTML and Markdown show hostile names as text: tags, quotes, ampersands, right-to-left")
    func hostileNames() throws {
        let issuer = try CertificateIssuer(issuer: "Brightpath <Academy> & \"Friends\"", secret: Self.secret)
        let name = "<script>alert('x')</script> سارة"
        // A name is held to the package's one rule for names: a bidi override is refused, not printed.
        #expect(throws: RecognitionError.self) {
            try issuer.issue(to: "m-1", name: "\u{202E}evil\u{202C}", for: "Completed", on: Self.day)
        }
        let certificate = try issuer.issue(to: "m-1", name: name, for: "Completed *Finance* [Basics](x)", on: Self.day)
        let html = certificate.html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("Brightpath &lt;Academy&gt; &amp; &quot;Friends&quot;"))
        #expect(html.contains("سارة"))
        #expect(html.contains("dir=\"auto\""))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<script"))
        let markdown = certificate.markdown()
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("\\*Finance\\*") && markdown.contains("\\[Basics\\](x)"))
    }
}

/// The findings of issue 26 about what leaves the library.
@Suite("Secrets and escaping in certificates and assertions")
struct CertificateOutputTests {
    @Test("a verification code typed back with markup is shown as text in HTML and Markdown")
    func hostileCode() throws {
        let issuer = try CertificateIssuer(issuer: "Brightpath Academy", secret: CertificateTests.secret)
        var certificate = try issuer.issue(to: "m-1", name: "Amina", for: "Finance", on: CertificateTests.day)
        certificate.verificationCode = "<script>alert(1)</script>`x`"
        #expect(!certificate.html().contains("<script>"))
        #expect(certificate.html().contains("&lt;script&gt;"))
        #expect(!certificate.markdown().contains("<script>"))
        #expect(!certificate.markdown().contains("`x`"))
    }

    @Test("an assertion URL is keyed by the issuer's secret: from the award id alone nobody finds it")
    func assertionURLNeedsTheSecret() throws {
        let base = URL(string: "https://brightpath.example/openbadges")!
        let issuer = IssuerProfile(
            name: "Brightpath Academy", url: URL(string: "https://brightpath.example")!,
            email: "badges@brightpath.example")
        let one = try OpenBadgesPublisher(issuer: issuer, baseURL: base, secret: Array(repeating: 1, count: 32))
        let other = try OpenBadgesPublisher(issuer: issuer, baseURL: base, secret: Array(repeating: 2, count: 32))
        let award: AwardID = "helper|m-1|1"
        // The old URL: a plain hash of the award id, which anyone could compute.
        let plain = SHA256.hex(Array(SHA256.hash(award.rawValue.utf8).prefix(16)))
        #expect(!one.assertionURL(award).absoluteString.contains(plain))
        #expect(one.assertionURL(award) != other.assertionURL(award))
        #expect(one.assertionURL(award) == one.assertionURL(award))
    }
}
