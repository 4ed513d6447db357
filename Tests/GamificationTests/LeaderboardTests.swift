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
        // Value and tie-break are both the member number here.
        let ties = (0..<4_000).map(UInt64.init)
        var reference: [RankKey] = []
        var generator = SeededGenerator(seed: 12)
        var present: [UInt64: RankKey] = [:]
        for step in 0..<12_000 {
            let member = generator.next() % 4_000
            if let old = present[member] {
                let removed = board.remove(old, value: Int32(member), ties: ties)
                #expect(removed)
                reference.removeAll { $0 == old }
                present[member] = nil
            }
            if step < 10_000 || generator.next() % 2 == 0 {
                let key = RankKey(score: Int64(generator.next() % 300), tie: member)
                board.insert(key, value: Int32(member), ties: ties)
                reference.append(key)
                present[member] = key
            }
        }
        reference.sort { $0.isAhead(of: $1) }
        #expect(board.count == reference.count)
        #expect(board.first(reference.count, ties: ties).map(\.key) == reference)
        for (index, key) in reference.enumerated() where index % 97 == 0 {
            #expect(board.countAhead(of: key, ties: ties) == index)
        }
        #expect(board.countAhead(of: RankKey(score: -1, tie: 0), ties: ties) == reference.count)
        let missing = board.remove(RankKey(score: 1_000, tie: 1), value: 1, ties: ties)
        #expect(!missing)

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
