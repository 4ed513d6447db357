/// The demo's command line: `community-demo [--seed N] [--members N] [--chapters N] [--weeks N]`.
struct Options {
    var seed: UInt64 = 2026
    var members = 300
    var chapters = 6
    var weeks = 4
    /// Where the community lives: nil for memory, or the path of an SQLite file.
    var sqlitePath: String?

    static let help = """
        community-demo: seeds a small global learning community in memory, simulates a few weeks
        of activity through the library's public API, and prints a summary.

        USAGE: community-demo [--store memory|sqlite:PATH] [--seed N] [--members N] [--chapters N] [--weeks N]

        OPTIONS:
          --store S      memory (the default) or sqlite:PATH; an SQLite file that already holds a
                         community is resumed: the run simulates --weeks more weeks on top of it
          --seed N       seed of every random choice; the same seed prints the same summary (default 2026)
          --members N    members to generate, 10 to 100000 (default 300)
          --chapters N   chapters to create, 1 to 8 (default 6)
          --weeks N      weeks of activity to simulate, 0 to 104 (default 4)
          -h, --help     show this help
        """

    enum Parse: Error {
        case help
        case invalid(String)
    }

    static func parse(_ arguments: [String]) throws(Parse) -> Options {
        var options = Options()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help": throw .help
            case "--store":
                guard let store = remaining.popFirst() else { throw .invalid("--store needs memory or sqlite:PATH") }
                if store == "memory" {
                    options.sqlitePath = nil
                } else if store.hasPrefix("sqlite:"), store.count > "sqlite:".count {
                    options.sqlitePath = String(store.dropFirst("sqlite:".count))
                } else {
                    throw .invalid("--store takes memory or sqlite:PATH, not \(store)")
                }
            case "--seed", "--members", "--chapters", "--weeks":
                guard let text = remaining.popFirst() else { throw .invalid("\(argument) needs a number") }
                if argument == "--seed" {
                    guard let value = UInt64(text) else {
                        throw .invalid("--seed takes a whole number ≥ 0, not \(text)")
                    }
                    options.seed = value
                    continue
                }
                guard let value = Int(text) else { throw .invalid("\(argument) takes a whole number, not \(text)") }
                switch argument {
                case "--members": options.members = value
                case "--chapters": options.chapters = value
                default: options.weeks = value
                }
            default: throw .invalid("unknown option \(argument)")
            }
        }
        return options
    }
}
