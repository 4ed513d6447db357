/// Why the PostgreSQL backend could not do what was asked, with the server's own message.
///
/// Messages name the server as `host:port/database` and never include a password.
public enum PostgresError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration cannot be used: a connection string libpq cannot parse, a schema name
    /// that is not a plain identifier, a pool size below 1.
    case invalidConfiguration(String)
    /// The server could not be reached (nothing listening, host unknown, connect timeout).
    case cannotConnect(server: String, message: String)
    /// The server refused the login (wrong password, unknown user, no `pg_hba.conf` entry).
    case authenticationFailed(server: String, message: String)
    /// The connection broke while a statement was running (the server terminated it, the
    /// network dropped), before the batch's `COMMIT` was sent: the server rolls the transaction
    /// back, so nothing of the batch was stored. A connection lost during `COMMIT` is
    /// `StorageError.outcomeUnknown` instead.
    case connectionLost(server: String, message: String)
    /// The statement ran longer than the configured statement timeout and was cancelled; nothing
    /// of the batch was stored.
    case statementTimeout(server: String, message: String)
    /// The schema was written by a newer version of this library.
    case newerSchema(schema: String, found: Int, supported: Int)
    /// Any other error the server reported, with its SQLSTATE code.
    case server(server: String, sqlState: String, message: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            "Invalid PostgreSQL configuration: \(message)"
        case .cannotConnect(let server, let message):
            "Cannot connect to PostgreSQL at \(server): \(message). Check that the server runs and the host "
                + "and port are right."
        case .authenticationFailed(let server, let message):
            "PostgreSQL at \(server) refused the login: \(message). Check the user name and password."
        case .connectionLost(let server, let message):
            "The connection to PostgreSQL at \(server) was lost: \(message). Nothing of the batch was "
                + "stored (the commit had not been sent); try again once the server is reachable."
        case .statementTimeout(let server, let message):
            "PostgreSQL at \(server) cancelled a statement that ran past the statement timeout: \(message). "
                + "Nothing of the batch was stored; try again, or raise the timeout."
        case .newerSchema(let schema, let found, let supported):
            "The schema \(schema) has version \(found), newer than this library's \(supported); "
                + "upgrade the library, the schema was left untouched."
        case .server(let server, let sqlState, let message):
            "PostgreSQL at \(server) reported \(sqlState): \(message)"
        }
    }
}
