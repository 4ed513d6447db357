/// Why the SQLite backend could not do what was asked, with the database's path.
public enum SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be opened or created (missing directory, no permission).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The database was opened read-only, or the file cannot be written.
    case readOnly(path: String)
    /// Another connection held the database locked for longer than the busy timeout.
    case locked(path: String, timeoutMilliseconds: Int)
    /// The disk (or the database's size limit) is full; nothing of the batch was stored.
    case diskFull(path: String)
    /// The file was written by a newer version of this library.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Any other SQLite failure.
    case sqlite(path: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "Cannot open the database at \(path): \(reason). Check that the directory exists and is writable."
        case .notADatabase(let path):
            "The file at \(path) is not an SQLite database; point the store at a new path or at a database file."
        case .readOnly(let path):
            "The database at \(path) is read-only; open it read-write, or check the file's permissions."
        case .locked(let path, let timeout):
            "The database at \(path) stayed locked by another connection for more than \(timeout) ms; "
                + "try again, or raise the busy timeout."
        case .diskFull(let path):
            "The disk holding \(path) is full (or the database reached its size limit); nothing of the batch was stored."
        case .newerSchema(let path, let found, let supported):
            "The database at \(path) has schema version \(found), newer than this library's \(supported); "
                + "upgrade the library, the file was left untouched."
        case .sqlite(let path, let code, let message):
            "SQLite error \(code) on \(path): \(message)"
        }
    }
}
