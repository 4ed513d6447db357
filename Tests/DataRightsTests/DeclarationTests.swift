import CommunityModel
import CommunityTestSupport
import Foundation
import Gamification
import SQLiteStorage
import Storage
import Testing

/// Every module declares how its member data is exported and erased (like Moodle's privacy
/// API): a collection a module stores without a declaration fails here.
@Suite("Every module declares its member data")
struct DeclarationTests {
    @Test("every collection the whole demo stores is declared by a module")
    func demoCollectionsAreDeclared() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = folder.path
        let run = try await ChildProcess.run(
            try ChildProcess.executable(named: "community-demo"), ["--store", "sqlite:community.sqlite"], in: folder,
            environment: environment)
        #expect(run.status == 0, "\(run.error)")
        let store = try await SQLiteStorage.open(path: folder.appendingPathComponent("community.sqlite").path)
        let names = try await store.collectionNames()
        #expect(names.count >= 40, "the demo stored only \(names)")
        let undeclared = try await ErasureScenario.rights.undeclared(in: store)
        #expect(undeclared == [], "no module declares \(undeclared)")
    }

    @Test("a collection no module declares is reported by name")
    func undeclaredCollectionIsReported() async throws {
        let store = InMemoryStore()
        var batch = WriteBatch()
        try batch.put(
            ["note": "x"], id: "1", in: RecordCollection<[String: String]>("new-member-notes"), expecting: .absent)
        try await store.commit(batch)
        #expect(try await ErasureScenario.rights.undeclared(in: store) == ["new-member-notes"])
    }

    @Test("two modules declaring one collection, or no community module, are refused")
    func conflictingDeclarationsAreRefused() {
        #expect(throws: CommunityError.self) { try DataRights(modules: [.community, .community]) }
        #expect(throws: CommunityError.self) { try DataRights(modules: [.gamification]) }
    }

    @Test("every declared collection says what it holds")
    func declarationsSayWhatTheyHold() {
        for collection in ErasureScenario.rights.collections {
            #expect(!collection.holds.isEmpty, "\(collection.name)")
        }
        // Records that only mention the member (a chapter's organizers, an event's roster, a
        // team) are others' data: not in this member's export.
        let unexported = ErasureScenario.rights.collections.filter { $0.rule != .notMemberData && !$0.exported }
        #expect(Set(unexported.map(\.name)) == ["chapters", "events", "challenge-teams", "challenge-team-formations"])
    }
}
