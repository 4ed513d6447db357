// Content checker benchmark. See Benchmarks/README.md.
//
// Checks a generated draft of N words (10,000 by default) against a document of about 200
// rules (the sample guidelines plus generated banned phrases and misspellings), and compares
// with a naive baseline measured in the same run: one case-insensitive Foundation search of
// the whole draft per rule, which finds the phrases but knows nothing of word boundaries,
// links, fixes or ranges in UTF-16.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Guidelines
import Storage

var words = 10_000
var rounds = 20
forEachOption(in: Array(CommandLine.arguments.dropFirst())) { name, value in
    switch name {
    case "--words": words = try positiveNumber(value)
    case "--rounds": rounds = try positiveNumber(value)
    default: throw BenchmarkError("unknown option \(name)")
    }
}

var random = SeededGenerator(seed: 7)
var document = SampleGuidelines.document(version: try GuidelineVersion("1.0"))
let vocabulary = [
    "learners", "budget", "meetup", "practise", "chapter", "négociation", "café", "data", "Nairobi", "together",
    "questions", "👩🏽‍💻", "مرحبا", "שלום", "week", "slides", "evening", "finance", "share", "ideas",
]
// About 200 rules: generated banned phrases and misspellings next to the sample's own.
for index in 0..<180 {
    document.style.bannedPhrases.append(
        BannedPhrase(
            phrase: "\(vocabulary[index % vocabulary.count]) phrase\(index)", replacement: "better\(index)",
            reason: "generated"))
}
for index in 0..<12 { document.style.brandNames[0].misspellings.append("Brightpat\(index)") }
let checker = try ContentChecker(document: document)
let ruleCount =
    document.style.bannedPhrases.count + document.style.brandNames.reduce(0) { $0 + 1 + $1.misspellings.count }
    + document.logo.claimPhrases.count + document.campaigns.count + document.allowedLinkDomains.count + 2

// The draft: vocabulary words with, now and then, something a rule catches.
let hits = [
    "brightpath", "world class", "phrase3", "https://evil.example/x", "#LearnTogether", "logo", "Brightpat4",
    "https://events.brightpath.example/a",
]
var draftWords: [String] = []
for index in 0..<words {
    draftWords.append(
        index % 50 == 49
            ? hits[Int(random.next() % UInt64(hits.count))] : vocabulary[Int(random.next() % UInt64(vocabulary.count))])
}
let draft = draftWords.joined(separator: " ")
let day = try! LocalDate(year: 2026, month: 11, day: 10)
let channel = ContentChannel.forumPost

let clock = ContinuousClock()
var findings = 0
var start = clock.now
for _ in 0..<rounds { findings = checker.check(draft, for: channel, on: day).findings.count }
let checkTime = (clock.now - start) / rounds

start = clock.now
let fixed = checker.fixing(draft, for: channel, on: day)
let fixTime = clock.now - start

// The baseline: every rule's phrase searched for in the whole draft, case-insensitively.
let phrases =
    document.style.bannedPhrases.map(\.phrase) + document.style.brandNames.flatMap { [$0.canonical] + $0.misspellings }
    + document.logo.claimPhrases + document.campaigns.map(\.hashtag)
var baselineHits = 0
start = clock.now
for _ in 0..<rounds {
    baselineHits = 0
    for phrase in phrases {
        var range = draft.startIndex..<draft.endIndex
        while let found = draft.range(of: phrase, options: .caseInsensitive, range: range) {
            baselineHits += 1
            range = found.upperBound..<draft.endIndex
        }
    }
}
let baselineTime = (clock.now - start) / rounds

func milliseconds(_ duration: Duration) -> String {
    String(
        format: "%.1f ms", Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15)
}
print(
    "guidelines benchmark: a \(format(Double(words)))-word draft (\(format(Double(draft.count))) characters), \(ruleCount) rules"
)
print(
    "  check: \(milliseconds(checkTime)) per draft (mean of \(rounds)), \(findings) findings; "
        + "check and fix until clean: \(milliseconds(fixTime)), \(fixed.report.findings.count) findings left (no automatic fix)"
)
print(
    "  naive baseline (one case-insensitive search per rule): \(milliseconds(baselineTime)) per draft, \(baselineHits) raw hits; "
        + "baseline / checker: "
        + String(format: "%.1f", Double(baselineTime / .nanoseconds(1)) / Double(checkTime / .nanoseconds(1))) + "×")
