public import CommunityModel
import Foundation

/// One question of a survey.
///
/// The id is chosen by the author and unique within its survey; answers name their question
/// by it.
public struct SurveyQuestion: Hashable, Sendable, Codable, Identifiable {
    /// The kind of answer a question takes.
    public enum Kind: Hashable, Sendable, Codable {
        /// A whole number from 1 to 5 (``SurveyQuestion/scaleRange``), answered with
        /// ``SurveyAnswer/scale(_:)``.
        case scale
        /// "How likely are you to recommend…": 0 to 10 (``SurveyQuestion/netPromoterRange``),
        /// answered with ``SurveyAnswer/netPromoter(_:)``.
        case netPromoter
        /// One of the options, answered with ``SurveyAnswer/choice(_:)``.
        case singleChoice([String])
        /// Any of the options, answered with ``SurveyAnswer/choices(_:)``.
        case multipleChoice([String])
        /// Text of at most `maxLength` characters, answered with ``SurveyAnswer/text(_:)``.
        case freeText(maxLength: Int)

        /// The options of a choice question, in the author's order; empty for other kinds.
        public var options: [String] {
            switch self {
            case .singleChoice(let options), .multipleChoice(let options): options
            case .scale, .netPromoter, .freeText: []
            }
        }

        /// How the kind is named in messages and exports.
        public var name: String {
            switch self {
            case .scale: "scale"
            case .netPromoter: "netPromoter"
            case .singleChoice: "singleChoice"
            case .multipleChoice: "multipleChoice"
            case .freeText: "freeText"
            }
        }
    }

    /// The values a scale question accepts.
    public static let scaleRange = 1...5
    /// The values a Net Promoter question accepts.
    public static let netPromoterRange = 0...10

    public var id: String
    /// What the respondent is asked; one line.
    public var prompt: String
    public var kind: Kind
    /// Whether every response must answer this question.
    public var isRequired: Bool

    /// - Parameters:
    ///   - id: 1 to 128 ASCII letters, digits, `.`, `_` or `-`; unique within the survey.
    ///   - prompt: the question as the respondent reads it.
    ///   - kind: the kind of answer it takes.
    ///   - isRequired: whether a response without an answer to it is refused.
    public init(id: String, prompt: String, kind: Kind, isRequired: Bool = false) {
        self.id = id
        self.prompt = prompt
        self.kind = kind
        self.isRequired = isRequired
    }
}

/// A survey as stored: checked, and never changed once created.
public struct Survey: Hashable, Sendable, Codable, Identifiable {
    public var id: SurveyID
    public var title: String
    /// Shown before the questions; nil when the author wrote none.
    public var intro: String?
    /// The questions in the order respondents see them.
    public var questions: [SurveyQuestion]
    /// Whether responses are stored without anything that links them to the respondent (see
    /// `CommunityService.respond(to:by:answers:idempotencyKey:)`).
    public var isAnonymous: Bool
    /// From this moment on the survey takes no more responses; nil keeps it open.
    public var closesAt: Date?
    public var createdBy: MemberID
    public var createdAt: Date

    public init(
        id: SurveyID,
        title: String,
        intro: String? = nil,
        questions: [SurveyQuestion],
        isAnonymous: Bool,
        closesAt: Date? = nil,
        createdBy: MemberID,
        createdAt: Date
    ) {
        self.id = id
        self.title = title
        self.intro = intro
        self.questions = questions
        self.isAnonymous = isAnonymous
        self.closesAt = closesAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether the survey still takes responses at `date`.
    public func isOpen(at date: Date) -> Bool { closesAt.map { date < $0 } ?? true }

    /// The question with this id, or nil.
    public func question(_ id: String) -> SurveyQuestion? { questions.first { $0.id == id } }
}

/// What an author fills in to create a survey: raw text, checked by
/// `CommunityService.createSurvey(_:by:idempotencyKey:)`.
public struct NewSurvey: Hashable, Sendable {
    /// The id to use; minted when nil.
    public var id: SurveyID?
    public var title: String
    public var intro: String?
    public var questions: [SurveyQuestion]
    public var isAnonymous: Bool
    public var closesAt: Date?

    public init(
        id: SurveyID? = nil,
        title: String,
        intro: String? = nil,
        questions: [SurveyQuestion],
        isAnonymous: Bool = false,
        closesAt: Date? = nil
    ) {
        self.id = id
        self.title = title
        self.intro = intro
        self.questions = questions
        self.isAnonymous = isAnonymous
        self.closesAt = closesAt
    }
}

extension NewSurvey {
    /// The most questions a survey may have.
    static let maximumQuestions = 100
    /// The most options a choice question may have.
    static let maximumOptions = 50
    /// The longest free-text answer a question may allow: ``Limits/freeText``.
    static let maximumFreeTextLength = Limits.freeText.characters

    /// The checked title, intro and questions (trimmed), or the first problem found.
    func validated() throws(CommunityError) -> (title: String, intro: String?, questions: [SurveyQuestion]) {
        if let id { try Validate.id(id.rawValue, field: "survey id") }
        let title = try Validate.name(title, field: "title")
        var checkedIntro: String?
        if let intro {
            let trimmed = intro.trimmingCharacters(in: .whitespacesAndNewlines)
            try Validate.text(trimmed, field: "intro", limit: Limits.freeText)
            checkedIntro = trimmed.isEmpty ? nil : trimmed
        }
        if let closesAt, closesAt.timeIntervalSince1970.isNaN {
            throw .invalidInput(field: "closesAt", reason: "must be a real moment, not NaN")
        }
        guard !questions.isEmpty else {
            throw .invalidInput(field: "questions", reason: "a survey needs at least one question")
        }
        guard questions.count <= Self.maximumQuestions else {
            throw .invalidInput(
                field: "questions",
                reason: "a survey may have at most \(Self.maximumQuestions) questions, this has \(questions.count)")
        }
        var seen: Set<String> = []
        var checked: [SurveyQuestion] = []
        for (index, question) in questions.enumerated() {
            let field = "questions[\(index)]"
            try Validate.id(question.id, field: "\(field).id")
            guard seen.insert(question.id).inserted else {
                throw .invalidInput(
                    field: "\(field).id",
                    reason: "the id \(question.id.debugDescription) is used by an earlier question; give each its own")
            }
            let prompt = try Validate.name(question.prompt, field: "\(field).prompt", limit: Limits.shortText)
            let kind: SurveyQuestion.Kind
            switch question.kind {
            case .scale, .netPromoter:
                kind = question.kind
            case .singleChoice(let options):
                kind = .singleChoice(try Self.options(options, field: "\(field).options"))
            case .multipleChoice(let options):
                kind = .multipleChoice(try Self.options(options, field: "\(field).options"))
            case .freeText(let maxLength):
                guard (1...Self.maximumFreeTextLength).contains(maxLength) else {
                    throw .invalidInput(
                        field: "\(field).maxLength",
                        reason: "a free-text answer may be 1 to \(Self.maximumFreeTextLength) characters long "
                            + "(Limits.freeText), not \(maxLength)")
                }
                kind = question.kind
            }
            checked.append(SurveyQuestion(id: question.id, prompt: prompt, kind: kind, isRequired: question.isRequired))
        }
        return (title, checkedIntro, checked)
    }

    /// The trimmed options: 2 to 50, each one line, no two alike (ignoring case).
    private static func options(_ options: [String], field: String) throws(CommunityError) -> [String] {
        guard options.count >= 2 else {
            throw .invalidInput(
                field: field, reason: "a choice question needs at least 2 options, this has \(options.count)")
        }
        guard options.count <= maximumOptions else {
            throw .invalidInput(
                field: field,
                reason: "a choice question may have at most \(maximumOptions) options, not \(options.count)"
            )
        }
        var seen: Set<String> = []
        var checked: [String] = []
        for (index, option) in options.enumerated() {
            let text = try Validate.name(option, field: "\(field)[\(index)]")
            guard seen.insert(text.lowercased()).inserted else {
                throw .invalidInput(
                    field: "\(field)[\(index)]",
                    reason: "the option \(text.debugDescription) is listed twice; each option must differ")
            }
            checked.append(text)
        }
        return checked
    }
}

/// One answer to one question; its case must match the question's ``SurveyQuestion/Kind``.
public enum SurveyAnswer: Hashable, Sendable, Codable {
    /// For a ``SurveyQuestion/Kind/scale`` question: 1 to 5.
    case scale(Int)
    /// For a ``SurveyQuestion/Kind/netPromoter`` question: 0 to 10.
    case netPromoter(Int)
    /// For a ``SurveyQuestion/Kind/singleChoice(_:)`` question: one of its options, exactly.
    case choice(String)
    /// For a ``SurveyQuestion/Kind/multipleChoice(_:)`` question: some of its options, each once.
    case choices([String])
    /// For a ``SurveyQuestion/Kind/freeText(maxLength:)`` question.
    case text(String)

    /// How the answer's kind is named in messages.
    var name: String {
        switch self {
        case .scale: "scale"
        case .netPromoter: "netPromoter"
        case .choice: "choice"
        case .choices: "choices"
        case .text: "text"
        }
    }

    /// Whether the answer says nothing (blank text, no choices): it counts as not answered.
    var isBlank: Bool {
        switch self {
        case .text(let text): text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .choices(let choices): choices.isEmpty
        case .scale, .netPromoter, .choice: false
        }
    }
}

/// One stored response, as the store holds it.
///
/// The response of an anonymous survey holds neither the member nor the time, and its record
/// id is random (not time-ordered), so nothing in it links it to the member who gave it. The
/// respondent's segments (chapters, journey stage) are kept so that results can be segmented.
public struct SurveyResponse: Hashable, Sendable, Codable {
    public var survey: SurveyID
    /// The respondent; nil for an anonymous survey.
    public var member: MemberID?
    /// When the response was given; nil for an anonymous survey.
    public var respondedAt: Date?
    /// The chapters the respondent belonged to when responding, sorted.
    public var chapters: [ChapterID]
    /// The respondent's journey stage when responding.
    public var journeyStage: JourneyStage
    /// Question id → answer; questions left unanswered are absent.
    public var answers: [String: SurveyAnswer]

    public init(
        survey: SurveyID,
        member: MemberID?,
        respondedAt: Date?,
        chapters: [ChapterID],
        journeyStage: JourneyStage,
        answers: [String: SurveyAnswer]
    ) {
        self.survey = survey
        self.member = member
        self.respondedAt = respondedAt
        self.chapters = chapters
        self.journeyStage = journeyStage
        self.answers = answers
    }
}

/// The record that a member responded to a survey, whose id `survey|member` makes a second
/// response fail at commit. It names no response.
struct SurveyRespondent: Hashable, Sendable, Codable {
    var survey: SurveyID
    var member: MemberID
}

extension Survey {
    /// The answers checked against the questions: blank answers dropped, every required question
    /// answered, every value in range and every option known.
    func checkedAnswers(_ answers: [String: SurveyAnswer]) throws(CommunityError) -> [String: SurveyAnswer] {
        // Unknown questions first, in a stable order, so the same input always gives the same error.
        for questionID in answers.keys.sorted() where question(questionID) == nil {
            throw .invalidInput(
                field: "answers[\(questionID.prefix(40))]",
                reason: "survey \(id) has no question \(questionID.prefix(40).debugDescription); "
                    + "its questions are \(questions.map(\.id).joined(separator: ", "))")
        }
        var checked: [String: SurveyAnswer] = [:]
        for question in questions {
            let field = "answers[\(question.id)]"
            guard let answer = answers[question.id], !answer.isBlank else {
                if question.isRequired {
                    throw .invalidInput(
                        field: field, reason: "question \(question.id) (\(question.prompt)) is required; answer it")
                }
                continue
            }
            checked[question.id] = try Self.check(answer, to: question, field: field)
        }
        guard !checked.isEmpty else {
            throw .invalidInput(field: "answers", reason: "a response must answer at least one question")
        }
        return checked
    }

    private static func check(_ answer: SurveyAnswer, to question: SurveyQuestion, field: String)
        throws(CommunityError) -> SurveyAnswer
    {
        switch (question.kind, answer) {
        case (.scale, .scale(let value)):
            guard SurveyQuestion.scaleRange.contains(value) else {
                throw .invalidInput(field: field, reason: "a scale answer must be 1 to 5, not \(value)")
            }
        case (.netPromoter, .netPromoter(let value)):
            guard SurveyQuestion.netPromoterRange.contains(value) else {
                throw .invalidInput(field: field, reason: "a Net Promoter answer must be 0 to 10, not \(value)")
            }
        case (.singleChoice(let options), .choice(let choice)):
            try known(choice, in: options, field: field)
        case (.multipleChoice(let options), .choices(let choices)):
            var seen: Set<String> = []
            for choice in choices {
                try known(choice, in: options, field: field)
                guard seen.insert(choice).inserted else {
                    throw .invalidInput(
                        field: field, reason: "the option \(choice.debugDescription) is chosen twice; choose it once")
                }
            }
        case (.freeText(let maxLength), .text(let text)):
            // A survey read back from the store was not checked by createSurvey: keep within Limits.freeText.
            let limit =
                maxLength < Limits.freeText.characters
                ? TextLimit(
                    "the question's maxLength", characters: max(maxLength, 0),
                    bytes: min(4 * max(maxLength, 0), Limits.freeText.bytes))
                : Limits.freeText
            try Validate.text(text, field: field, limit: limit)
        default:
            throw .invalidInput(
                field: field,
                reason: "question \(question.id) is a \(question.kind.name) question; "
                    + "a \(answer.name) answer does not fit it (answer with .\(expectedAnswer(for: question.kind)))")
        }
        return answer
    }

    private static func known(_ choice: String, in options: [String], field: String) throws(CommunityError) {
        guard options.contains(choice) else {
            throw .invalidInput(
                field: field,
                reason: "\(choice.prefix(60).debugDescription) is not one of the options "
                    + options.map(\.debugDescription).joined(separator: ", "))
        }
    }

    private static func expectedAnswer(for kind: SurveyQuestion.Kind) -> String {
        switch kind {
        case .scale: "scale(_:)"
        case .netPromoter: "netPromoter(_:)"
        case .singleChoice: "choice(_:)"
        case .multipleChoice: "choices(_:)"
        case .freeText: "text(_:)"
        }
    }
}
