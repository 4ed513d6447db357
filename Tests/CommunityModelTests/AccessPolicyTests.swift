import CommunityModel
import Testing

/// The one function that decides who may read, post and moderate on a board.
@Suite("Access policy")
struct AccessPolicyTests {
    let chapter: ChapterID = "lima"
    let programme: ProgrammeID = "data-101"

    func board(_ audience: BoardAudience, chapter: ChapterID? = nil) -> Board {
        Board(id: "b", title: "Board", audience: audience, chapter: chapter)
    }

    @Test("anyone may read a public board, even without signing in; members may post")
    func publicBoard() {
        let open = board(.everyone, chapter: chapter)
        #expect(AccessPolicy.permissions(of: nil, on: open) == .read)
        #expect(AccessPolicy.permissions(of: Viewer(member: "m"), on: open) == [.read, .post])
    }

    @Test("a programme's private board opens on enrolment and stays open after completion")
    func enrolledBoard() {
        let learners = board(.enrolled(programme))
        #expect(AccessPolicy.permissions(of: Viewer(member: "m"), on: learners) == [])
        #expect(
            AccessPolicy.permissions(of: Viewer(member: "m", enrolled: [programme]), on: learners) == [.read, .post])
        #expect(
            AccessPolicy.permissions(of: Viewer(member: "m", completed: [programme]), on: learners) == [.read, .post])
    }

    @Test("the alumni board opens on completion only")
    func alumniBoard() {
        let alumni = board(.alumni(programme))
        #expect(AccessPolicy.permissions(of: Viewer(member: "m", enrolled: [programme]), on: alumni) == [])
        #expect(
            AccessPolicy.permissions(of: Viewer(member: "m", completed: [programme]), on: alumni) == [.read, .post])
    }

    @Test("organizers moderate their own chapter's boards and no other chapter's")
    func organizersAreScopedToTheirChapter() {
        let organizer = Viewer(member: "o", roles: [.chapterOrganizer], chapters: [chapter], organizes: [chapter])
        #expect(AccessPolicy.permissions(of: organizer, on: board(.everyone, chapter: chapter)) == .all)
        #expect(AccessPolicy.permissions(of: organizer, on: board(.organizers(chapter), chapter: chapter)) == .all)
        #expect(AccessPolicy.permissions(of: organizer, on: board(.everyone, chapter: "quito")) == [.read, .post])
        #expect(AccessPolicy.permissions(of: organizer, on: board(.organizers("quito"), chapter: "quito")) == [])
    }

    @Test("chapter boards are for the chapter's members")
    func chapterMembersBoard() {
        let members = board(.chapterMembers(chapter), chapter: chapter)
        #expect(AccessPolicy.permissions(of: Viewer(member: "m"), on: members) == [])
        #expect(AccessPolicy.permissions(of: Viewer(member: "m", chapters: [chapter]), on: members) == [.read, .post])
    }

    @Test("staff and community managers may do everything everywhere", arguments: [Role.staff, .communityManager])
    func staffEverywhere(role: Role) {
        let viewer = Viewer(member: "s", roles: [role])
        for audience in [BoardAudience.everyone, .staff, .alumni(programme), .organizers(chapter)] {
            #expect(AccessPolicy.permissions(of: viewer, on: board(audience)) == .all)
        }
        #expect(AccessPolicy.permissions(of: Viewer(member: "m"), on: board(.staff)) == [])
    }
}
