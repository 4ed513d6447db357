import CommunityModel
import Storage
import Testing

@testable import Gamification

@Suite("Leaderboards")
struct LeaderboardTests {
    let kenya = try! CountryCode("KE")
    let japan = try! CountryCode("JP")

    func facts(_ country: CountryCode, _ chapters: Set<ChapterID> = [], public isPublic: Bool = true)
        -> LeaderboardFacts
    {
        LeaderboardFacts(country: country, chapters: chapters, isPublic: isPublic)
    }

    @Test("ranks and the top N match a full sort after thousands of random updates")
    func matchesFullSort() {
        var boards = Leaderboards()
        var scores: [MemberID: Int] = [:]
        var generator = SeededGenerator(seed: 3)
        let members = (0..<400).map { MemberID("m\($0)") }
        for member in members { boards.update(member, facts: facts(kenya)) }
        for _ in 0..<5_000 {
            let member = members[Int(generator.next() % 400)]
            let score = Int(generator.next() % 50)
            scores[member] = score
            boards.update(member, points: (score, score, score))
        }
        let expected = scores.filter { $0.value > 0 }.sorted {
            ($0.value, Leaderboards.tie($1.key)) > ($1.value, Leaderboards.tie($0.key))
        }
        let top = boards.top(50, of: .global, for: .allTime)
        #expect(top.map(\.member) == expected.prefix(50).map(\.key))
        #expect(top.map(\.rank) == Array(1...50))
        for (index, entry) in expected.enumerated() where index % 37 == 0 {
            #expect(boards.rank(of: entry.key, on: .global, for: .allTime).rank == index + 1)
        }
        #expect(boards.count(of: .country(kenya), for: .week) == expected.count)
    }

    @Test("the ranked board agrees with a sorted array through block splits and removals")
    func rankedBoardAgreesWithSortedArray() {
        var board = RankedBoard()
        // Value and tie-break are both the member number here. 30,000 members fill a few
        // hundred blocks, several groups of them.
        let members: UInt64 = 30_000
        let ties = Array(0..<members)
        var generator = SeededGenerator(seed: 12)
        var present: [UInt64: RankKey] = [:]
        func agrees(_ board: RankedBoard, sampleEvery step: Int) -> [RankKey] {
            let reference = present.values.sorted { $0.isAhead(of: $1) }
            #expect(board.count == reference.count)
            #expect(board.first(reference.count, ties: ties).map(\.key) == reference)
            for (index, key) in reference.enumerated() where index % step == 0 {
                #expect(board.countAhead(of: key, ties: ties) == index)
                #expect(board.countAhead(of: key, value: Int32(key.tie), ties: ties) == index)
            }
            return reference
        }
        for step in 0..<90_000 {
            let member = generator.next() % members
            if let old = present[member] {
                let removed = board.remove(old, value: Int32(member), ties: ties)
                #expect(removed)
                present[member] = nil
            }
            if step < 60_000 || generator.next() % 3 == 0 {
                let key = RankKey(score: Int64(generator.next() % 2_000), tie: member)
                board.insert(key, value: Int32(member), ties: ties)
                present[member] = key
            }
            if step == 45_000 { _ = agrees(board, sampleEvery: 101) }
        }
        var reference = agrees(board, sampleEvery: 97)
        #expect(board.countAhead(of: RankKey(score: -1, tie: 0), ties: ties) == reference.count)
        let missing = board.remove(RankKey(score: 5_000, tie: 1), value: 1, ties: ties)
        #expect(!missing)

        // Every other member leaves, from the top down: blocks empty out all over the board.
        for key in reference where key.tie % 2 == 0 {
            let removed = board.remove(key, value: Int32(key.tie), ties: ties)
            #expect(removed)
            present[key.tie] = nil
        }
        reference = agrees(board, sampleEvery: 53)

        // Emptied and filled again, the board reuses its storage and still agrees.
        for key in reference {
            let removed = board.remove(key, value: Int32(key.tie), ties: ties)
            #expect(removed)
        }
        #expect(board.count == 0 && board.first(1, ties: ties).isEmpty)
        // 300 members with equal scores (and equal packed words): value v has tie 299 - v.
        let reversed = (0..<300).map { UInt64(299 - $0) }
        for value in 0..<300 as Range<Int32> {
            board.insert(RankKey(score: 7, tie: reversed[Int(value)]), value: value, ties: reversed)
        }
        #expect(board.first(300, ties: reversed).map(\.key.tie) == Array(0..<300))
        #expect(board.first(300, ties: reversed).map(\.value) == Array((0..<300).reversed()))
        #expect(board.countAhead(of: RankKey(score: 7, tie: 150), ties: reversed) == 150)
        let removedMiddle = board.remove(RankKey(score: 7, tie: 150), value: 149, ties: reversed)
        #expect(removedMiddle)
        #expect(board.countAhead(of: RankKey(score: 7, tie: 200), ties: reversed) == 199)
    }

    @Test("the ranked board finds every key however unevenly the keys are spread over a block")
    func unevenlySpreadKeys() {
        // A block's search starts where a key would be if the block's keys were spread evenly
        // between its first key and the next block's. Here they are not: a few members far
        // ahead, clumps of equal scores, and tie-breaks crowded at both ends of their range.
        var board = RankedBoard()
        var keys: [RankKey] = []
        for member in 0..<3_000 {
            let score: Int64 =
                switch member % 10 {
                case 0: 1_000_000_000 + Int64(member)
                case 1, 2, 3: 5
                default: 6 + Int64(member % 3)
                }
            let tie = member % 2 == 0 ? UInt64(member) : UInt64.max - UInt64(member)
            keys.append(RankKey(score: score, tie: tie))
        }
        let ties = keys.map(\.tie)
        for (member, key) in keys.enumerated().reversed() { board.insert(key, value: Int32(member), ties: ties) }
        let ranked = keys.indices.sorted { keys[$0].isAhead(of: keys[$1]) }
        #expect(board.first(keys.count, ties: ties).map(\.value) == ranked.map(Int32.init))
        for (rank, member) in ranked.enumerated() {
            #expect(board.countAhead(of: keys[member], value: Int32(member), ties: ties) == rank)
            #expect(board.countAhead(of: keys[member], ties: ties) == rank)
        }
        // Between two keys, and beyond both ends.
        #expect(
            board.countAhead(of: RankKey(score: 5, tie: 1 << 62), ties: ties) == ranked.count { keys[$0].score > 5 }
                + 300)
        #expect(board.countAhead(of: RankKey(score: Int64(Int32.max), tie: 0), ties: ties) == 0)
        #expect(board.countAhead(of: RankKey(score: 0, tie: 0), ties: ties) == keys.count)
        for member in stride(from: 0, to: keys.count, by: 2) {
            let removed = board.remove(keys[member], value: Int32(member), ties: ties)
            #expect(removed)
        }
        let left = ranked.filter { $0 % 2 == 1 }
        #expect(board.first(keys.count, ties: ties).map(\.value) == left.map(Int32.init))
    }

    @Test("the member table tells apart ids whose hashes are equal, and keeps every entry as it grows")
    func memberTableCollisions() {
        // The first 200 ids share one hash: they all start their search at the same bucket.
        var table = MemberTable { id in id.rawValue.hasPrefix("collide-") ? 42 : Leaderboards.tie(id) }
        let colliding = (0..<200).map { MemberID("collide-\($0)") }
        for (index, id) in colliding.enumerated() {
            #expect(table.find(id, tie: 42) == nil)
            _ = table.insert(id, tie: 42, entry: Leaderboards.Entry(allTime: Int64(index), slot: Int32(index)))
        }
        // Others with their own hashes, enough for the table to double several times.
        for index in 0..<5_000 {
            let id = MemberID("member-\(index)")
            _ = table.insert(id, tie: Leaderboards.tie(id), entry: Leaderboards.Entry(slot: Int32(200 + index)))
        }
        #expect(table.count == 5_200)
        for (index, id) in colliding.enumerated() {
            #expect(table.find(id, tie: 42).map { table[$0].allTime } == Int64(index))
        }
        for index in stride(from: 0, to: 5_000, by: 7) {
            let id = MemberID("member-\(index)")
            #expect(table.find(id, tie: Leaderboards.tie(id)).map { table[$0].slot } == Int32(200 + index))
        }
        #expect(table.find("collide-200", tie: 42) == nil)
    }

    @Test("scores beyond the 32-bit range saturate: such members are ordered by their tie-break")
    func saturatedScores() {
        var board = RankedBoard()
        let ties: [UInt64] = [0, 1, 2, .max, 1 << 40]
        board.insert(RankKey(score: 6_000_000_000, tie: 2), value: 2, ties: ties)
        board.insert(RankKey(score: 5_000_000_000, tie: 1), value: 1, ties: ties)
        board.insert(RankKey(score: 2_000_000_000, tie: 0), value: 0, ties: ties)
        board.insert(RankKey(score: 7, tie: UInt64.max), value: 3, ties: ties)
        board.insert(RankKey(score: 7, tie: 1 << 40), value: 4, ties: ties)
        #expect(board.first(5, ties: ties).map(\.value) == [1, 2, 0, 4, 3])
        #expect(board.first(1, ties: ties)[0].key.score == Int64(Int32.max))
        #expect(board.countAhead(of: RankKey(score: 7, tie: 1 << 41), ties: ties) == 4)
    }

    @Test("hidden members never appear on a public board, yet see the rank they would have")
    func hiddenMembers() {
        var boards = Leaderboards()
        boards.update("ann", facts: facts(kenya, ["nbo"]))
        boards.update("hid", facts: facts(kenya, ["nbo"], public: false))
        boards.update("cy", facts: facts(japan))
        boards.update("ann", points: (5, 5, 50))
        boards.update("hid", points: (9, 9, 90))
        boards.update("cy", points: (1, 1, 10))
        #expect(boards.top(10, of: .global, for: .allTime).map(\.member) == ["ann", "cy"])
        #expect(boards.top(10, of: .chapter("nbo"), for: .week).map(\.member) == ["ann"])
        let hidden = boards.rank(of: "hid", on: .global, for: .allTime)
        #expect(hidden.rank == 1 && !hidden.isListed && hidden.points == 90)
        #expect(boards.rank(of: "cy", on: .global, for: .allTime).rank == 2)
        #expect(boards.rank(of: "cy", on: .country(kenya), for: .allTime).isListed == false)
        // Consenting later puts them on the boards; moving country moves them.
        boards.update("hid", facts: facts(japan))
        #expect(boards.top(1, of: .global, for: .allTime).map(\.member) == ["hid"])
        #expect(boards.top(5, of: .country(japan), for: .allTime).map(\.member) == ["hid", "cy"])
        #expect(boards.top(5, of: .chapter("nbo"), for: .allTime).map(\.member) == ["ann"])
    }

    @Test("members with equal points are ordered the same way in every run")
    func tiesAreDeterministic() {
        func build(_ order: [MemberID]) -> [MemberID] {
            var boards = Leaderboards()
            for member in order {
                boards.update(member, facts: facts(kenya))
                boards.update(member, points: (3, 3, 3))
            }
            return boards.top(10, of: .global, for: .allTime).map(\.member)
        }
        let members: [MemberID] = ["a", "b", "c", "d", "e"]
        #expect(build(members) == build(members.reversed()))
    }
}
