// A helper of the damaged-data tests: runs one scenario that trapped before issue 27 and
// prints the typed error it now gets. A trap kills this process, not the test runner.
// Not a product.
import CSQLite
import CommunityChallenge
import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import SQLiteStorage
import Storage
import Surveys

@main
enum TrapProbe {
    static func main() async {
        let scenario = CommandLine.arguments.dropFirst().first ?? ""
        do {
            let outcome = try await run(scenario)
            print(outcome)
        } catch {
            print("refused: \(error)")
        }
    }

    /// Returns what happened when nothing was refused.
    static func run(_ scenario: String) async throws -> String {
        switch scenario {
        case "sqlite-negative-version":
            let file = try temporaryFile()
            let store = try await SQLiteStorage.open(path: file.path)
            var batch = WriteBatch()
            batch.put(Data("hi".utf8), at: RecordKey(collection: "notes", id: "n1"), expecting: .absent)
            try await store.commit(batch)
            try execute("UPDATE records SET version = -5", in: file)
            _ = try await store.record(RecordKey(collection: "notes", id: "n1"))
            return "allowed"
        case "sqlite-negative-position":
            let file = try temporaryFile()
            let store = try await SQLiteStorage.open(path: file.path)
            var batch = WriteBatch()
            let time = Timestamp(millisecondsSince1970: 1)
            batch.append(
                LogEntry(
                    id: EntryIDGenerator(seed: 1).next(at: time), stream: "s", subject: nil, kind: "k", time: time,
                    payload: Data()))
            try await store.commit(batch)
            try execute("UPDATE entries SET position = -3", in: file)
            let head = try await store.head()
            return "allowed (head \(head))"
        case "checkpoint-huge-byte-count":
            let store = InMemoryStore()
            let projection = MemberFactsProjection()
            var batch = WriteBatch()
            let header = try JSONDecoder().decode(
                ProjectionCheckpoint.self,
                from: Data(
                    """
                    {"name": "\(projection.checkpointName)", "configuration": "\(projection.configuration)",
                     "position": 1, "generation": 1, "chunkCount": 1, "byteCount": \(Int.max), "checksum": 0}
                    """.utf8))
            try batch.put(
                header, id: projection.checkpointName, in: ProjectionRunner.checkpointCollection, expecting: .absent)
            try await store.commit(batch)
            var restored = projection
            let outcome = try await ProjectionRunner(store: store).restore(&restored)
            return "restored nothing: \(outcome)"
        case "level-policy-without-levels":
            let policy = try JSONDecoder().decode(LevelPolicy.self, from: Data(#"{"levels":[]}"#.utf8))
            return "allowed: \(policy.progress(for: 10))"
        case "level-policy-repeated-threshold":
            let json = #"{"levels":[{"name":"A","threshold":0},{"name":"B","threshold":0}]}"#
            let policy = try JSONDecoder().decode(LevelPolicy.self, from: Data(json.utf8))
            return "allowed: \(policy.progress(for: 10))"
        case "local-date-far-arithmetic":
            let far = LocalDate(dayNumber: 0).adding(days: .max)
            let early = LocalDate(dayNumber: .min).adding(days: .min)
            return "saturated: \(far) and \(early)"
        case "local-date-decoded-out-of-range":
            let json = #"{"year":9223372036854775807,"month":1,"day":1}"#
            let day = try JSONDecoder().decode(LocalDate.self, from: Data(json.utf8))
            return "allowed: \(day.dayNumber)"
        case "training-at-nan-date":
            let (_, community, staff) = try await communityWithStaff()
            let guidelines = GuidelinesService(community: community)
            try await guidelines.scheduleTraining(
                title: "Basics", for: .chapterOrganizer, at: Date(timeIntervalSince1970: .nan), minutes: 60,
                by: staff.id)
            return "allowed"
        case "adjust-points-int-min":
            // abs(Int.min) was computed before the staff check: any member could trap the service.
            let community = CommunityService(
                store: InMemoryStore(), clock: ManualClock(Date(timeIntervalSince1970: 1_794_000_000)))
            let member = try await community.registerMember(
                NewMember(displayName: "Ana", email: "ana@school.example", country: "PE", timeZone: "America/Lima"))
            let game = try GamificationService(community: community)
            try await game.adjustPoints(of: member.id, points: .min, reason: "x", by: member.id)
            return "allowed"
        case "quarter-far-number":
            let quarter = Quarter(year: 2026, number: .max)
            return "clamped: \(quarter.firstDay) to \(quarter.lastDay)"
        case "first-of-month-lowest-month":
            return "clamped: \(LocalDate.firstOfMonth(year: 2026, month: .min))"
        case "team-formation-preferred-size-zero":
            let registrations = try (0..<4).map { index in
                ChallengeRegistration(
                    challenge: "c1", member: MemberID("m\(index)"), country: try CountryCode("KE"),
                    timeZone: try TimeZoneID("Africa/Nairobi"), skills: ["data"], languages: ["en"],
                    registeredAt: Date(timeIntervalSince1970: 1_794_000_000))
            }
            let building = DateInterval(start: Date(timeIntervalSince1970: 1_794_000_000), duration: 7 * 86_400)
            let policy = TeamFormationPolicy(minimumSize: 0, maximumSize: 0, preferredSize: 0)
            _ = try TeamFormation.greedyBaseline(registrations, policy: policy, building: building)
            return "allowed"
        case "survey-tallies-wrong-shape", "survey-tallies-huge-counts":
            // Stored tallies of an anonymous survey with a question too few: counting into them indexed past the end.
            let (store, community, staff) = try await communityWithStaff()
            let questions = [
                SurveyQuestion(id: "nps", prompt: "Recommend us?", kind: .netPromoter),
                SurveyQuestion(id: "mood", prompt: "How are you?", kind: .scale),
            ]
            let survey = try await community.createSurvey(
                NewSurvey(id: "pulse", title: "Pulse", questions: questions, isAnonymous: true), by: staff.id)
            let shorter = Survey(
                id: survey.id, title: survey.title, questions: [questions[0]], isAnonymous: true, createdBy: staff.id,
                createdAt: survey.createdAt)
            // Either a question too few, or the right shape with a count at Int.max (adding one overflowed).
            let damaged =
                scenario == "survey-tallies-wrong-shape"
                ? try JSONEncoder().encode(AnonymousTallies(survey: shorter))
                : Data(
                    String(decoding: try JSONEncoder().encode(AnonymousTallies(survey: survey)), as: UTF8.self)
                        .replacingOccurrences(of: "\"responses\":0", with: "\"responses\":\(Int.max)").utf8)
            var batch = WriteBatch()
            for shard in 0..<8 {
                batch.put(
                    damaged, at: RecordKey(collection: "survey-tallies", id: "pulse|\(shard)"), expecting: .absent)
            }
            try await store.commit(batch)
            try await community.respond(
                to: survey.id, by: staff.id, answers: ["nps": .netPromoter(9), "mood": .scale(4)])
            return "allowed"
        case "value-report-far-period":
            // The period's milliseconds were converted with Int64(_:), which traps past 2^63.
            let (store, community, staff) = try await communityWithStaff()
            let leadership = try LeadershipService(community: community, host: try ProjectionHost(store: store))
            let far = Date(timeIntervalSince1970: 1e18)
            _ = try await leadership.valueReport(for: DateInterval(start: far, duration: 86_400), by: staff.id)
            return "allowed"
        case "challenge-schedule-far":
            let (_, community, staff) = try await communityWithStaff()
            let far = Date(timeIntervalSince1970: 1e18)
            let schedule = ChallengeSchedule(
                announced: far, registrationOpens: far, teamFormationBegins: far, buildingBegins: far,
                pitchingBegins: far, judgingBegins: far, winnersAnnounced: far)
            _ = try await community.createChallenge(
                NewChallenge(
                    year: 2027, title: "Water", partner: NonprofitPartner(name: "Wells"),
                    problemStatement: "Map wells.",
                    schedule: schedule, rubric: Rubric(criteria: [RubricCriterion("Impact", weight: 1)]), judges: []),
                by: staff.id)
            return "allowed"
        case "projections-entry-at-the-end-of-time":
            // An entry at Int64.max milliseconds: the points ledger, the value and badge projections
            // turned its time into days and overflowed. Now it does not decode, and is quarantined.
            let (store, community, _) = try await communityWithStaff()
            let time = Timestamp(millisecondsSince1970: .max)
            let entry = try ActivityEvent(
                id: EntryIDGenerator(seed: 5).next(at: time), kind: .answered, member: "ana", time: time,
                localDate: .last
            ).logEntry()
            try await store.append([entry])
            let host = try ProjectionHost(store: store)
            let game = try GamificationService(community: community, host: host)
            try await game.registerLedger()
            try await host.register(try BadgeProjection(badges: SampleBadges.everyCriterion))
            try await LeadershipService(community: community, host: host).refresh()
            return "quarantined \(try await host.quarantined().items.count)"
        default:
            return "unknown scenario \(scenario.debugDescription)"
        }
    }

    /// A community in memory with one staff member, Sam.
    static func communityWithStaff() async throws -> (InMemoryStore, CommunityService, Member) {
        let store = InMemoryStore()
        let community = CommunityService(store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_794_000_000)))
        let staff = try await community.registerMember(
            NewMember(
                displayName: "Sam", email: "sam@school.example", country: "NL", timeZone: "Europe/Amsterdam",
                roles: [.staff]))
        return (store, community, staff)
    }

    static func temporaryFile() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trap-probe-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("community.sqlite")
    }

    /// Changes the database file behind the library's back, as damage would.
    static func execute(_ sql: String, in file: URL) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(file.path, &handle) == SQLITE_OK else { throw CocoaError(.fileReadUnknown) }
        defer { sqlite3_close(handle) }
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(handle))])
        }
    }
}
