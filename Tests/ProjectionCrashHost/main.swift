// A child process for the projection host's crash test. On the SQLite file at PATH:
//
//   projection-crash-host catch-up PATH   hosts the badges and catches up with the log, committing
//                                         often; prints DONE when the log is folded
//   projection-crash-host replay PATH     folds the whole log into a fresh badge projection in
//                                         memory and prints its awards and a digest of its state
//   projection-crash-host restored PATH   prints the digest of the state saved in the checkpoint
import CommunityModel
import Foundation
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
]

func digest(_ projection: BadgeProjection) -> String {
    var writer = BinaryWriter()
    projection.encodeState(into: &writer)
    return String(FNV1a.hash(writer.bytes), radix: 16)
}

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: projection-crash-host catch-up|replay|restored PATH\n".utf8))
    exit(64)
}
let store = try await SQLiteStorage.open(path: arguments[2])
let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
switch arguments[1] {
case "catch-up":
    let host = try ProjectionHost(store: store, pageSize: 20, checkpointInterval: 40)
    let community = CommunityService(store: store, clock: clock)
    let recognition = try RecognitionService(community: community, badges: badges, host: host)
    try await recognition.refresh()
    say("DONE")
case "replay":
    var projection = try BadgeProjection(badges: badges)
    for stored in try await store.allEntries() { projection.apply(try LoggedActivity(stored)) }
    for award in projection.takeNewAwards().sorted(by: { $0.id < $1.id }) { say("AWARD \(award.id)") }
    say("STATE \(digest(projection)) \(projection.position)")
case "restored":
    var projection = try BadgeProjection(badges: badges)
    _ = try await ProjectionRunner(store: store).restore(&projection)
    say("STATE \(digest(projection)) \(projection.position)")
default:
    exit(64)
}
