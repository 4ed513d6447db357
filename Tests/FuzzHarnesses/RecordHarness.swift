import CommunityChallenge
import CommunityModel
import Foundation
import Gamification
import Guidelines
import Leadership
import Recognition
import Storage
import Surveys

/// The record decoders of the domain types and policies: any compact record or JSON document
/// (the format records had before) decoded as each stored type.
///
/// Properties: decoding throws or gives a value that, written again by the library's record
/// encoder, decodes to an equal value, and is written the same way twice (records are
/// deterministic, so checksums and comparisons of stored bytes hold).
enum RecordHarness {
    static let decoders: [@Sendable (Data) throws(PropertyViolation) -> Void] = [
        decoder(Member.self), decoder(MemberContact.self), decoder(Chapter.self), decoder(ChapterMembership.self),
        decoder(ChapterEvent.self), decoder(Registration.self), decoder(DiscussionThread.self), decoder(Post.self),
        decoder(Reaction.self), decoder(Board.self), decoder(Programme.self), decoder(Enrolment.self),
        decoder(OrganizerApplication.self), decoder(Share.self), decoder(LeaderFeedback.self),
        decoder(ProjectionCheckpoint.self), decoder(LocalDate.self), decoder(PointsAdjustment.self),
        decoder(RewardGrant.self), decoder(Survey.self), decoder(SurveyResponse.self), decoder(TrainingSession.self),
        decoder(GuidelineDocument.self), decoder(ChallengeTeam.self), decoder(ChallengeSubmission.self),
        decoder(JudgeScore.self), decoder(Challenge.self), decoder(ChallengeRegistration.self),
        decoder(SpotlightPick.self), decoder(StoredAward.self), decoder(BenchmarkMember.self),
        decoder(Certificate.self), decoder(Quarter.self), decoder(CohortMonth.self), decoder(ReferralPolicy.self),
        decoder(PointsPolicy.self), decoder(StreakPolicy.self), decoder(LevelPolicy.self), decoder(SurveyPolicy.self),
        decoder(EngagementPolicy.self), decoder(TeamFormationPolicy.self), decoder(SpotlightPolicy.self),
        decoder(BenchmarkPolicy.self),
    ]

    static func decoder<Value: Codable & Equatable & Sendable>(
        _ type: Value.Type
    ) -> @Sendable (Data) throws(PropertyViolation) -> Void {
        let collection = RecordCollection<Value>("fuzz")
        return { data throws(PropertyViolation) in
            let record = Record(key: RecordKey(collection: "fuzz", id: "r"), version: 1, data: data)
            guard let value = try? collection.decode(record).value else { return }
            let written: Data
            do { written = try collection.encode(value) } catch {
                throw PropertyViolation("\(Value.self): a decoded value cannot be written: \(error)")
            }
            let back: Value
            do {
                back = try collection.decode(
                    Record(key: RecordKey(collection: "fuzz", id: "r"), version: 1, data: written)
                ).value
            } catch {
                throw PropertyViolation("\(Value.self): a value written again does not decode: \(error)")
            }
            try expect(back == value, "\(Value.self): written and decoded again, the value differs")
            let twice = try? collection.encode(back)
            try expect(twice == written, "\(Value.self): the same value is written two different ways")
        }
    }

    static let target = FuzzTarget(
        name: "records",
        summary:
            "compact records and JSON documents decoded as every stored domain type and policy: round trip, deterministic writing"
    ) { bytes throws(PropertyViolation) in
        let data = Data(bytes)
        // Every decoder would fail on JSON that does not parse: parse once, then try each type.
        // Compact records (their first byte is 0xC5, never JSON's) go to every decoder.
        guard
            bytes.first == 0xC5
                || (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
        else { return }
        for decode in decoders { try decode(data) }
    }
}
