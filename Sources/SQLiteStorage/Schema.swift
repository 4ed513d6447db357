/// The SQLite backend's schema, as forward-only migrations. The benchmark's raw-SQLite baseline
/// creates its tables from these very statements, so both measure the same schema.
public enum SQLiteSchema {
    /// Migration `n` (1-based) brings a database from schema version `n - 1` to `n`.
    public static let migrations: [String] = [
        """
        CREATE TABLE records (
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            data BLOB NOT NULL,
            indexes BLOB NOT NULL,
            PRIMARY KEY (collection, id)
        ) WITHOUT ROWID;
        CREATE TABLE record_indexes (
            collection TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (collection, name, value, id)
        ) WITHOUT ROWID;
        CREATE TABLE names (
            key INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE entries (
            position INTEGER PRIMARY KEY,
            entry_id BLOB NOT NULL UNIQUE,
            stream INTEGER NOT NULL,
            subject INTEGER,
            kind TEXT NOT NULL,
            time INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX entries_by_stream ON entries (stream, position);
        CREATE INDEX entries_by_subject ON entries (subject, position) WHERE subject IS NOT NULL;
        """
    ]

    /// The log's secondary indexes, as migration 1 creates them: a bulk load drops them and
    /// builds them again afterwards (``SQLiteStorage/prepareForBulkLoad()``).
    public static let logIndexes: [(name: String, definition: String)] = [
        ("entries_by_stream", "CREATE INDEX IF NOT EXISTS entries_by_stream ON entries (stream, position)"),
        (
            "entries_by_subject",
            "CREATE INDEX IF NOT EXISTS entries_by_subject ON entries (subject, position) WHERE subject IS NOT NULL"
        ),
    ]

    /// The schema version this library writes.
    public static var currentVersion: Int { migrations.count }

    /// The pragmas every connection sets: write-ahead log, durable commits (`FULL`) unless the
    /// integrator chose `NORMAL`, and `secure_delete`, so that what is deleted or replaced is
    /// overwritten with zeros instead of lingering in free space of the file (a member's erased
    /// data must not stay readable in it). Some builds of SQLite (Debian's) turn it on by
    /// default; others do not.
    public static func pragmas(synchronous: SQLiteStorage.Synchronous) -> [String] {
        ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(synchronous.rawValue)", "PRAGMA secure_delete = ON"]
    }

    /// The memory pragmas of a configuration: the page cache (`cache_size`, negative for KiB)
    /// and the memory map (`mmap_size`), each only when set.
    static func memoryPragmas(_ configuration: SQLiteStorage.Configuration) -> [String] {
        var pragmas: [String] = []
        if let cache = configuration.pageCacheKibibytes { pragmas.append("cache_size = -\(max(cache, 1))") }
        if let map = configuration.memoryMapBytes { pragmas.append("mmap_size = \(max(map, 0))") }
        if let pages = configuration.walCheckpointPages { pragmas.append("wal_autocheckpoint = \(max(pages, 0))") }
        return pragmas
    }
}
