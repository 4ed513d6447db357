import CommunityModel
import Foundation
import Storage
import Surveys
import Testing

@testable import PostgresStorage

/// What PostgreSQL keeps of an anonymous survey, read from its raw tables with their system
/// columns: the finding of issue 26 was a row per response, written in the same transaction as
/// the respondent's record and entry, sharing its transaction id and sitting beside it.
@Suite(
    "Anonymous survey answers on PostgreSQL",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.howToRun)))
struct AnonymousSurveyRowsTests {
    @Test("no row holds one respondent's answers, and nothing orders or groups the answers by respondent")
    func noRowPerResponse() async throws {
        let configuration = PostgresServer.configuration()
        try await PostgresServer.withStore(configuration) { store in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_794_000_000))
            let community = CommunityService(store: store, clock: clock, ids: EntryIDGenerator(seed: 26))
            let staff = try await community.registerMember(
                NewMember(
                    displayName: "Sam", email: "sam@school.example", country: "NL", timeZone: "Europe/Amsterdam",
                    roles: [.staff]))
            let survey = try await community.createSurvey(
                NewSurvey(
                    id: "pulse", title: "Pulse",
                    questions: [SurveyQuestion(id: "say", prompt: "Say", kind: .freeText(maxLength: 50))],
                    isAnonymous: true),
                by: staff.id)
            let answers = [
                "zulu answer", "alpha answer", "mike answer", "kilo answer", "bravo answer", "echo answer",
                "tango answer", "delta answer", "lima answer", "oscar answer", "golf answer", "papa answer",
            ]
            var members: [MemberID] = []
            for (index, answer) in answers.enumerated() {
                let member = try await community.registerMember(
                    NewMember(
                        id: MemberID("respondent-\(index)"), displayName: "R\(index)", email: "r\(index)@example.org",
                        country: "KE", timeZone: "Africa/Nairobi"))
                members.append(member.id)
                try await community.respond(to: survey.id, by: member.id, answers: ["say": .text(answer)])
                clock.advance(by: 60)
            }

            let admin = try await PostgresServer.adminConnection()
            let schema = configuration.schema
            let rows = try await admin.run { connection in
                let result = try connection.query(
                    "SELECT collection, id, xmin::text, data FROM \(schema).records "
                        + "WHERE collection IN ('survey-responses', 'survey-tallies', 'survey-texts', 'survey-respondents') "
                        + "ORDER BY ctid")
                return (0..<result.count).map {
                    (
                        collection: result.text($0, 0), id: result.text($0, 1), xmin: result.text($0, 2),
                        data: String(decoding: result.data($0, 3), as: UTF8.self)
                    )
                }
            }
            // No row per response.
            #expect(!rows.contains { $0.collection == "survey-responses" })
            let tallies = rows.filter { $0.collection == "survey-tallies" }
            let chunks = rows.filter { $0.collection == "survey-texts" }
            let respondents = rows.filter { $0.collection == "survey-respondents" }
            #expect(respondents.count == answers.count)
            #expect((1...8).contains(tallies.count) && tallies.count < answers.count)
            #expect((1...8).contains(chunks.count) && chunks.count < answers.count)
            for tally in tallies {
                for member in members { #expect(!tally.data.contains(member.rawValue)) }
                for answer in answers { #expect(!tally.data.contains(answer)) }
                #expect(tally.id.hasPrefix("pulse|") && Int(tally.id.dropFirst(6)).map { (0..<8).contains($0) } == true)
            }
            for tally in chunks {
                // A tally names nobody, and keeps its answers in byte order, not in arrival order.
                for member in members { #expect(!tally.data.contains(member.rawValue)) }
                let found = answers.filter { tally.data.contains($0) }
                let inRowOrder = found.sorted {
                    tally.data.range(of: $0)!.lowerBound < tally.data.range(of: $1)!.lowerBound
                }
                #expect(inRowOrder == found.sorted())
                // Its id says only which survey, shard and chunk.
                #expect(tally.id.hasPrefix("pulse|") && tally.id.split(separator: "|").count == 3)
            }
            // The records that say who responded hold no answer.
            for respondent in respondents {
                for answer in answers { #expect(!respondent.data.contains(answer)) }
            }
            // Every answer is in exactly one chunk.
            for answer in answers { #expect(chunks.filter { $0.data.contains(answer) }.count == 1) }
            // The index rows of the tallies name the survey only.
            let indexValues = try await admin.run { connection in
                let result = try connection.query(
                    "SELECT value FROM \(schema).record_indexes WHERE collection = 'survey-tallies'")
                return (0..<result.count).map { result.text($0, 0) }
            }
            #expect(Set(indexValues) == ["pulse"])
            // The log says who responded, never what.
            let payloads = try await admin.run { connection in
                let result = try connection.query("SELECT payload FROM \(schema).entries")
                return (0..<result.count).map { String(decoding: result.data($0, 0), as: UTF8.self) }
            }
            for payload in payloads { for answer in answers { #expect(!payload.contains(answer)) } }
        }
    }
}
