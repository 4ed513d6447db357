import Foundation

/// An entry to append to an event log.
///
/// The log is generic: `stream` groups the entries of one actor (for example one member),
/// `subject` names what the entry is about (a thread, an event), `kind` says what happened and
/// `payload` holds any further bytes. Streams and subjects are both indexed for range reads.
public struct LogEntry: Hashable, Sendable {
    public var id: EntryID
    /// The stream the entry belongs to (e.g. one member's activity).
    public var stream: String
    /// What the entry is about, if anything (e.g. a thread id); entries can be read by subject.
    public var subject: String?
    /// What happened, as a short name.
    public var kind: String
    /// When it happened.
    public var time: Timestamp
    /// Any bytes; a backend stores them exactly, including NUL bytes.
    public var payload: Data

    public init(
        id: EntryID,
        stream: String,
        subject: String? = nil,
        kind: String,
        time: Timestamp,
        payload: Data = Data()
    ) {
        self.id = id
        self.stream = stream
        self.subject = subject
        self.kind = kind
        self.time = time
        self.payload = payload
    }

    /// Checks the entry's names (stream, subject, kind) against ``StorageLimits``.
    public func validate() throws(StorageError) {
        try StorageLimits.validate(name: stream, role: "stream")
        if let subject { try StorageLimits.validate(name: subject, role: "subject") }
        try StorageLimits.validate(name: kind, role: "kind")
    }
}

/// A log entry as stored, with the position the log gave it.
public struct StoredEntry: Hashable, Sendable {
    /// Positions start at 1 and grow by one per stored entry, in append order.
    public var position: UInt64
    public var entry: LogEntry

    public init(position: UInt64, entry: LogEntry) {
        self.position = position
        self.entry = entry
    }

    public var id: EntryID { entry.id }
}

/// Which entries a range read selects: one stream's, or one subject's.
public enum EntrySelector: Hashable, Sendable {
    case stream(String)
    case subject(String)
}
