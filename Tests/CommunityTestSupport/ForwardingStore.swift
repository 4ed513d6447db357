import Storage

/// A test store that wraps another and passes every read to it, unless it declares the call
/// itself: the wrappers hook one or two calls (a commit that fails or loses its answer, log
/// reads that are counted or held) and forward the rest.
package protocol ForwardingStore: DataStore {
    /// The store the calls go to.
    var wrapped: any DataStore { get }
}

extension ForwardingStore {
    package func record(_ key: RecordKey) async throws -> Record? { try await wrapped.record(key) }

    package func records(in collection: String, where query: IndexQuery?, after cursor: String?, limit: Int)
        async throws -> RecordPage
    {
        try await wrapped.records(in: collection, where: query, after: cursor, limit: limit)
    }

    package func collectionNames() async throws -> [String] { try await wrapped.collectionNames() }

    package func entries(after position: UInt64, limit: Int) async throws -> [StoredEntry] {
        try await wrapped.entries(after: position, limit: limit)
    }

    package func entries(
        matching selector: EntrySelector, in range: Range<Timestamp>, after position: UInt64, limit: Int
    ) async throws -> [StoredEntry] {
        try await wrapped.entries(matching: selector, in: range, after: position, limit: limit)
    }

    package func head() async throws -> UInt64 { try await wrapped.head() }
}
