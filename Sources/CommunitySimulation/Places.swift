/// A place members come from: a country and one of its IANA time zones.
public struct Place: Hashable, Sendable {
    public var country: String
    public var countryName: String
    public var timeZone: String
}

enum Places {
    /// 27 countries on every continent, with a weight for how many members come from each.
    static let all: [(place: Place, weight: Int)] = [
        (Place(country: "IN", countryName: "India", timeZone: "Asia/Kolkata"), 12),
        (Place(country: "US", countryName: "United States", timeZone: "America/New_York"), 9),
        (Place(country: "US", countryName: "United States", timeZone: "America/Los_Angeles"), 5),
        (Place(country: "NG", countryName: "Nigeria", timeZone: "Africa/Lagos"), 7),
        (Place(country: "BR", countryName: "Brazil", timeZone: "America/Sao_Paulo"), 7),
        (Place(country: "KE", countryName: "Kenya", timeZone: "Africa/Nairobi"), 6),
        (Place(country: "NL", countryName: "Netherlands", timeZone: "Europe/Amsterdam"), 5),
        (Place(country: "GB", countryName: "United Kingdom", timeZone: "Europe/London"), 5),
        (Place(country: "DE", countryName: "Germany", timeZone: "Europe/Berlin"), 4),
        (Place(country: "MX", countryName: "Mexico", timeZone: "America/Mexico_City"), 4),
        (Place(country: "PH", countryName: "Philippines", timeZone: "Asia/Manila"), 4),
        (Place(country: "ID", countryName: "Indonesia", timeZone: "Asia/Jakarta"), 4),
        (Place(country: "PK", countryName: "Pakistan", timeZone: "Asia/Karachi"), 3),
        (Place(country: "EG", countryName: "Egypt", timeZone: "Africa/Cairo"), 3),
        (Place(country: "ZA", countryName: "South Africa", timeZone: "Africa/Johannesburg"), 3),
        (Place(country: "CO", countryName: "Colombia", timeZone: "America/Bogota"), 3),
        (Place(country: "AR", countryName: "Argentina", timeZone: "America/Argentina/Buenos_Aires"), 2),
        (Place(country: "FR", countryName: "France", timeZone: "Europe/Paris"), 3),
        (Place(country: "ES", countryName: "Spain", timeZone: "Europe/Madrid"), 3),
        (Place(country: "PL", countryName: "Poland", timeZone: "Europe/Warsaw"), 2),
        (Place(country: "TR", countryName: "Türkiye", timeZone: "Europe/Istanbul"), 2),
        (Place(country: "AE", countryName: "United Arab Emirates", timeZone: "Asia/Dubai"), 2),
        (Place(country: "CN", countryName: "China", timeZone: "Asia/Shanghai"), 3),
        (Place(country: "JP", countryName: "Japan", timeZone: "Asia/Tokyo"), 2),
        (Place(country: "SG", countryName: "Singapore", timeZone: "Asia/Singapore"), 2),
        (Place(country: "AU", countryName: "Australia", timeZone: "Australia/Sydney"), 2),
        (Place(country: "NZ", countryName: "New Zealand", timeZone: "Pacific/Auckland"), 1),
        (Place(country: "CA", countryName: "Canada", timeZone: "America/Toronto"), 3),
    ]

    static let firstNames = [
        "Amina", "Baraka", "Chen", "Daniela", "Emeka", "Fatima", "Giulia", "Hiroshi", "Ifeoma", "João", "Kavya",
        "Lars", "Mei", "Nadia", "Oluwaseun", "Priya", "Quentin", "Rosa", "Sipho", "Tomás", "Uma", "Victor",
        "Wanjiru", "Xavier", "Yusuf", "Zanele", "Aroha", "Bilal", "Camila", "Dmitri", "Elif", "Farah",
    ]

    static let lastNames = [
        "Okafor", "Silva", "Wang", "Kumar", "Müller", "García", "Mwangi", "Tanaka", "Nguyen", "Kowalski",
        "Haddad", "Dubois", "Smith", "Santos", "Ahmed", "Reyes", "Kariuki", "Jansen", "Lopez", "Patel",
    ]
}

extension RandomNumberGenerator {
    /// Picks an index with probability proportional to its weight.
    mutating func weightedIndex(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var ticket = Int.random(in: 0..<max(total, 1), using: &self)
        for (index, weight) in weights.enumerated() {
            if ticket < weight { return index }
            ticket -= weight
        }
        return weights.count - 1
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
