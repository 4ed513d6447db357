/// The demo's command line: `community-demo [--store S] [--out DIR] [--seed N] [--members N] [--chapters N] [--weeks N]`.
struct Options {
    var seed: UInt64 = 2026
    var members = 300
    var chapters = 6
    var weeks = 4
    /// The PostgreSQL schema, for `--store postgres:URL`.
    var schema = "learning_community"
    /// Where the community lives.
    var store = Store.memory
    /// The folder the artifacts are written to (newsletter, value report, CSVs, calendars, Open
    /// Badges documents); nil writes nothing outside the store.
    var out: String?

    enum Store: Equatable {
        case memory
        /// The path of an SQLite file.
        case sqlite(String)
        /// A libpq connection string or postgresql:// URL.
        case postgres(String)
    }

    static let help = """
        community-demo: seeds a small global learning community in memory, simulates a few weeks
        of activity through the library's public API, and shows every part of the library at work.

        USAGE: community-demo [--store memory|sqlite:PATH|postgres:URL] [--schema NAME] [--out DIR]
                              [--seed N] [--members N] [--chapters N] [--weeks N]

        OPTIONS:
          --store S      memory (the default), sqlite:PATH or postgres:URL (a libpq URL or connection
                         string). A store that already holds a community is resumed: the run
                         simulates --weeks more weeks on top of it
          --schema NAME  the PostgreSQL schema that holds the community (default learning_community)
          --out DIR      write what the demo shows to DIR (created if missing): the newsletter (HTML,
                         Markdown, iCalendar), the value report (HTML, CSV), the insights CSVs, the
                         chapter events (iCalendar) and one award's Open Badges documents. Without
                         it nothing is written outside the store
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
                guard let store = remaining.popFirst() else {
                    throw .invalid("--store needs memory, sqlite:PATH or postgres:URL")
                }
                if store == "memory" {
                    options.store = .memory
                } else if store.hasPrefix("sqlite:"), store.count > "sqlite:".count {
                    options.store = .sqlite(String(store.dropFirst("sqlite:".count)))
                } else if store.hasPrefix("postgres:"), store.count > "postgres:".count {
                    options.store = .postgres(String(store.dropFirst("postgres:".count)))
                } else {
                    throw .invalid("--store takes memory, sqlite:PATH or postgres:URL, not \(store)")
                }
            case "--out":
                guard let out = remaining.popFirst(), !out.isEmpty else { throw .invalid("--out needs a folder") }
                options.out = out
            case "--schema":
                guard let schema = remaining.popFirst() else { throw .invalid("--schema needs a name") }
                options.schema = schema
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
