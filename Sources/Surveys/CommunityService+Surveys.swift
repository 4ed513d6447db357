public import CommunityModel
import Foundation
import Storage

extension Collections {
    package static let surveys = RecordCollection<Survey>("surveys")
    /// Responses by survey. A non-anonymous response is also indexed by its member, so that
    /// erasing a member finds it; an anonymous one holds no member to index.
    static let surveyResponses = RecordCollection<SurveyResponse>("survey-responses") { response in
        var keys = ["survey": response.survey.rawValue]
        if let member = response.member { keys["member"] = member.rawValue }
        return keys
    }
    /// The tallies of an anonymous survey, id `survey|shard`: what it keeps instead of responses.
    static let anonymousTallies = RecordCollection<AnonymousTallies>("survey-tallies") {
        ["survey": $0.survey.rawValue]
    }
    /// The free-text answers of an anonymous survey, id `survey|shard|chunk`.
    static let anonymousTexts = RecordCollection<AnonymousTexts>("survey-texts") { ["survey": $0.survey.rawValue] }
    /// One record per member and survey, id `survey|member`: created with the response, so a
    /// second response (even a concurrent one) fails at commit.
    static let surveyRespondents = RecordCollection<SurveyRespondent>("survey-respondents") {
        ["survey": $0.survey.rawValue, "member": $0.member.rawValue]
    }
}

extension CommunityService {
    /// How many responses a results query reads from the store at a time.
    static let surveyResultsPageSize = 500

    /// Creates a survey. Staff and community managers may.
    ///
    /// ```swift
    /// let survey = try await community.createSurvey(
    ///     NewSurvey(
    ///         id: "meetups-2026", title: "How are the meetups?",
    ///         questions: [
    ///             SurveyQuestion(id: "nps", prompt: "Would you recommend the meetups?", kind: .netPromoter,
    ///                            isRequired: true),
    ///             SurveyQuestion(id: "better", prompt: "What would make them better?",
    ///                            kind: .freeText(maxLength: 500)),
    ///         ],
    ///         isAnonymous: true),
    ///     by: staff.id)
    /// ```
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for an empty or over-long title,
    ///   no questions, a bad or repeated question id, a choice question with fewer than two or
    ///   repeated options, a free-text limit outside 1…10,000, NUL characters, or a closing time
    ///   that has passed; `CommunityError.alreadyExists(kind:id:)` when the id is taken;
    ///   `CommunityError.notPermitted(member:action:rule:reason:)` for anyone but staff.
    @discardableResult
    public func createSurvey(_ new: NewSurvey, by authorID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError) -> Survey
    {
        let checked = try new.validated()
        if let closesAt = new.closesAt { try Validate.date(closesAt, field: "closesAt") }
        return try await transact(
            by: authorID, key: idempotencyKey,
            replay: .record(Collections.surveys, kind: "survey", id: { $0.id.rawValue })
        ) { tx in
            let author = try await tx.member(authorID)
            try await tx.requireStaff(author.value, to: "create surveys")
            if let closesAt = new.closesAt, closesAt <= tx.now {
                throw CommunityError.invalidInput(
                    field: "closesAt", reason: "the survey would be closed already (\(closesAt.formatted(.iso8601)))")
            }
            let id = new.id ?? SurveyID(tx.newID())
            if try await tx.find(id.rawValue, in: Collections.surveys) != nil {
                throw CommunityError.alreadyExists(kind: "survey", id: id.rawValue)
            }
            let survey = Survey(
                id: id, title: checked.title, intro: checked.intro, questions: checked.questions,
                isAnonymous: new.isAnonymous, closesAt: new.closesAt.map { Timestamp($0).date }, createdBy: authorID,
                createdAt: tx.now)
            try tx.create(survey, id: id.rawValue, in: Collections.surveys)
            return survey
        }
    }

    /// The survey with this id.
    public func survey(_ id: SurveyID) async throws(CommunityError) -> Survey {
        try await lookup(id.rawValue, in: Collections.surveys, kind: "survey")
    }

    /// Closes a survey now: it takes no more responses, and an anonymous survey's results can be
    /// read. Staff and community managers may; closing a closed survey changes nothing.
    @discardableResult
    public func closeSurvey(_ id: SurveyID, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError) -> Survey
    {
        try await transact(
            by: staffID, key: idempotencyKey,
            replay: .record(Collections.surveys, kind: "survey", id: { $0.id.rawValue })
        ) { tx in
            try await tx.requireStaff(try await tx.member(staffID).value, to: "close surveys")
            var survey = try await tx.load(id.rawValue, in: Collections.surveys, kind: "survey")
            if let closesAt = survey.value.closesAt, closesAt <= tx.now { return survey.value }
            survey.value.closesAt = tx.now
            try tx.update(survey, in: Collections.surveys)
            return survey.value
        }
    }

    /// Surveys in id order, a page at a time.
    public func surveys(after cursor: String? = nil, limit: Int = 100) async throws(CommunityError) -> Page<Survey> {
        try Validate.limit(limit)
        return try await query {
            let page = try await store.fetchPage(Collections.surveys, after: cursor, limit: limit)
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    /// Whether the member has responded to the survey (also for an anonymous survey: that a
    /// member took part is known, what they answered is not). For the member themself and for
    /// staff and community managers.
    public func hasResponded(_ memberID: MemberID, to surveyID: SurveyID, by readerID: MemberID)
        async throws(CommunityError) -> Bool
    {
        _ = try await member(memberID)
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read whether \(memberID) responded")
        _ = try await survey(surveyID)
        return try await query {
            try await store.fetch(CompositeKey.make(surveyID, memberID), from: Collections.surveyRespondents) != nil
        }
    }

    /// Records a member's response to a survey. Each member responds once.
    ///
    /// The response keeps the member's segments at this moment (their chapters and their
    /// ``JourneyStage``) for segmented results, and the log gets a `respondedToSurvey` entry
    /// for the member, which never holds the answers.
    ///
    /// An anonymous survey stores no response at all: the answers are added to the survey's
    /// tallies (a shard drawn from the service's secret source), free text kept in byte order,
    /// so that no record, entry, row order, time or id links an answer to its respondent; the
    /// record that the member responded names no answer. That is also why this returns
    /// nothing: the caller knows the member. Documentation/Privacy.md says what this guarantees
    /// and where it stops.
    ///
    /// Repeated with the same `idempotencyKey`, a response to a survey that is not anonymous
    /// returns without applying again. An anonymous response keeps no record of its key (the
    /// record would name the respondent beside the tallies): it relies on the one-response guard
    /// instead, so a repeat after it went in is refused with `alreadyExists`, which then says
    /// that the first went in. The service's own retry after a lost commit outcome knows this
    /// and returns normally.
    ///
    /// - Parameter answers: question id → answer. A question left out (or answered with blank
    ///   text or no choices) is unanswered.
    /// - Throws: `CommunityError.notFound(kind:id:)` for an unknown survey or member;
    ///   `CommunityError.invalidState(_:)` once the survey has closed;
    ///   `CommunityError.alreadyExists(kind:id:)` (kind `survey response`) when the member
    ///   already responded; `CommunityError.invalidInput(field:reason:)` (field
    ///   `answers[question]`) for an unknown question, an answer of the wrong kind, a value out
    ///   of range, an unknown or repeated option, a required question left unanswered, or text
    ///   that is too long or holds NUL.
    public func respond(
        to surveyID: SurveyID, by memberID: MemberID, answers: [String: SurveyAnswer],
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError)
    {
        try await transact(by: memberID, key: idempotencyKey, replay: .nothing) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(.goodStanding, by: member.value, to: "respond to survey \(surveyID)")
            let survey = try await tx.load(surveyID.rawValue, in: Collections.surveys, kind: "survey").value
            guard survey.isOpen(at: tx.now) else {
                throw CommunityError.invalidState(
                    "Survey \(survey.title) closed at \(survey.closesAt!.formatted(.iso8601)); "
                        + "it takes no more responses."
                )
            }
            let respondentID = CompositeKey.make(surveyID, memberID)
            if try await tx.find(respondentID, in: Collections.surveyRespondents) != nil {
                // An anonymous answer keeps no key record: after a commit whose outcome was lost,
                // the one-response guard finding the member's response means it went in.
                if survey.isAnonymous, tx.afterUnknownOutcome { return }
                throw CommunityError.alreadyExists(kind: "survey response", id: respondentID)
            }
            let checked = try survey.checkedAnswers(answers)
            let memberships = try await tx.store.fetchAll(
                Collections.memberships, where: IndexQuery("member", equals: memberID.rawValue))
            let enrolments = try await tx.store.fetchAll(
                Collections.enrolments, where: IndexQuery("member", equals: memberID.rawValue))
            let response = SurveyResponse(
                survey: surveyID, member: survey.isAnonymous ? nil : memberID,
                respondedAt: survey.isAnonymous ? nil : tx.now,
                chapters: Set(memberships.map(\.value.chapter)).sorted(),
                journeyStage: JourneyStage(enrolments: enrolments.map(\.value)), answers: checked)
            // The respondent record expects no record: of two concurrent responses by one member,
            // one commits and the other re-runs, then finds it.
            try tx.create(
                SurveyRespondent(survey: surveyID, member: memberID), id: respondentID,
                in: Collections.surveyRespondents)
            if survey.isAnonymous {
                // A key record would name the respondent beside the tallies they changed.
                tx.withoutKeyRecord()
                let shard = Int(tx.service.secrets.secretBytes(1)[0]) % AnonymousTallies.shards
                let id = CompositeKey.make(surveyID, String(shard))
                let found = try await tx.find(id, in: Collections.anonymousTallies)
                if let found { try Self.checkShape(of: found, for: survey) }
                var tallies = found?.value ?? AnonymousTallies(survey: survey)
                tallies.add(response, of: survey)
                let texts = AnonymousTallies.texts(of: response, in: survey)
                if !texts.isEmpty {
                    // A full chunk is left as it is; the shard starts its next one.
                    if tallies.textsInChunk + texts.count > AnonymousTexts.capacity, tallies.textsInChunk > 0 {
                        tallies.textChunk += 1
                        tallies.textsInChunk = 0
                    }
                    tallies.textsInChunk += texts.count
                    let chunkID = CompositeKey.make(surveyID, String(shard), String(tallies.textChunk))
                    if var chunk = try await tx.find(chunkID, in: Collections.anonymousTexts) {
                        for entry in texts { chunk.value.insert(entry) }
                        try tx.update(chunk, in: Collections.anonymousTexts)
                    } else {
                        var chunk = AnonymousTexts(survey: surveyID)
                        for entry in texts { chunk.insert(entry) }
                        try tx.create(chunk, id: chunkID, in: Collections.anonymousTexts)
                    }
                }
                if var found {
                    found.value = tallies
                    try tx.update(found, in: Collections.anonymousTallies)
                } else {
                    try tx.create(tallies, id: id, in: Collections.anonymousTallies)
                }
            } else {
                try tx.create(response, id: respondentID, in: Collections.surveyResponses)
            }
            try tx.log(.respondedToSurvey, member: member.value, .init(subject: .survey(surveyID)))
        }
    }

    /// A survey's results, overall and per segment. Staff and community managers may read them;
    /// an anonymous survey's only once it has closed (live figures read before and after one
    /// response would give that response away).
    ///
    /// Segments with fewer responses than `policy.minimumSegmentSize` are listed as hidden,
    /// without their size or figures; while any is, the overall figures and the response count
    /// are hidden too (the overall less the visible segments would give the hidden ones away);
    /// so are the overall figures of an anonymous survey while fewer members than that
    /// responded. Free-text answers are only counted unless
    /// `includeFreeText` is true; the exports then show them too.
    ///
    /// Reads the responses a page at a time; memory grows with the number of questions,
    /// options and segments, not with the number of responses (unless free text is included).
    ///
    /// - Throws: `CommunityError.notPermitted(member:action:rule:reason:)` for anyone but staff;
    ///   `CommunityError.invalidState(_:)` for an anonymous survey that has not closed;
    ///   `CommunityError.notFound(kind:id:)` for an unknown survey or reader;
    ///   `CommunityError.invalidInput(field:reason:)` for a minimum segment size below 1.
    public func surveyResults(
        of surveyID: SurveyID,
        segmentBy segmentation: SurveySegmentation = .none,
        includeFreeText: Bool = false,
        policy: SurveyPolicy = SurveyPolicy(),
        by readerID: MemberID
    ) async throws(CommunityError) -> SurveyResults {
        let policy = try policy.validated()
        return try await transact { tx in
            let reader = try await tx.member(readerID)
            try await tx.requireStaff(reader.value, to: "read survey results")
            let survey = try await tx.load(surveyID.rawValue, in: Collections.surveys, kind: "survey").value
            var aggregator = SurveyAggregator(
                survey: survey, segmentation: segmentation, includeFreeText: includeFreeText)
            if survey.isAnonymous {
                guard let closesAt = survey.closesAt, closesAt <= tx.now else {
                    throw CommunityError.invalidState(
                        "Survey \(survey.title) is anonymous: its results are read once it has closed "
                            + (survey.closesAt.map { "(at \($0.formatted(.iso8601)))" }
                                ?? "(close it with closeSurvey(_:by:idempotencyKey:))") + ".")
                }
                let index = IndexQuery("survey", equals: surveyID.rawValue)
                for tallies in try await tx.store.fetchAll(Collections.anonymousTallies, where: index) {
                    try Self.checkShape(of: tallies, for: survey)
                    aggregator.add(tallies.value)
                }
                if includeFreeText {
                    for chunk in try await tx.store.fetchAll(Collections.anonymousTexts, where: index) {
                        aggregator.add(chunk.value)
                    }
                }
                return aggregator.results(policy: policy)
            }
            var cursor: String?
            repeat {
                let page = try await tx.store.fetchPage(
                    Collections.surveyResponses, where: IndexQuery("survey", equals: surveyID.rawValue), after: cursor,
                    limit: Self.surveyResultsPageSize)
                for response in page.items { aggregator.add(response.value) }
                cursor = page.items.isEmpty ? nil : page.nextCursor
            } while cursor != nil
            return aggregator.results(policy: policy)
        }
    }
}

extension CommunityService {
    /// Stored tallies that do not have the survey's shape, or hold counts past `Int32`, are
    /// damaged: a typed error, where counting into them or adding them up would trap.
    static func checkShape(of tallies: Versioned<AnonymousTallies>, for survey: Survey) throws(CommunityError) {
        guard tallies.value.fits(survey) else {
            throw .storage(
                .corruptRecord(
                    collection: Collections.anonymousTallies.name, id: tallies.id,
                    reason: "its tallies do not have the survey's questions and options, or hold counts out of range"))
        }
    }
}
