/// A country, as an ISO 3166-1 alpha-2 code checked against the embedded list of 249 codes.
///
/// Foundation's region list is not used: it also holds codes such as `EU`, `UN` and `QO`
/// that are not countries.
public struct CountryCode: Hashable, Comparable, Sendable, ValidatedString, CustomStringConvertible {
    public let code: String

    /// - Throws: ``CommunityError/unknownCountry(_:)`` unless `code` (any case) is an assigned
    ///   ISO 3166-1 alpha-2 code.
    public init(_ code: String) throws(CommunityError) {
        guard code.utf8.count == 2, code.utf8.allSatisfy({ $0 < 0x80 }) else { throw .unknownCountry(code) }
        let upper = code.uppercased()
        guard Self.all.contains(upper) else { throw .unknownCountry(code) }
        self.code = upper
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

    public var description: String { code }

    /// Every officially assigned ISO 3166-1 alpha-2 code (249).
    public static let all: Set<String> = Set(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT \
        BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH \
        ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT \
        HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS \
        LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI \
        NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG \
        SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG \
        UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init)
    )
}

/// A value made from a string that must pass a check; it is encoded as that string, and
/// decoding runs the same check, so a stored value can never bypass validation.
public protocol ValidatedString: Codable {
    init(_ text: String) throws(CommunityError)
    var description: String { get }
}

extension ValidatedString {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
