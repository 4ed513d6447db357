public import CommunityModel
public import Foundation
import Storage
import Surveys

/// A sentence for leadership that carries the numbers it rests on.
public struct TalkingPoint: Hashable, Sendable {
    public var text: String
    /// Every number in ``text``, as written there.
    public var figures: [String]
}

/// Completion or repeat-enrolment rates of members engaged in the community against comparable
/// members who are not (same programme and enrolment month), with the sample sizes. An
/// association, not proof of cause.
public struct Lift: Hashable, Sendable {
    public var measure: String
    public var engagedRate: Double
    /// The rate of not-engaged members, weighted to the engaged members' programmes and months.
    public var comparableRate: Double
    public var engaged: Int
    public var comparable: Int
}

/// The value of the community for a period (and optionally one chapter), for leadership.
public struct ValueReport: Hashable, Sendable {
    public struct Month: Hashable, Sendable {
        /// `2026-03`.
        public var label: String
        /// Members who had joined by the month's end.
        public var members: Int
        /// Members with any activity in the month.
        public var active: Int
    }

    public struct Stage: Hashable, Sendable {
        public var stage: JourneyStage
        public var members: Int
        /// Active in the period.
        public var active: Int
    }

    public var title: String
    public var period: DateInterval
    public var chapter: ChapterID?
    /// True when the scope has no members: the report says so and shows no rates.
    public var isEmpty: Bool
    // Growth
    public var members: Int
    public var newMembers: Int
    public var activeMembers: Int
    public var countries: Int
    public var chapters: Int
    public var eventsCreated: Int
    public var registrations: Int
    public var attendance: Int
    public var months: [Month]
    /// Members and active members by journey stage; empty while a stage has members but fewer
    /// than ``minimumGroupSize`` (then the others would give it away).
    public var stages: [Stage]
    // Q&A
    public var questionsAsked: Int
    public var questionsAnswered: Int
    public var medianHoursToFirstAnswer: Double?
    public var shareAnsweredWithinDay: Double?
    // Advocacy
    public var shares: Int
    public var referredSignUps: Int
    public var referredEnrolments: Int
    // Surveys
    public var nps: Int?
    public var npsResponses: Int
    // Lift
    /// The lifts whose engaged and comparable groups both have at least
    /// ``minimumGroupSize`` members; smaller ones are left out.
    public var lifts: [Lift]

    /// Rates and scores of fewer members than this are not shown: of two engaged members, a
    /// completion rate of 50% tells each what the other did.
    public static let minimumGroupSize = 5
    public var talkingPoints: [TalkingPoint]
}

extension ValueReport {
    static func percent(_ value: Double) -> String { String(Int((value * 100).rounded())) + "%" }
    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.groupingSize = 3
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
    static func hours(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Talking points from the figures: each a plain sentence with the numbers it rests on, and
    /// none without one.
    static func talkingPoints(_ report: ValueReport) -> [TalkingPoint] {
        guard !report.isEmpty else { return [] }
        var points: [TalkingPoint] = []
        func add(_ text: String, _ figures: [String]) { points.append(TalkingPoint(text: text, figures: figures)) }
        let (members, added, countries) = (count(report.members), count(report.newMembers), count(report.countries))
        add(
            "The community has \(members) members in \(countries) countries, \(added) of them new this period.",
            [members, countries, added])
        if report.members > 0 {
            let active = count(report.activeMembers)
            let share = percent(Double(report.activeMembers) / Double(report.members))
            add("\(active) members (\(share)) took part this period.", [active, share])
        }
        if report.eventsCreated > 0 || report.attendance > 0 {
            let (events, registrations, attendance) = (
                count(report.eventsCreated), count(report.registrations), count(report.attendance)
            )
            add(
                "Chapters created \(events) events, with \(registrations) registrations and \(attendance) attendances.",
                [events, registrations, attendance])
        }
        if let median = report.medianHoursToFirstAnswer, let within = report.shareAnsweredWithinDay {
            let (asked, hours, share) = (count(report.questionsAsked), Self.hours(median), percent(within))
            add(
                "Questions got a first answer in a median of \(hours) hours; \(share) of the \(asked) asked were answered within 24 hours.",
                [hours, share, asked, "24"])
        }
        if report.shares > 0 {
            let (shares, signUps, enrolments) = (
                count(report.shares), count(report.referredSignUps), count(report.referredEnrolments)
            )
            let signUpWord = report.referredSignUps == 1 ? "sign-up" : "sign-ups"
            let enrolmentWord = report.referredEnrolments == 1 ? "enrolment" : "enrolments"
            add(
                "Members shared their achievements \(shares) times, bringing \(signUps) \(signUpWord) and \(enrolments) \(enrolmentWord).",
                [shares, signUps, enrolments])
        }
        if let nps = report.nps {
            let (score, responses) = (String(nps), count(report.npsResponses))
            add(
                "Members give the community a Net Promoter Score of \(score) (\(responses) responses).",
                [score, responses])
        }
        for lift in report.lifts
        where lift.engaged > 0 && lift.comparable > 0 && (lift.engagedRate > 0 || lift.comparableRate > 0) {
            let (engaged, comparable) = (percent(lift.engagedRate), percent(lift.comparableRate))
            let (n1, n2) = (count(lift.engaged), count(lift.comparable))
            add(
                "Members engaged in the community had a \(lift.measure) rate of \(engaged) against \(comparable) for comparable members who were not (\(n1) and \(n2) members); this is an association, not proof that the community caused it.",
                [engaged, comparable, n1, n2])
        }
        return points
    }
}

extension ValueReport {
    /// Builds the report from a value projection kept up to date from the log (see
    /// `ProjectionRunner`) and what the log does not hold.
    ///
    /// - Parameters:
    ///   - title: the report's title.
    ///   - period: the period the report covers.
    ///   - chapterID: the chapter in scope, or nil for the whole community.
    ///   - projection: the value projection, up to date with the log.
    ///   - scopeMembers: the members in scope with their country, from their records: every member
    ///     for the whole community, the chapter's members for a chapter. A member counts once
    ///     they joined before the period's end.
    ///   - referredEnrolments: enrolments of referred members in scope.
    ///   - nps: the Net Promoter score of the period's survey and its responses, if any.
    ///   - chapters: the number of chapters in scope.
    public init(
        title: String, period: DateInterval, chapter chapterID: ChapterID?, projection: ValueProjection,
        members scopeMembers: [(member: MemberID, country: CountryCode)], referredEnrolments: Int,
        nps: (score: Int, responses: Int)?, chapters: Int
    ) {
        let inScope = chapterID.map { _ in Set(scopeMembers.map(\.member.rawValue)) }
        var countries: Set<String> = []
        var stages: [JourneyStage: (members: Int, active: Int)] = [:]
        let state = projection.state
        let endMs = Timestamp(period.end).millisecondsSince1970
        let startMs = Timestamp(period.start).millisecondsSince1970
        let (firstMonth, lastMonth) = (ValueProjection.month(startMs), ValueProjection.month(endMs - 1))
        func isActive(_ facts: ValueProjection.MemberFacts) -> Bool {
            facts.activeMonths.contains { $0 >= firstMonth && $0 <= lastMonth }
        }
        for (member, country) in scopeMembers {
            guard let facts = state.members[member.rawValue], let joined = facts.joinedAt, joined < endMs else {
                continue
            }
            countries.insert(country.code)
            let stage: JourneyStage =
                facts.enrolments.values.contains { ($0.completedAt ?? .max) < endMs }
                ? .alumnus : facts.enrolments.values.contains { $0.enrolledAt < endMs } ? .enrolled : .prospect
            stages[stage, default: (0, 0)].members += 1
            if isActive(facts) { stages[stage, default: (0, 0)].active += 1 }
        }

        let scoped = state.members.compactMap { id, facts -> ValueProjection.MemberFacts? in
            inScope?.contains(id) ?? true ? facts : nil
        }.filter { ($0.joinedAt ?? .max) < endMs }
        let members = scoped.count
        let newMembers = scoped.count { ($0.joinedAt ?? 0) >= startMs }
        let active = scoped.count(where: isActive)
        // Months of the period (at most the last 24), members by each month's end and active in it.
        var months: [ValueReport.Month] = []
        for month in max(firstMonth, lastMonth - 23)...lastMonth {
            let monthEnd =
                Int64(LocalDate.firstOfMonth(year: 0, month: Int(month + 1) + 1).dayNumber)
                * 86_400_000
            months.append(
                ValueReport.Month(
                    label: String(format: "%04d-%02d", Int(month) / 12, Int(month) % 12 + 1),
                    members: scoped.count { ($0.joinedAt ?? .max) < monthEnd },
                    active: scoped.count { $0.activeMonths.contains(month) }))
        }
        // Events and advocacy of the period (for a chapter: its own).
        var totals = ValueProjection.Counts()
        for (month, byChapter) in state.counts where month >= firstMonth && month <= lastMonth {
            for (chapter, counts) in byChapter where chapterID == nil || chapter == chapterID?.rawValue {
                totals.eventsCreated += counts.eventsCreated
                totals.registrations += counts.registrations
                totals.attendance += counts.attendance
                totals.shares += counts.shares
                totals.referredSignUps += counts.referredSignUps
            }
        }
        // Questions asked in the period.
        let questions = state.questions.values.filter {
            $0.askedAt >= startMs && $0.askedAt < endMs && (chapterID == nil || $0.chapter == chapterID?.rawValue)
        }
        let waits = questions.compactMap { question in
            question.firstAnswerAt.map { Double($0 - question.askedAt) / 3_600_000 }
        }.sorted()
        let median = waits.isEmpty ? nil : waits[max(0, Int((0.5 * Double(waits.count)).rounded(.up)) - 1)]
        let withinDay = questions.isEmpty ? nil : Double(waits.count { $0 <= 24 }) / Double(questions.count)
        self.init(
            title: title, period: period, chapter: chapterID, isEmpty: members == 0, members: members,
            newMembers: newMembers, activeMembers: active, countries: countries.count,
            chapters: chapters, eventsCreated: totals.eventsCreated,
            registrations: totals.registrations, attendance: totals.attendance, months: months,
            stages: Self.shownStages(
                JourneyStage.allCases.map {
                    ValueReport.Stage(stage: $0, members: stages[$0]?.members ?? 0, active: stages[$0]?.active ?? 0)
                }), questionsAsked: questions.count, questionsAnswered: waits.count, medianHoursToFirstAnswer: median,
            shareAnsweredWithinDay: withinDay, shares: totals.shares, referredSignUps: totals.referredSignUps,
            referredEnrolments: referredEnrolments, nps: nps?.score, npsResponses: nps?.responses ?? 0,
            lifts: Self.lifts(scoped, until: endMs), talkingPoints: [])
        talkingPoints = ValueReport.talkingPoints(self)
    }

}

extension LeadershipService {
    /// The value report for leadership, for `period` and optionally one chapter: growth, engagement
    /// by journey stage, Q&A responsiveness, the advocacy funnel, NPS when surveys exist, the lift,
    /// and talking points. Staff only. Built from the hosted ``ValueProjection``, brought up to the
    /// head of the log first (no replay: the host restores it from its checkpoint), and the
    /// members' records.
    public func valueReport(
        for period: DateInterval, chapter chapterID: ChapterID? = nil, title: String = "The value of our community",
        by staffID: MemberID
    ) async throws(CommunityError) -> ValueReport {
        try await community.authorize(.staff, by: staffID, to: "read the value report")
        try Validate.date(period.start, field: "period")
        try Validate.date(period.end, field: "period")
        guard period.duration > 0 else {
            throw .invalidInput(field: "period", reason: "the period must end after it starts")
        }
        try await refresh()
        let projection =
            await host.state(of: ValueProjection.self, named: valuePrototype.checkpointName)
            ?? valuePrototype
        let store = community.store
        // The members in scope, with their country.
        var inScope: Set<MemberID>?
        if let chapterID {
            _ = try await community.lookup(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            var ids: Set<MemberID> = []
            var cursor: String?
            repeat {
                let page = try await community.chapterMemberships(of: chapterID, after: cursor, limit: 1_000)
                ids.formUnion(page.items.map(\.member))
                cursor = page.nextCursor
            } while cursor != nil
            inScope = ids
        }
        var members: [(member: MemberID, country: CountryCode)] = []
        var cursor: String?
        repeat {
            let page = try await withCommunityErrors {
                try await store.fetchPage(Collections.members, after: cursor, limit: 1_000)
            }
            for member in page.items.map(\.value) where inScope?.contains(member.id) ?? true {
                members.append((member.id, member.profile.country))
            }
            cursor = page.nextCursor
        } while cursor != nil
        // Referred enrolments: attributions in scope.
        let attributions = try await withCommunityErrors {
            try await store.fetchAll(Collections.attributions).map(\.value)
        }
        let referredEnrolments = attributions.filter { inScope?.contains($0.member) ?? true }
            .reduce(0) { $0 + $1.enrolments.count }
        // NPS: the latest closed survey of the period with a Net Promoter question (an open one's
        // figures still move, and an anonymous one's are read only once it has closed).
        var nps: (score: Int, responses: Int)?
        let surveys = try await withCommunityErrors { try await store.fetchAll(Collections.surveys).map(\.value) }
        let now = community.clock.now()
        for survey in surveys.sorted(by: { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) })
        where period.contains(survey.createdAt) && survey.questions.contains(where: { $0.kind == .netPromoter })
            && survey.closesAt.map({ $0 <= now }) == true
        {
            let results = try await community.surveyResults(of: survey.id, by: staffID)
            for question in results.overall.questions where question.responseCount >= ValueReport.minimumGroupSize {
                if case .netPromoter(let summary) = question.summary, let score = summary.roundedScore {
                    nps = (score, question.responseCount)
                    break
                }
            }
            if nps != nil { break }
        }
        return ValueReport(
            title: title, period: period, chapter: chapterID, projection: projection, members: members,
            referredEnrolments: referredEnrolments, nps: nps,
            chapters: chapterID == nil ? try await community.chapters().count : 1)
    }
}

extension ValueReport {
    /// Completion and repeat-enrolment lift, standardized by programme and enrolment month.
    /// The stages as shown: none while any stage has members but fewer than
    /// ``ValueReport/minimumGroupSize`` (the members less the other stages would give it away).
    static func shownStages(_ stages: [ValueReport.Stage]) -> [ValueReport.Stage] {
        stages.contains { $0.members > 0 && $0.members < ValueReport.minimumGroupSize } ? [] : stages
    }

    static func lifts(_ members: [ValueProjection.MemberFacts], until end: Int64) -> [Lift] {
        struct Stratum { var engaged = (n: 0, yes: 0), other = (n: 0, yes: 0) }
        var completion: [String: Stratum] = [:]
        var repeats: [String: Stratum] = [:]
        for member in members {
            let engaged = (member.firstParticipation ?? .max) < end
            let enrolments = member.enrolments.filter { $0.value.enrolledAt < end }
                .sorted { ($0.value.enrolledAt, $0.key) < ($1.value.enrolledAt, $1.key) }
            for (programme, facts) in enrolments {
                let key = "\(programme)|\(ValueProjection.month(facts.enrolledAt))"
                let done = (facts.completedAt ?? .max) < end
                if engaged {
                    completion[key, default: Stratum()].engaged.n += 1
                    if done { completion[key, default: Stratum()].engaged.yes += 1 }
                } else {
                    completion[key, default: Stratum()].other.n += 1
                    if done { completion[key, default: Stratum()].other.yes += 1 }
                }
            }
            if let first = enrolments.first {
                let key = "\(first.key)|\(ValueProjection.month(first.value.enrolledAt))"
                let again = enrolments.count >= 2
                if engaged {
                    repeats[key, default: Stratum()].engaged.n += 1
                    if again { repeats[key, default: Stratum()].engaged.yes += 1 }
                } else {
                    repeats[key, default: Stratum()].other.n += 1
                    if again { repeats[key, default: Stratum()].other.yes += 1 }
                }
            }
        }
        func lift(_ measure: String, _ strata: [String: Stratum]) -> Lift {
            var (engaged, engagedYes, comparable, weighted) = (0, 0, 0, 0.0)
            for stratum in strata.values where stratum.engaged.n > 0 && stratum.other.n > 0 {
                engaged += stratum.engaged.n
                engagedYes += stratum.engaged.yes
                comparable += stratum.other.n
                weighted += Double(stratum.engaged.n) * Double(stratum.other.yes) / Double(stratum.other.n)
            }
            return Lift(
                measure: measure, engagedRate: engaged == 0 ? 0 : Double(engagedYes) / Double(engaged),
                comparableRate: engaged == 0 ? 0 : weighted / Double(engaged), engaged: engaged, comparable: comparable)
        }
        // A rate of a handful of members tells each of them what the others did.
        return [lift("completion", completion), lift("repeat-enrolment", repeats)].filter {
            $0.engaged >= ValueReport.minimumGroupSize && $0.comparable >= ValueReport.minimumGroupSize
        }
    }
}
