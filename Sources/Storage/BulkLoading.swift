/// A store that can load a large history faster than it appends during normal use: an import
/// (the `CommunityImport` module) asks it to set its log's secondary indexes aside for the load
/// and to build them again once the load is done.
///
/// Both calls are idempotent and each is one transaction of its own, so an import killed at
/// any point resumes by calling them again: ``prepareForBulkLoad()`` before the rows that
/// remain, ``finishBulkLoad()`` after. Between the two, reads stay correct (a read by stream
/// or subject scans instead of seeking, so it is slow) and commits keep every contract of
/// ``DataStore``: an entry whose id is stored is still skipped.
public protocol BulkLoading: DataStore {
    /// Sets the log's secondary indexes aside (drops them) for a load. Idempotent.
    func prepareForBulkLoad() async throws

    /// Builds the log's secondary indexes again after a load. Idempotent; a store whose
    /// indexes are in place does nothing.
    func finishBulkLoad() async throws

    /// Whether the log's secondary indexes are set aside (a load began and has not finished).
    func isBulkLoading() async throws -> Bool
}
