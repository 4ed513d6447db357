import CommunityModel
import Testing

/// A subject is written and read in one place: every kind goes to its stored text and back,
/// the stored text of every subject the library logs is what it always was, and text this
/// version does not know is kept, not lost.
@Suite("Subjects")
struct SubjectTests {
    static let subjects: [(Subject, String)] = [
        (.member("m1"), "member:m1"), (.programme("data-101"), "programme:data-101"),
        (.chapter("nbo"), "chapter:nbo"), (.board("nbo-public"), "board:nbo-public"), (.thread("t1"), "thread:t1"),
        (.post("p1"), "post:p1"), (.event("e1"), "event:e1"), (.organizerApplication("a1"), "organizer-application:a1"),
        (.feedback("f1"), "feedback:f1"), (.survey("s1"), "survey:s1"), (.challenge("c1"), "challenge:c1"),
        (.challengeTeam("c1-team-2"), "challenge-team:c1-team-2"), (.badge("first-answer"), "badge:first-answer"),
        (.reward("stickers"), "reward:stickers"), (.trainingSession("training-1-x"), "training-session:training-1-x"),
        (.guidelines("2.1"), "guidelines:2.1"),
    ]

    @Test("every kind of subject has one stored form and parses back to itself")
    func roundTrip() {
        for (subject, stored) in Self.subjects {
            #expect(subject.rawValue == stored)
            #expect(Subject(rawValue: stored) == subject)
            #expect(SubjectRef(subject).subject == subject)
        }
        // Ids may hold a colon: only the first one separates the kind.
        #expect(Subject(rawValue: "post:a:b") == .post("a:b"))
    }

    @Test("subjects this version does not know are kept as they were")
    func unknownSubjects() {
        #expect(Subject(rawValue: "webinar:w1") == .other(kind: "webinar", id: "w1"))
        #expect(Subject(rawValue: "webinar:w1").rawValue == "webinar:w1")
        #expect(Subject(rawValue: "no colon").rawValue == "no colon")
    }
}
