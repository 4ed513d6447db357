/// The PostgreSQL backend's tables, as forward-only migrations inside one schema (a PostgreSQL
/// namespace), so that several communities can share one database. The benchmark's raw-libpq
/// baseline creates its tables from these very statements, so both measure the same schema.
public enum PostgresSchema {
    /// The schema name used when the integrator does not choose one.
    public static let defaultName = "learning_community"

    /// Migration `n` (1-based) brings a schema from version `n - 1` to `n`. `schema` must have
    /// passed ``validate(name:)``.
    ///
    /// Text columns use the `"C"` collation, so that ids sort by their UTF-8 bytes as the
    /// `RecordStore` contract requires, whatever the database's locale.
    public static func migrations(schema: String) -> [String] {
        let s = quoted(schema)
        return [
            """
            CREATE TABLE \(s).records (
                collection text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                version bigint NOT NULL,
                data bytea NOT NULL,
                indexes bytea NOT NULL,
                PRIMARY KEY (collection, id)
            );
            CREATE TABLE \(s).record_indexes (
                collection text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                value text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                PRIMARY KEY (collection, name, value, id)
            );
            CREATE INDEX record_indexes_by_record ON \(s).record_indexes (collection, id);
            CREATE TABLE \(s).entries (
                position bigint PRIMARY KEY,
                entry_id bytea NOT NULL UNIQUE,
                stream text COLLATE "C" NOT NULL,
                subject text COLLATE "C",
                kind text COLLATE "C" NOT NULL,
                time bigint NOT NULL,
                payload bytea NOT NULL
            );
            CREATE INDEX entries_by_stream ON \(s).entries (stream, position);
            CREATE INDEX entries_by_subject ON \(s).entries (subject, position) WHERE subject IS NOT NULL;
            -- The log's head: the highest stored position. Appenders lock this one row, so appends
            -- commit one at a time, in position order (see PostgresStorage's documentation).
            CREATE TABLE \(s).log_head (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                position bigint NOT NULL
            );
            INSERT INTO \(s).log_head (position) VALUES (0);
            """
        ]
    }

    /// The log's secondary indexes, as migration 1 creates them: a bulk load drops them and
    /// builds them again afterwards (``PostgresStorage/prepareForBulkLoad()``).
    public static func logIndexes(schema: String) -> [(name: String, definition: String)] {
        let s = quoted(schema)
        return [
            ("entries_by_stream", "CREATE INDEX IF NOT EXISTS entries_by_stream ON \(s).entries (stream, position)"),
            (
                "entries_by_subject",
                "CREATE INDEX IF NOT EXISTS entries_by_subject ON \(s).entries (subject, position) "
                    + "WHERE subject IS NOT NULL"
            ),
        ]
    }

    /// The schema version this library writes.
    public static var currentVersion: Int { migrations(schema: defaultName).count }

    /// The schema name as a quoted SQL identifier.
    public static func quoted(_ schema: String) -> String { "\"\(schema)\"" }

    /// Checks that a schema name is a plain lower-case identifier: a letter or underscore, then
    /// letters, digits or underscores, at most 63 bytes (PostgreSQL's limit). Schema names are
    /// the one thing the library writes into SQL text (identifiers cannot be bound), so nothing
    /// else is accepted.
    public static func validate(name: String) throws(PostgresError) {
        let bytes = Array(name.utf8)
        let valid =
            (1...63).contains(bytes.count)
            && bytes.enumerated().allSatisfy { offset, byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                    || (offset > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
        guard valid, !name.hasPrefix("pg_") else {
            throw .invalidConfiguration(
                "the schema name \(name.debugDescription) must be 1 to 63 characters of a-z, 0-9 and _, "
                    + "start with a letter or _, and not start with pg_")
        }
    }
}
