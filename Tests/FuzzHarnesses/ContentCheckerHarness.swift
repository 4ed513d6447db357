import CommunityModel
import CommunitySimulation
import Guidelines

/// The content checker fed any draft, on any channel and day, built from the sample guidelines
/// (banned phrases, brand names and their misspellings, logo claims, hashtags, links).
///
/// Properties: every finding points inside the draft, its UTF-16 range matches its range, and
/// a suggested fix (the last one) applied gives a draft the checker can check again; checking is
/// deterministic; a check passes exactly when no finding is an error.
enum ContentCheckerHarness {
    static let checker: ContentChecker = {
        do {
            return try ContentChecker(document: SampleGuidelines.document(version: try GuidelineVersion("1.0")))
        } catch {
            fatalError("the sample guidelines do not build a checker: \(error)")
        }
    }()

    static let pieces = [
        "Brightpath", "brightpath", "Bright Path", "BrightPath Academy", "world class", "guaranteed", "#Brightpath",
        "https://brightpath.example/x", "http://", "A Brightpath Academy community", "official partner", "logo",
        " ", "\n", "#", "@", ".",
    ]

    static let target = FuzzTarget(
        name: "content-checker",
        summary: "drafts of any text on every channel and day: findings inside the draft, fixes that apply, determinism"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let channel: ContentChannel = input.pick([
            .forumPost, .eventDescription, .socialPost(network: "x"), .socialPost(network: "linkedin"),
            .socialPost(network: input.text(maxBytes: 12)),
        ])
        let day = LocalDate(dayNumber: LocalDate.first.dayNumber + Int(input.int64() & 0x1_FFFF))
        var draft = ""
        while !input.isExhausted && draft.utf8.count < 1_500 {
            draft += input.bool() ? input.pick(pieces) : input.text(maxBytes: 40)
        }
        let context = ContentContext(hasLogoPermission: input.bool())
        let check = checker.check(draft, for: channel, on: day, context: context)
        try expect(check == checker.check(draft, for: channel, on: day, context: context), "two checks differ")
        try expect(
            check.passes == !check.findings.contains { $0.severity == .error }, "passes disagrees with the findings")
        let utf16Count = draft.utf16.count
        for finding in check.findings {
            try expect(
                finding.range.lowerBound >= draft.startIndex && finding.range.upperBound <= draft.endIndex,
                "a finding's range lies outside the draft")
            let lower = draft.utf16.distance(from: draft.startIndex, to: finding.range.lowerBound)
            let upper = draft.utf16.distance(from: draft.startIndex, to: finding.range.upperBound)
            try expect(
                finding.utf16Range == lower..<upper && upper <= utf16Count,
                "a finding's UTF-16 range \(finding.utf16Range) is not its range \(lower)..<\(upper)")
            if let replacement = finding.replacement, finding == check.findings.last(where: { $0.replacement != nil }) {
                var fixed = draft
                fixed.replaceSubrange(finding.range, with: replacement)
                _ = checker.check(fixed, for: channel, on: day, context: context)
            }
        }
    }
}
