import CommunityImport
import CommunityModel
import CommunitySimulation
import CommunityTestSupport
import Foundation
import Gamification
import Leadership
import Recognition
import Storage
import Testing

/// A community lived through commands (the simulator: sign-ups, enrolments, completions,
/// chapters, organizers, threads, replies, reactions, events, homework) is written out as the
/// rows a school would bring, and imported into a new store. Folded over each log, the points
/// ledger, the leaderboards' ranks, the engagement scores and the badges awarded are the same.
@Suite("Projections after an import")
struct ProjectionEqualityTests {
    @Test("balances, ranks, engagement scores and awards equal those of the same history entered through commands")
    func projectionsEqualTheCommandPath() async throws {
        let lived = TestCommunity()
        let simulated = try await CommunitySimulator(
            service: lived.service, clock: lived.clock,
            configuration: SimulationConfiguration(seed: 29, members: 60, chapters: 3, weeks: 3)
        ).run()
        let rows = try await HistoryExport.rows(of: lived.store)

        let imported = TestCommunity()
        imported.clock.set(lived.clock.now())
        let importer = try await CommunityImporter.begin("lived", into: imported.service)
        try await importer.add(rows)
        let report = try await importer.finish()
        #expect(report.rejections.isEmpty, "\(report.rejections.prefix(5))")

        // The same members under the ids each store gave them.
        let ids = try await HistoryExport.importedIDs(in: imported.store)
        let everyone = simulated.members + [simulated.staff]
        #expect(everyone.allSatisfy { ids[$0.id] != nil })

        let livedFold = try await Folded(lived.store)
        let importedFold = try await Folded(imported.store)
        let end = lived.clock.now()
        var awarded = 0
        for member in everyone {
            let twin = try #require(ids[member.id])
            #expect(livedFold.ledger.balance(of: member.id) == importedFold.ledger.balance(of: twin), "\(member.id)")
            #expect(
                livedFold.ledger.weekPoints(of: member.id, at: end) == importedFold.ledger.weekPoints(of: twin, at: end)
            )
            let day = LocalDate(end, in: .utc)
            #expect(
                livedFold.engagement.engagement(of: member.id, on: day)?.score
                    == importedFold.engagement.engagement(of: twin, on: day)?.score, "\(member.id)")
            for badge in SampleBadges.everyCriterion.map(\.id) {
                let count = livedFold.badges.awardCount(badge, of: member.id)
                #expect(count == importedFold.badges.awardCount(badge, of: twin), "\(badge) of \(member.id)")
                awarded += count
            }
        }
        // Ranks: the same members in the same places.
        let back = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        #expect(
            livedFold.ledger.standings(at: end).map { "\($0.member):\($0.allTime)" }
                == importedFold.ledger.standings(at: end).map { "\(back[$0.member]?.rawValue ?? "?"):\($0.allTime)" })
        // The comparison is not empty: the history earned points and badges.
        #expect(everyone.contains { livedFold.ledger.balance(of: $0.id) > 0 })
        #expect(awarded > 0)
    }

    /// The projections, folded over a store's whole log.
    struct Folded {
        var ledger: PointsLedger
        var engagement: EngagementProjection
        var badges: BadgeProjection

        init(_ store: any DataStore) async throws {
            ledger = try PointsLedger()
            engagement = try EngagementProjection()
            badges = try BadgeProjection(badges: SampleBadges.everyCriterion)
            for stored in try await store.allEntries() {
                let logged = try LoggedActivity(stored)
                ledger.apply(logged)
                engagement.apply(logged)
                badges.apply(logged)
            }
        }
    }
}

/// Writes a store's community out as the rows a school would bring to an import: the records
/// of programmes, chapters and members, and the log turned back into rows, in log order.
enum HistoryExport {
    struct Unexportable: Error, CustomStringConvertible {
        var description: String
    }

    static func rows(of store: any DataStore) async throws -> [ImportRow] {
        var rows: [ImportRow] = []
        var lines: [String: Int] = [:]
        func add(_ file: String, _ content: ImportRow.Content) {
            let line = (lines[file] ?? 1) + 1
            lines[file] = line
            rows.append(ImportRow(content, at: ImportLocation(file: file, line: line)))
        }
        let decoder = RecordDecoder()
        for record in try await store.allRecords(in: "programmes") {
            let programme = try decoder.decode(Programme.self, from: record.data)
            add("programmes.csv", .programme(ImportedProgramme(id: programme.id, title: programme.title)))
        }
        for record in try await store.allRecords(in: "chapters") {
            let chapter = try decoder.decode(Chapter.self, from: record.data)
            let zone: String? =
                switch chapter.focus {
                case .interest, .region: nil
                case .city, .country: chapter.timeZone.identifier
                }
            add(
                "chapters.csv",
                .chapter(ImportedChapter(id: chapter.id, name: chapter.name, focus: chapter.focus, timeZone: zone)))
        }
        var members: [MemberID: Member] = [:]
        for record in try await store.allRecords(in: "members") {
            let member = try decoder.decode(Member.self, from: record.data)
            members[member.id] = member
        }
        var emails: [MemberID: String] = [:]
        for record in try await store.allRecords(in: "member-contacts") {
            let contact = try decoder.decode(MemberContact.self, from: record.data)
            emails[contact.member] = contact.email
        }
        let entries = try await store.allEntries().map { try ActivityEvent($0.entry) }
        var unexportable: Set<ActivityKind> = []
        for (index, event) in entries.enumerated() {
            let school = event.member.rawValue
            let time = event.time.date
            switch event.kind {
            case .joinedCommunity:
                let member = try #require(members[event.member])
                let profile = member.profile
                add(
                    "members.csv",
                    .member(
                        ImportedMember(
                            schoolID: school, joinedAt: time,
                            member: NewMember(
                                displayName: profile.displayName, email: try #require(emails[member.id]),
                                country: profile.country.code, timeZone: profile.timeZone.identifier,
                                languages: profile.languages, headline: profile.headline, consents: profile.consents,
                                roles: member.roles.subtracting([.alumnus, .chapterOrganizer])))))
            case .enrolled:
                add(
                    "enrolments.csv",
                    .enrolment(
                        ImportedEnrolment(member: school, programme: try #require(event.programme), enrolledAt: time)))
            case .completed:
                add(
                    "completions.csv",
                    .completion(
                        ImportedCompletion(
                            member: school, programme: try #require(event.programme), completedAt: time,
                            certificateDate: try #require(event.details.certificateDate))))
            case .joinedChapter:
                // An appointment joins the member first: the organizer row does both.
                let next = entries.dropFirst(index + 1).first
                if next?.kind == .becameOrganizer, next?.member == event.member, next?.chapter == event.chapter {
                    continue
                }
                add(
                    "memberships.csv",
                    .membership(
                        ImportedMembership(member: school, chapter: try #require(event.chapter), joinedAt: time)))
            case .becameOrganizer:
                add(
                    "organizers.csv",
                    .organizer(
                        ImportedOrganizer(member: school, chapter: try #require(event.chapter), appointedAt: time)))
            case let kind where CommunityImporter.historicalKinds.contains(kind):
                add(
                    "activity.csv",
                    .activity(
                        ImportedActivity(
                            member: school, kind: kind, time: time, subject: event.subject?.subject,
                            subjectOwner: event.subjectOwner?.rawValue, chapter: event.chapter,
                            programme: event.programme, details: event.details)))
            default:
                unexportable.insert(event.kind)
            }
        }
        guard unexportable.isEmpty else {
            throw Unexportable(description: "kinds with no import row: \(unexportable.map(\.rawValue).sorted())")
        }
        return rows
    }

    /// The school id (here: the member's id in the store it came from) → the imported member.
    static func importedIDs(in store: any DataStore) async throws -> [MemberID: MemberID] {
        var ids: [MemberID: MemberID] = [:]
        for record in try await store.allRecords(in: "import-members") {
            ids[MemberID(record.id)] = try StoredRecords.importedMember(record)
        }
        return ids
    }
}
