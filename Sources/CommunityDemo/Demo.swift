import CommunityModel
import CommunitySimulation
import Foundation
import Gamification
import Guidelines
import Leadership
import Storage

/// What every section of the demo works with: the store, the clock, the services, the simulated
/// community, how to name members, and where artifacts go.
struct Demo {
    let options: Options
    let store: any DataStore
    let clock: ManualClock
    /// The service the simulation used: the simulated past ran without the guidelines gate.
    let service: CommunityService
    /// The same store, clock and ids behind the guidelines gate: every leadership action from
    /// the guidelines section on goes through it, as an application's would.
    let gated: CommunityService
    let guidelines: GuidelinesService
    /// The one projection host of the process: points and badges are folded from one read of
    /// the log, and saved with what they award.
    let host: ProjectionHost
    /// Points, leaderboards, streaks and rewards, on the host; the badges read its ledger.
    let game: GamificationService
    /// Engagement and superusers, the insights and the value report, on the same host.
    let leadership: LeadershipService
    let community: SimulatedCommunity
    let names: Names
    let artifacts: Artifacts
    /// The log head when this run began: what the demo creates with a name or an email of its
    /// choosing carries it, so a resumed run never collides with an earlier one.
    let run: UInt64

    var staff: MemberID { community.staff.id }

    init(
        options: Options, store: any DataStore, clock: ManualClock, ids: EntryIDGenerator, service: CommunityService,
        community: SimulatedCommunity, run: UInt64
    ) throws {
        self.options = options
        self.store = store
        self.clock = clock
        self.service = service
        gated = CommunityService(
            store: store, clock: clock, ids: ids, gate: GuidelinesService.gate(store: store),
            secrets: service.secrets)
        guidelines = GuidelinesService(community: gated)
        let host = try ProjectionHost(store: store)
        self.host = host
        game = try GamificationService(community: service, host: host)
        leadership = try LeadershipService(community: service, host: host)
        self.community = community
        names = Names(service: service)
        artifacts = try Artifacts(directory: options.out)
        self.run = run
    }

    /// Today in UTC, by the demo's clock.
    var today: LocalDate { LocalDate(clock.now(), in: .utc) }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    func pad(_ text: String, _ width: Int) -> String { Self.pad(text, width) }
}

/// Members' display names, looked up when they are printed (and remembered), so a member who
/// joined during the run is named like everyone else; only a member who is gone is a "former
/// member".
actor Names {
    let service: CommunityService
    private var known: [MemberID: Member] = [:]

    init(service: CommunityService) { self.service = service }

    /// The member, or nil for a former member.
    func member(_ id: MemberID) async throws -> Member? {
        if let member = known[id] { return member }
        do {
            let member = try await service.member(id)
            known[id] = member
            return member
        } catch {
            guard case .notFound = error else { throw error }
            return nil
        }
    }

    func callAsFunction(_ id: MemberID) async throws -> String {
        try await member(id)?.profile.displayName ?? "former member"
    }
}

/// Where the demo writes the files it shows, under stable names, when `--out DIR` is given;
/// without it nothing is written.
struct Artifacts {
    let directory: URL?
    /// The folder as the user named it, for what the demo prints.
    let folder: String

    init(directory path: String?) throws {
        guard let path else {
            directory = nil
            folder = ""
            return
        }
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        directory = url
        folder = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Writes `text` to `name` (a path under the folder) and says where, or says nothing
    /// without a folder.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String? {
        try write(Data(text.utf8), to: name)
    }

    @discardableResult
    func write(_ data: Data, to name: String) throws -> String? {
        guard let directory else { return nil }
        let file = directory.appending(path: name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: .atomic)
        return name
    }

    /// "; written to out/newsletter.html, out/newsletter.md" for the files written, or "".
    func note(_ names: [String?]) -> String {
        let written = names.compactMap { $0 }
        guard directory != nil, !written.isEmpty else { return "" }
        return "; written to " + written.map { "\(folder)/\($0)" }.joined(separator: ", ")
    }
}
