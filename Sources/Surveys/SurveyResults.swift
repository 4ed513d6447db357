public import CommunityModel
import Foundation

/// How survey results are reported.
public struct SurveyPolicy: Hashable, Sendable, Codable {
    /// A segment with fewer responses than this is hidden: listed, but with neither its size nor
    /// its figures. The overall results of an anonymous survey are hidden the same way while
    /// fewer members than this responded.
    public var minimumSegmentSize: Int

    /// - Parameter minimumSegmentSize: at least 1; 5 by default.
    public init(minimumSegmentSize: Int = 5) {
        self.minimumSegmentSize = minimumSegmentSize
    }

    private enum CodingKeys: String, CodingKey { case minimumSegmentSize }

    /// Decodes a policy and checks it as the results do before using it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(minimumSegmentSize: try container.decode(Int.self, forKey: .minimumSegmentSize))
        do { _ = try validated() } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .minimumSegmentSize, in: container, debugDescription: error.description)
        }
    }

    func validated() throws(CommunityError) -> Self {
        guard minimumSegmentSize >= 1 else {
            throw .invalidInput(
                field: "minimumSegmentSize", reason: "must be at least 1, not \(minimumSegmentSize)")
        }
        return self
    }
}

/// How results are split into segments of respondents.
public enum SurveySegmentation: String, Hashable, Sendable, Codable, CaseIterable {
    /// One set of figures for all respondents.
    case none
    /// By the chapter respondents belonged to when they responded. Segments do not overlap, so
    /// that no difference of two segments can single anyone out: a member of one chapter counts
    /// in it, a member of several in ``SurveySegment/severalChapters``, a member of none in
    /// ``SurveySegment/noChapter``.
    case chapter
    /// By the respondents' `JourneyStage` when they responded.
    case journeyStage
}

/// A group of respondents that results are reported for.
public enum SurveySegment: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Every respondent.
    case all
    case chapter(ChapterID)
    /// Respondents who belonged to more than one chapter.
    case severalChapters
    /// Respondents who belonged to no chapter.
    case noChapter
    case journeyStage(JourneyStage)

    /// All first, then chapters by id, members of no chapter, then stages in journey order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.chapter(let a), .chapter(let b)): a < b
        case (.journeyStage(let a), .journeyStage(let b)): a < b
        default: lhs.rank < rhs.rank
        }
    }

    private var rank: Int {
        switch self {
        case .all: 0
        case .chapter: 1
        case .severalChapters: 2
        case .noChapter: 3
        case .journeyStage: 4
        }
    }

    /// How exports name the segment: `all`, `chapter nbo`, `no chapter`, `stage alumnus`.
    public var description: String {
        switch self {
        case .all: "all"
        case .chapter(let id): "chapter \(id)"
        case .severalChapters: "several chapters"
        case .noChapter: "no chapter"
        case .journeyStage(let stage): "stage \(stage.rawValue)"
        }
    }
}

/// The figures of a 1–5 scale question.
public struct ScaleSummary: Hashable, Sendable {
    /// How many answered 1, 2, 3, 4 and 5: `counts[0]` is the number of 1s.
    public var counts: [Int]
    /// The mean answer; nil when nobody answered.
    public var mean: Double?

    /// How many answered `value`; 0 outside 1…5.
    public func count(of value: Int) -> Int {
        SurveyQuestion.scaleRange.contains(value) ? counts[value - SurveyQuestion.scaleRange.lowerBound] : 0
    }
}

/// The figures of a Net Promoter question.
public struct NetPromoterSummary: Hashable, Sendable {
    /// How many answered 0 through 10: `counts[0]` is the number of 0s.
    public var counts: [Int]
    /// Answers of 9 or 10.
    public var promoters: Int
    /// Answers of 7 or 8.
    public var passives: Int
    /// Answers of 0 to 6.
    public var detractors: Int
    /// Percent promoters minus percent detractors, from −100 to 100; nil when nobody answered.
    public var score: Double?
    /// ``score`` rounded to a whole number (halves away from zero), as the score is usually
    /// reported; nil when nobody answered.
    public var roundedScore: Int?

    /// The figures of answers counted per value 0…10.
    init(counts: [Int]) {
        self.counts = counts
        promoters = counts[9...10].reduce(0, +)
        passives = counts[7...8].reduce(0, +)
        detractors = counts[0...6].reduce(0, +)
        let answers = promoters + passives + detractors
        if answers == 0 {
            score = nil
            roundedScore = nil
        } else {
            let difference = (promoters - detractors) * 100
            score = Double(difference) / Double(answers)
            roundedScore = FixedPoint.divideRounded(difference, by: answers)
        }
    }
}

/// How often one option of a choice question was chosen.
public struct OptionCount: Hashable, Sendable {
    public var option: String
    public var count: Int

    public init(option: String, count: Int) {
        self.option = option
        self.count = count
    }
}

/// The figures of one question, by its kind.
public enum SurveyQuestionSummary: Hashable, Sendable {
    case scale(ScaleSummary)
    case netPromoter(NetPromoterSummary)
    /// Each option in the survey's order with how many chose it.
    case singleChoice([OptionCount])
    /// Each option in the survey's order with how many chose it; `respondents` is how many
    /// answered the question (each may choose several options), the base for percentages.
    case multipleChoice([OptionCount], respondents: Int)
    /// The answers, sorted, when the results were computed with free text; nil otherwise.
    case freeText([String]?)
}

/// The figures of one question in one segment.
public struct SurveyQuestionResults: Hashable, Sendable {
    /// The question's id.
    public var question: String
    public var prompt: String
    /// How many responses answered this question.
    public var responseCount: Int
    public var summary: SurveyQuestionSummary
}

/// The results of one segment, or the word that it is hidden.
public struct SurveySegmentResults: Hashable, Sendable {
    public var segment: SurveySegment
    /// Whether the segment has fewer responses than the policy's minimum: then its size and
    /// figures are withheld.
    public var isHidden: Bool
    /// The responses in the segment; nil when hidden.
    public var responseCount: Int?
    /// One entry per question, in the survey's order; empty when hidden.
    public var questions: [SurveyQuestionResults]
}

/// A survey's results, overall and per segment, with exports to CSV and Markdown.
///
/// Every list is in a fixed order (segments by ``SurveySegment``'s order, questions and
/// options in the survey's order, free text sorted), so equal inputs give equal exports.
public struct SurveyResults: Hashable, Sendable {
    public var survey: SurveyID
    public var title: String
    public var isAnonymous: Bool
    public var segmentation: SurveySegmentation
    /// Whether free-text answers were included; exports show them only then.
    public var includesFreeText: Bool
    /// The policy's minimum segment size the results were computed with.
    public var minimumSegmentSize: Int
    /// Every response to the survey; nil while the overall figures are hidden (a segment is
    /// below the minimum size, or an anonymous survey has fewer responses than it).
    public var responseCount: Int?
    /// All respondents together.
    public var overall: SurveySegmentResults
    /// One entry per segment that has responses; empty when not segmented.
    public var segments: [SurveySegmentResults]

    /// The results of one segment, or nil when no response falls in it.
    public func results(for segment: SurveySegment) -> SurveySegmentResults? {
        segment == .all ? overall : segments.first { $0.segment == segment }
    }
}

// MARK: - Aggregation

/// Running counts of one set of responses: per question, how many answered and how often each
/// value or option was chosen. Memory grows with questions and options, not with responses
/// (free text aside, when it is asked for).
struct SurveyTally: Hashable, Sendable, Codable {
    struct Question: Hashable, Sendable, Codable {
        var answered = 0
        /// Per value (scale 1…5, Net Promoter 0…10) or per option; empty for free text.
        var counts: [Int]
        /// Kept in byte order, never in the order they arrived.
        var texts: [String] = []

        mutating func insert(_ text: String) {
            var (low, high) = (0, texts.count)
            while low < high {
                let middle = (low + high) / 2
                if texts[middle].utf8.lexicographicallyPrecedes(text.utf8) { low = middle + 1 } else { high = middle }
            }
            texts.insert(text, at: low)
        }
    }

    var responses = 0
    var questions: [Question]

    /// Adds another tally of the same survey to this one.
    mutating func merge(_ other: SurveyTally) {
        responses += other.responses
        for index in questions.indices where index < other.questions.count {
            questions[index].answered += other.questions[index].answered
            for (position, count) in other.questions[index].counts.enumerated()
            where position < questions[index].counts.count {
                questions[index].counts[position] += count
            }
            for text in other.questions[index].texts { questions[index].insert(text) }
        }
    }

    init(_ survey: Survey) {
        questions = survey.questions.map { question in
            switch question.kind {
            case .scale: Question(counts: Array(repeating: 0, count: SurveyQuestion.scaleRange.count))
            case .netPromoter: Question(counts: Array(repeating: 0, count: SurveyQuestion.netPromoterRange.count))
            case .singleChoice(let options), .multipleChoice(let options):
                Question(counts: Array(repeating: 0, count: options.count))
            case .freeText: Question(counts: [])
            }
        }
    }
}

extension SurveySegment {
    /// The chapter segment of a respondent of these chapters.
    static func chapterSegment(of chapters: [ChapterID]) -> SurveySegment {
        switch Set(chapters).count {
        case 0: .noChapter
        case 1: .chapter(chapters[0])
        default: .severalChapters
        }
    }
}

/// What an anonymous survey stores instead of its responses: tallies, overall and for every
/// segment of every segmentation, split in a few shards so that concurrent responses rarely
/// meet. No record, entry or order names a respondent: a response adds to the counts of a
/// shard drawn at random (free text kept in byte order), and the record that says the member
/// responded holds no answer.
package struct AnonymousTallies: Hashable, Sendable, Codable {
    var survey: SurveyID
    var overall: SurveyTally
    var chapters: [SurveySegment: SurveyTally] = [:]
    var stages: [SurveySegment: SurveyTally] = [:]
    /// The shard's text chunk being filled, and how many texts it holds.
    var textChunk = 0
    var textsInChunk = 0

    package init(survey: Survey) {
        self.survey = survey.id
        overall = SurveyTally(survey)
    }

    /// Counts one response overall and in its segments; its free text goes to the shard's
    /// ``AnonymousTexts`` chunk instead (see ``texts(of:in:)``), so that this record stays small.
    package mutating func add(_ response: SurveyResponse, of survey: Survey) {
        let counter = SurveyAggregator(survey: survey, segmentation: .none, includeFreeText: false)
        counter.add(response, to: &overall)
        counter.add(response, to: &chapters[.chapterSegment(of: response.chapters), default: SurveyTally(survey)])
        counter.add(response, to: &stages[.journeyStage(response.journeyStage), default: SurveyTally(survey)])
    }

    /// The free-text answers of `response`, with the segments they count in.
    static func texts(of response: SurveyResponse, in survey: Survey) -> [AnonymousTexts.Entry] {
        survey.questions.enumerated().compactMap { index, question in
            guard case .freeText = question.kind, case .text(let text)? = response.answers[question.id] else {
                return nil
            }
            return AnonymousTexts.Entry(
                question: index, text: text, chapter: .chapterSegment(of: response.chapters),
                stage: .journeyStage(response.journeyStage))
        }
    }

    /// Shards per survey.
    static let shards = 8

    /// Whether every tally has the survey's shape (a count per scale point or option of each
    /// question): stored tallies that do not are damaged, and counting into them would trap.
    /// Counts are held within `Int32` (``Limits``), so adding the shards up cannot overflow.
    func fits(_ survey: Survey) -> Bool {
        let shape = SurveyTally(survey).questions.map(\.counts.count)
        let counts = 0...Int(Int32.max)
        guard counts.contains(textChunk), counts.contains(textsInChunk) else { return false }
        return ([overall] + Array(chapters.values) + Array(stages.values)).allSatisfy { tally in
            counts.contains(tally.responses) && tally.questions.map(\.counts.count) == shape
                && tally.questions.allSatisfy { question in
                    counts.contains(question.answered) && question.counts.allSatisfy(counts.contains)
                }
        }
    }
}

/// Free-text answers of an anonymous survey, in chunks of at most ``capacity`` per shard (id
/// `survey|shard|chunk`), each kept in byte order: bounded records, written like the tallies.
struct AnonymousTexts: Hashable, Sendable, Codable {
    struct Entry: Hashable, Sendable, Codable {
        var question: Int
        var text: String
        var chapter: SurveySegment
        var stage: SurveySegment

        /// Byte order of the text first, so that a chunk's order says nothing of arrival.
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            if a.text != b.text { return a.text.utf8.lexicographicallyPrecedes(b.text.utf8) }
            if a.question != b.question { return a.question < b.question }
            return "\(a.chapter)|\(a.stage)".utf8.lexicographicallyPrecedes("\(b.chapter)|\(b.stage)".utf8)
        }
    }

    var survey: SurveyID
    var entries: [Entry] = []

    mutating func insert(_ entry: Entry) {
        var (low, high) = (0, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if Entry.precedes(entries[middle], entry) { low = middle + 1 } else { high = middle }
        }
        entries.insert(entry, at: low)
    }

    static let capacity = 256
}

/// Folds responses into overall and per-segment tallies, then reports them.
package struct SurveyAggregator {
    let survey: Survey
    let segmentation: SurveySegmentation
    let includeFreeText: Bool
    /// Per question: option → position, for choice questions.
    private let optionIndexes: [[String: Int]]
    private var overall: SurveyTally
    private var segments: [SurveySegment: SurveyTally] = [:]

    package init(survey: Survey, segmentation: SurveySegmentation, includeFreeText: Bool) {
        self.survey = survey
        self.segmentation = segmentation
        self.includeFreeText = includeFreeText
        optionIndexes = survey.questions.map { question in
            Dictionary(question.kind.options.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
        overall = SurveyTally(survey)
    }

    /// Counts one response overall and in each of its segments.
    package mutating func add(_ response: SurveyResponse) {
        add(response, to: &overall)
        let keys: [SurveySegment]
        switch segmentation {
        case .none: keys = []
        case .chapter: keys = [SurveySegment.chapterSegment(of: response.chapters)]
        case .journeyStage: keys = [.journeyStage(response.journeyStage)]
        }
        for key in keys { add(response, to: &segments[key, default: SurveyTally(survey)]) }
    }

    /// Adds the free-text answers an anonymous survey keeps in chunks, when asked for them.
    mutating func add(_ chunk: AnonymousTexts) {
        guard includeFreeText else { return }
        for entry in chunk.entries where entry.question < overall.questions.count {
            overall.questions[entry.question].insert(entry.text)
            let key: SurveySegment? =
                switch segmentation {
                case .none: nil
                case .chapter: entry.chapter
                case .journeyStage: entry.stage
                }
            if let key, segments[key] != nil { segments[key]?.questions[entry.question].insert(entry.text) }
        }
    }

    /// Counts the tallies an anonymous survey keeps instead of its responses.
    package mutating func add(_ stored: AnonymousTallies) {
        overall.merge(stored.overall)
        let parts: [SurveySegment: SurveyTally] =
            switch segmentation {
            case .none: [:]
            case .chapter: stored.chapters
            case .journeyStage: stored.stages
            }
        for (key, tally) in parts { segments[key, default: SurveyTally(survey)].merge(tally) }
    }

    func add(_ response: SurveyResponse, to tally: inout SurveyTally) {
        tally.responses += 1
        for (index, question) in survey.questions.enumerated() {
            guard let answer = response.answers[question.id] else { continue }
            var counted = true
            switch (question.kind, answer) {
            case (.scale, .scale(let value)) where SurveyQuestion.scaleRange.contains(value):
                tally.questions[index].counts[value - SurveyQuestion.scaleRange.lowerBound] += 1
            case (.netPromoter, .netPromoter(let value)) where SurveyQuestion.netPromoterRange.contains(value):
                tally.questions[index].counts[value] += 1
            case (.singleChoice, .choice(let choice)):
                if let position = optionIndexes[index][choice] {
                    tally.questions[index].counts[position] += 1
                } else {
                    counted = false
                }
            case (.multipleChoice, .choices(let choices)):
                let positions = Set(choices.compactMap { optionIndexes[index][$0] })
                for position in positions { tally.questions[index].counts[position] += 1 }
                counted = !positions.isEmpty
            case (.freeText, .text(let text)):
                if includeFreeText { tally.questions[index].insert(text) }
            default:
                // Stored responses were checked against the survey, which never changes; an
                // answer that does not fit is not counted rather than failing the report.
                counted = false
            }
            if counted { tally.questions[index].answered += 1 }
        }
    }

    /// The results, with segments below the policy's minimum hidden, and the overall figures
    /// hidden too while any segment is: segments do not overlap, so the overall figures less
    /// the visible segments' would give the hidden ones away (complementary suppression). A
    /// hidden cell shows no size either.
    package func results(policy: SurveyPolicy) -> SurveyResults {
        let minimum = policy.minimumSegmentSize
        let anyHidden = segments.values.contains { $0.responses < minimum }
        // Overall figures of an anonymous survey with a handful of responses would show those
        // few members' answers to anyone who knows from the log who responded.
        let hideOverall =
            anyHidden || (survey.isAnonymous && overall.responses > 0 && overall.responses < minimum)
        return SurveyResults(
            survey: survey.id, title: survey.title, isAnonymous: survey.isAnonymous, segmentation: segmentation,
            includesFreeText: includeFreeText, minimumSegmentSize: minimum,
            responseCount: hideOverall ? nil : overall.responses,
            overall: report(.all, overall, hidden: hideOverall),
            segments: segments.keys.sorted().map { key in
                let tally = segments[key]!
                return report(key, tally, hidden: tally.responses < minimum)
            })
    }

    private func report(_ segment: SurveySegment, _ tally: SurveyTally, hidden: Bool) -> SurveySegmentResults {
        guard !hidden else {
            return SurveySegmentResults(segment: segment, isHidden: true, responseCount: nil, questions: [])
        }
        let questions = zip(survey.questions, tally.questions).map { question, counted in
            let summary: SurveyQuestionSummary
            switch question.kind {
            case .scale:
                let weighted = counted.counts.enumerated().reduce(0) {
                    $0 + ($1.offset + SurveyQuestion.scaleRange.lowerBound) * $1.element
                }
                summary = .scale(
                    ScaleSummary(
                        counts: counted.counts,
                        mean: counted.answered == 0 ? nil : Double(weighted) / Double(counted.answered)))
            case .netPromoter:
                summary = .netPromoter(NetPromoterSummary(counts: counted.counts))
            case .singleChoice(let options):
                summary = .singleChoice(zip(options, counted.counts).map { OptionCount(option: $0, count: $1) })
            case .multipleChoice(let options):
                summary = .multipleChoice(
                    zip(options, counted.counts).map { OptionCount(option: $0, count: $1) },
                    respondents: counted.answered)
            case .freeText:
                summary = .freeText(
                    includeFreeText ? counted.texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : nil)
            }
            return SurveyQuestionResults(
                question: question.id, prompt: question.prompt, responseCount: counted.answered, summary: summary)
        }
        return SurveySegmentResults(
            segment: segment, isHidden: false, responseCount: tally.responses, questions: questions)
    }
}

/// Integer arithmetic for figures that must print the same everywhere.
enum FixedPoint {
    /// `numerator / denominator` rounded to the nearest whole number, halves away from zero.
    /// `denominator` must be positive.
    static func divideRounded(_ numerator: Int, by denominator: Int) -> Int {
        let magnitude = (2 * abs(numerator) + denominator) / (2 * denominator)
        return numerator < 0 ? -magnitude : magnitude
    }

    /// `numerator / denominator` with `places` decimals (rounded half away from zero), as text
    /// with a `.` whatever the locale: `decimal(11, 3, places: 2)` is `"3.67"`.
    static func decimal(_ numerator: Int, _ denominator: Int, places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = divideRounded(numerator * scale, by: denominator)
        let sign = scaled < 0 ? "-" : ""
        let whole = abs(scaled) / scale
        guard places > 0 else { return "\(sign)\(whole)" }
        let fraction = String(abs(scaled) % scale)
        return "\(sign)\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}

// MARK: - Exports

extension SurveyResults {
    /// The results as CSV (RFC 4180): one row per figure, lines ended by CRLF, cells with a
    /// comma, quote or line break quoted (quotes doubled), and text cells a spreadsheet would
    /// run as a formula neutralised (a leading `'`, as `CSV.cell(_:)` does).
    ///
    /// Columns: `segment`, `responses` (`hidden` for a hidden segment), `question`, `prompt`,
    /// `measure` (`responses`, `count`, `mean`, `promoters`, `passives`, `detractors`, `nps`,
    /// `nps_rounded`, `respondents`, `text`), `option` (the value or option counted) and
    /// `value`. Free-text answers appear only when the results were computed with them.
    public func csv() -> String {
        var lines = [["segment", "responses", "question", "prompt", "measure", "option", "value"].map(CSV.cell)]
        for segment in [overall] + segments {
            let label = CSV.cell(segment.segment.description)
            guard let size = segment.responseCount, !segment.isHidden else {
                lines.append([label, "hidden", "", "", "", "", ""])
                continue
            }
            for question in segment.questions {
                let prefix = [label, String(size), CSV.cell(question.question), CSV.cell(question.prompt)]
                func row(_ measure: String, option: String = "", _ value: String) {
                    lines.append(prefix + [measure, option, value])
                }
                row("responses", String(question.responseCount))
                for figure in question.figures {
                    switch figure {
                    case .count(let option, let count): row("count", option: CSV.cell(option), String(count))
                    case .measure(let name, let value): row(name, value)
                    case .text(let text): row("text", CSV.cell(text))
                    }
                }
            }
        }
        return lines.map { $0.joined(separator: ",") + "\r\n" }.joined()
    }

    /// The results as a Markdown report: a section per segment (hidden segments say so, without
    /// their size), a table per question. Text from the survey and its respondents is escaped,
    /// so it can neither break the tables nor inject HTML. Free-text answers appear only when
    /// the results were computed with them.
    public func markdown() -> String {
        var out = "# Survey results: \(MarkdownEscaping.escape(title))\n\n"
        var about =
            responseCount.map { "\($0) \($0 == 1 ? "response" : "responses")" }
            ?? "responses not counted while a group is hidden"
        if isAnonymous { about += "; anonymous survey" }
        if segmentation != .none { about += "; segmented by \(segmentation == .chapter ? "chapter" : "journey stage")" }
        out += about + ". Segments with fewer than \(minimumSegmentSize) responses are hidden.\n"
        for segment in [overall] + segments {
            let name =
                segment.segment == .all ? "All respondents" : MarkdownEscaping.escape(segment.segment.description)
            guard let size = segment.responseCount, !segment.isHidden else {
                out += "\n## \(name)\n\nHidden: fewer than \(minimumSegmentSize) responses.\n"
                continue
            }
            out += "\n## \(name) (\(size) \(size == 1 ? "response" : "responses"))\n"
            for question in segment.questions {
                let prompt = MarkdownEscaping.escape(question.prompt)
                out += "\n### \(prompt) (\(MarkdownEscaping.escape(question.question)))\n\n"
                out += "Answered by \(question.responseCount).\n"
                if case .freeText(nil) = question.summary {
                    out += "\nThe answers are not included.\n"
                    continue
                }
                var counts: [(String, Int)] = []
                var measures: [(String, String)] = []
                var texts: [String] = []
                for figure in question.figures {
                    switch figure {
                    case .count(let option, let count): counts.append((option, count))
                    case .measure(let name, let value): measures.append((name, value))
                    case .text(let text): texts.append(text)
                    }
                }
                if !counts.isEmpty {
                    out += "\n| Answer | Count |\n| --- | ---: |\n"
                    for (option, count) in counts { out += "| \(MarkdownEscaping.escape(option)) | \(count) |\n" }
                }
                if !measures.isEmpty {
                    out +=
                        "\n"
                        + measures.map { "\(Self.label($0.0)): \($0.1.isEmpty ? "n/a" : $0.1)" }.joined(separator: "; ")
                        + "\n"
                }
                if !texts.isEmpty {
                    out += "\n" + texts.map { "- \(MarkdownEscaping.escape($0))\n" }.joined()
                }
            }
        }
        return out
    }
}

extension SurveyResults {
    /// How the Markdown report names a measure of the CSV.
    fileprivate static func label(_ measure: String) -> String {
        switch measure {
        case "mean": "Mean"
        case "promoters": "Promoters"
        case "passives": "Passives"
        case "detractors": "Detractors"
        case "nps": "Net Promoter Score"
        case "nps_rounded": "NPS (rounded)"
        case "respondents": "Respondents"
        default: measure
        }
    }
}

/// One line of a question's figures, shared by the exports.
private enum Figure {
    /// How many chose a value or an option.
    case count(String, Int)
    /// A derived figure (`mean`, `nps`…); empty text when it has no value.
    case measure(String, String)
    /// One free-text answer.
    case text(String)
}

extension SurveyQuestionResults {
    /// The figures in export order. Decimals are written from exact integer arithmetic, so
    /// every platform prints the same digits.
    fileprivate var figures: [Figure] {
        switch summary {
        case .scale(let scale):
            let weighted = scale.counts.enumerated().reduce(0) {
                $0 + ($1.offset + SurveyQuestion.scaleRange.lowerBound) * $1.element
            }
            return scale.counts.enumerated().map {
                .count(String($0.offset + SurveyQuestion.scaleRange.lowerBound), $0.element)
            }
                + [.measure("mean", responseCount == 0 ? "" : FixedPoint.decimal(weighted, responseCount, places: 2))]
        case .netPromoter(let nps):
            let answers = nps.promoters + nps.passives + nps.detractors
            return nps.counts.enumerated().map { .count(String($0.offset), $0.element) } + [
                .measure("promoters", String(nps.promoters)),
                .measure("passives", String(nps.passives)),
                .measure("detractors", String(nps.detractors)),
                .measure(
                    "nps",
                    answers == 0 ? "" : FixedPoint.decimal((nps.promoters - nps.detractors) * 100, answers, places: 1)),
                .measure("nps_rounded", nps.roundedScore.map(String.init) ?? ""),
            ]
        case .singleChoice(let options):
            return options.map { .count($0.option, $0.count) }
        case .multipleChoice(let options, let respondents):
            return options.map { .count($0.option, $0.count) } + [.measure("respondents", String(respondents))]
        case .freeText(let texts):
            return (texts ?? []).map { .text($0) }
        }
    }
}
