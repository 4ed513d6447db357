public import CommunityChallenge
public import CommunityModel
public import Foundation
import Storage

/// Generated Community Challenge registrants: the countries and time zones of the school's
/// members (weighted as in ``CommunitySimulator``), one to three skills each, English and the
/// country's language. About one registrant in five is in a mutual teammate request with a
/// neighbour in the list, and one in thirty asks someone who does not ask back.
public enum ChallengeRegistrants {
    /// The skills registrants name, the first ones more often.
    public static let skills = [
        "software", "design", "data", "research", "writing", "marketing", "finance", "operations",
    ]

    static let languages: [String: String] = [
        "IN": "hi", "BR": "pt", "MX": "es", "CO": "es", "AR": "es", "ES": "es", "DE": "de", "NL": "nl", "FR": "fr",
        "PL": "pl", "TR": "tr", "AE": "ar", "EG": "ar", "CN": "zh", "JP": "ja", "ID": "id", "PH": "tl",
        "KE": "sw", "PK": "ur",
    ]

    /// `count` registrations for `challenge`, the same for the same seed. Members are
    /// `registrant-1`, `registrant-2`, ….
    public static func generate(count: Int, challenge: ChallengeID, seed: UInt64, at date: Date)
        throws(CommunityError) -> [ChallengeRegistration]
    {
        var random = SeededGenerator(seed: seed)
        let weights = Places.all.map(\.weight)
        let skillWeights = skills.indices.map { skills.count - $0 + 2 }
        var registrations: [ChallengeRegistration] = []
        registrations.reserveCapacity(count)
        for index in 0..<count {
            let place = Places.all[random.weightedIndex(weights)].place
            var chosen: Set<String> = []
            for _ in 0..<(1 + Int(random.next() % 3)) { chosen.insert(skills[random.weightedIndex(skillWeights)]) }
            registrations.append(
                ChallengeRegistration(
                    challenge: challenge, member: MemberID("registrant-\(index + 1)"),
                    country: try CountryCode(place.country), timeZone: try TimeZoneID(place.timeZone),
                    skills: chosen.sorted(), languages: ["en"] + (languages[place.country].map { [$0] } ?? []),
                    registeredAt: date))
        }
        var index = 0
        while index + 1 < count {
            let roll = random.next() % 30
            if roll < 3 {
                registrations[index].teammates.append(registrations[index + 1].member)
                registrations[index + 1].teammates.append(registrations[index].member)
                index += 2
            } else if roll == 3 {
                registrations[index].teammates.append(registrations[index + 1].member)
                index += 1
            } else {
                index += 1
            }
        }
        return registrations
    }
}
