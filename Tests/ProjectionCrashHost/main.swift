// A child process for the projection host's crash test. On the SQLite file at PATH:
//
//   projection-crash-host catch-up PATH   hosts every projection of the library (member facts,
//                                         points, rewards, badges, engagement, value, insights,
//                                         homework) on one host and catches up with the log, committing
//                                         often; prints DONE when the log is folded
//   projection-crash-host replay PATH     copies the log into memory and folds it once with the
//                                         same services; prints the awards and grants made, then
//                                         for every projection SAME (or DIFFERENT) when the state
//                                         saved in its checkpoint equals (or not) the replay's
import CommunityModel
import Foundation
import Gamification
import Leadership
import Recognition
import SQLiteStorage
import Storage

let image = URL(string: "https://school.example/badge.png")!
let badges = [
    BadgeDefinition(
        id: "answers", name: "Answers", description: "Two answers.", criterion: .count(.answered, atLeast: 2),
        image: image),
    BadgeDefinition(
        id: "fan", name: "Fan", description: "Three reactions.", criterion: .count(.reacted, atLeast: 3), image: image),
    BadgeDefinition(
        id: "local", name: "Local", description: "A chapter joined.", criterion: .count(.joinedChapter, atLeast: 1),
        image: image),
    BadgeDefinition(
        id: "mentor", name: "Mentor", description: "Feedback, again and again.",
        criterion: .count(.gaveFeedback, atLeast: 2),
        isRepeatable: true, image: image),
    BadgeDefinition(
        id: "earner", name: "Earner", description: "Forty points.", criterion: .points(atLeast: 40), image: image),
]
let tiers = [
    RewardTier(id: "stickers", name: "Stickers", kind: .swag, threshold: 30),
    RewardTier(id: "beta", name: "Beta", kind: .betaInvitation, threshold: 120),
]

/// The services of a process, on one host.
struct Services {
    let host: ProjectionHost
    let game: GamificationService
    let recognition: RecognitionService
    let leadership: LeadershipService

    init(store: any DataStore, pageSize: Int, checkpointInterval: Int) throws {
        host = try ProjectionHost(store: store, pageSize: pageSize, checkpointInterval: checkpointInterval)
        let community = CommunityService(store: store, clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)))
        game = try GamificationService(community: community, rewardTiers: tiers, host: host)
        recognition = try RecognitionService(community: community, badges: badges, gamification: game)
        leadership = try LeadershipService(community: community, host: host)
    }

    func catchUp() async throws {
        try await game.registerLedger()
        try await host.register(try HomeworkProjection())
        try await recognition.refresh()
        try await game.refresh()
        try await leadership.refresh()
    }
}

/// "SAME name position" when the state saved in the checkpoint equals the replay's state.
func compare<P: ActivityProjection & Equatable>(_ prototype: P, saved store: any DataStore, replay host: ProjectionHost)
    async throws -> String
{
    var saved = prototype
    _ = try await ProjectionRunner(store: store).restore(&saved)
    guard let replayed = await host.state(of: P.self, named: prototype.checkpointName) else {
        return "MISSING \(prototype.checkpointName)"
    }
    return (saved == replayed ? "SAME " : "DIFFERENT ") + "\(prototype.checkpointName) \(saved.position)"
}

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: projection-crash-host catch-up|replay PATH\n".utf8))
    exit(64)
}
let store = try await SQLiteStorage.open(path: arguments[2])
switch arguments[1] {
case "catch-up":
    try await Services(store: store, pageSize: 20, checkpointInterval: 40).catchUp()
    say("DONE")
case "replay":
    let copy = InMemoryStore()
    try await copy.append(try await store.allEntries().map(\.entry))
    let services = try Services(store: copy, pageSize: 1_000, checkpointInterval: .max)
    try await services.catchUp()
    for award in try await copy.allRecords(in: "badge-awards").map(\.key.id).sorted() { say("AWARD \(award)") }
    for grant in try await copy.allRecords(in: "reward-grants").map(\.key.id).sorted() { say("GRANT \(grant)") }
    let ledger = try PointsLedger()
    let lines = [
        try await compare(MemberFactsProjection(), saved: store, replay: services.host),
        try await compare(ledger, saved: store, replay: services.host),
        try await compare(
            try RewardProjection(tiers: tiers, ledgerName: ledger.checkpointName), saved: store, replay: services.host),
        try await compare(
            try BadgeProjection(badges: badges, sharedLedger: ledger.checkpointName), saved: store,
            replay: services.host),
        try await compare(try EngagementProjection(), saved: store, replay: services.host),
        try await compare(ValueProjection(), saved: store, replay: services.host),
        try await compare(try InsightsProjection(), saved: store, replay: services.host),
        try await compare(try HomeworkProjection(), saved: store, replay: services.host),
    ]
    for line in lines { say(line) }
default:
    exit(64)
}
