public import Foundation
import Storage

extension ActivityKind {
    /// A sign-up or an enrolment was attributed to the member's referral (subject: the referred member).
    public static let referralAttributed = ActivityKind("referralAttributed")
}

/// Something a member shared to an outside network, with the referral code that goes with it.
public struct Share: Hashable, Sendable, Codable {
    /// 16 characters of Crockford's base 32 (80 bits, at least 64 of them random).
    public var code: String
    public var advocate: MemberID
    public var item: SharedItem
    /// Lowercased: `linkedin`, `wechat`, `x`.
    public var network: String
    public var sharedAt: Date
}

/// What arrived with a referral code.
public enum ReferralEvent: Hashable, Sendable, Codable {
    case signUp
    case enrolment(ProgrammeID)
}

/// Why a code attributed nothing.
public enum UnattributedReason: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Not 16 characters of the code alphabet.
    case malformedCode
    /// Well formed, but no share has it.
    case unknownCode
    /// The share is older than the policy's window.
    case expiredCode
    /// The advocate used their own code.
    case selfReferral

    public var description: String {
        switch self {
        case .malformedCode: "the code is not a referral code"
        case .unknownCode: "no share has this code"
        case .expiredCode: "the code's window has passed"
        case .selfReferral: "members cannot refer themselves"
        }
    }
}

/// The outcome of a code.
public enum ReferralOutcome: Hashable, Sendable {
    /// Attributed to `advocate`: by this code (`firstTouch`), or to the advocate who referred the
    /// member first (first touch wins).
    case attributed(advocate: MemberID, firstTouch: Bool)
    case unattributed(UnattributedReason)
}

/// How long a referral code attributes after its share.
public struct ReferralPolicy: Hashable, Sendable, Codable {
    public var windowDays: Int

    public init(windowDays: Int = 30) { self.windowDays = windowDays }
}

/// A member referred by an advocate: the first touch, and what followed.
package struct ReferralAttribution: Codable, Sendable {
    package var member: MemberID
    package var advocate: MemberID
    package var code: String
    package var signedUp: Bool
    package var enrolments: [ProgrammeID]
    package var at: Date
}

/// A code that attributed nothing, kept with its reason.
package struct UnattributedReferral: Codable, Sendable {
    package var member: MemberID
    /// At most 64 characters of what arrived.
    package var code: String
    package var event: ReferralEvent
    package var reason: UnattributedReason
    package var at: Date
}

enum ReferralCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// 80 bits from the secret source, in Crockford's base 32 (16 characters). Never from entry
    /// ids: their random bits come from a seeded generator that every minted id exposes.
    static func make(from secret: [UInt8]) -> String {
        let bytes = secret.prefix(10)
        var value = 0
        var bits = 0
        var code = ""
        for byte in bytes {
            value = value << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                code.append(alphabet[(value >> bits) & 31])
                value &= (1 << bits) - 1
            }
        }
        return code
    }

    /// The code in its stored form, or nil when it is not one: case, spaces and dashes are
    /// forgiven, as are O for 0 and I or L for 1.
    static func normalized(_ text: String) -> String? {
        guard text.utf8.count <= 64 else { return nil }
        var code = ""
        for character in text.uppercased() {
            switch character {
            case "-", " ": continue
            case "O": code.append("0")
            case "I", "L": code.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                code.append(character)
            }
        }
        return code.count == 16 ? code : nil
    }
}

extension Collections {
    /// Id: the code.
    package static let shares = RecordCollection<Share>("referral-shares") { ["advocate": $0.advocate.rawValue] }
    /// Id: the referred member.
    package static let attributions = RecordCollection<ReferralAttribution>("referral-attributions") {
        ["advocate": $0.advocate.rawValue]
    }
    package static let unattributed = RecordCollection<UnattributedReferral>("referral-unattributed")
}

extension CommunityService {
    /// Attributes a sign-up or an enrolment that arrived with a referral code. One attribution
    /// per referred member: the first code that attributes wins, and later events (an
    /// enrolment) count for that advocate. A code that cannot attribute (malformed, unknown,
    /// expired, one's own) is recorded with its reason and returned as such; it never fails.
    @discardableResult
    public func attributeReferral(
        code: String, to memberID: MemberID, for event: ReferralEvent, policy: ReferralPolicy = ReferralPolicy(),
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> ReferralOutcome {
        guard (1...3_650).contains(policy.windowDays) else {
            throw .invalidInput(field: "windowDays", reason: "must be 1 to 3,650, not \(policy.windowDays)")
        }
        // An integrator call with no acting member: its key is kept in the space of the member
        // referred, so that one member's key never answers for another.
        return try await transact(by: memberID, key: idempotencyKey, replay: .referral) { tx in
            let member = try await tx.member(memberID)
            if case .enrolment(let programme) = event {
                _ = try await tx.load(programme.rawValue, in: Collections.programmes, kind: "programme")
            }
            let existing = try await tx.find(memberID.rawValue, in: Collections.attributions)
            func miss(_ reason: UnattributedReason) throws -> ReferralOutcome {
                let record = UnattributedReferral(
                    member: memberID, code: String(code.prefix(64)), event: event, reason: reason, at: tx.now)
                try tx.create(record, id: tx.newID(), in: Collections.unattributed)
                return .unattributed(reason)
            }
            // First touch wins: a referred member's later events count for their advocate.
            if var attribution = existing {
                if case .enrolment(let programme) = event, !attribution.value.enrolments.contains(programme) {
                    attribution.value.enrolments.append(programme)
                    try tx.update(attribution, in: Collections.attributions)
                }
                return .attributed(advocate: attribution.value.advocate, firstTouch: false)
            }
            guard let normalized = ReferralCode.normalized(code) else { return try miss(.malformedCode) }
            guard let share = try await tx.find(normalized, in: Collections.shares) else {
                return try miss(.unknownCode)
            }
            guard share.value.advocate != memberID else { return try miss(.selfReferral) }
            guard tx.now.timeIntervalSince(share.value.sharedAt) <= Double(policy.windowDays) * 86_400 else {
                return try miss(.expiredCode)
            }
            var enrolments: [ProgrammeID] = []
            if case .enrolment(let programme) = event { enrolments.append(programme) }
            let attribution = ReferralAttribution(
                member: memberID, advocate: share.value.advocate, code: normalized, signedUp: event == .signUp,
                enrolments: enrolments, at: tx.now)
            try tx.create(attribution, id: memberID.rawValue, in: Collections.attributions)
            let advocate = try await tx.member(share.value.advocate)
            try tx.log(.referralAttributed, member: advocate.value, .init(subject: .member(member.value.id)))
            return .attributed(advocate: share.value.advocate, firstTouch: true)
        }
    }
}
