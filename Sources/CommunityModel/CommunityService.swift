import Foundation
import Storage

/// The community's command and query surface: every change goes through it, is checked, and
/// is stored atomically with the activity it logs.
///
/// Give it the store and the clock it should use; it holds no other state, so any number of
/// copies can share one store.
///
/// ```swift
/// let community = CommunityService(store: InMemoryStore(), clock: SystemClock())
/// let ada = try await community.registerMember(
///     NewMember(displayName: "Ada", email: "ada@example.org", country: "KE", timeZone: "Africa/Nairobi"))
/// ```
///
/// Every command throws ``CommunityError``; a command that throws changed nothing, except with
/// ``CommunityError/outcomeUnknown(_:)`` (repeat it with the same idempotency key).
public struct CommunityService: Sendable {
    package let store: any DataStore
    public let clock: any CommunityClock
    /// The school's time zone, used for interest and virtual chapters.
    public let defaultTimeZone: TimeZoneID
    package let ids: EntryIDGenerator
    package let gate: any LeadershipGate
    /// Where referral codes and other unguessable values come from.
    package let secrets: any SecretSource
    /// How often a command is retried when a concurrent change to the same records wins.
    let maximumAttempts = 32

    /// - Parameters:
    ///   - store: where records and the activity log live.
    ///   - clock: where "now" comes from.
    ///   - ids: mints ids for entries and new things; pass a seeded one for repeatable runs.
    ///   - gate: decides whether leaders may act (e.g. only after acknowledging the guidelines).
    ///   - defaultTimeZone: the school's time zone.
    ///   - secrets: where values nobody may guess come from (referral codes): the system's
    ///     cryptographic generator unless a test or demo pins them with `SeededSecrets`.
    public init(
        store: any DataStore,
        clock: any CommunityClock,
        ids: EntryIDGenerator = EntryIDGenerator(),
        gate: any LeadershipGate = OpenLeadershipGate(),
        defaultTimeZone: TimeZoneID = .utc,
        secrets: any SecretSource = SystemSecrets()
    ) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.gate = gate
        self.defaultTimeZone = defaultTimeZone
        self.secrets = secrets
    }

    /// Runs a read, or a write that is idempotent by its nature (it re-reads what it would change
    /// and writes only what is missing): `body` reads, checks and writes, then the batch it built
    /// is committed. A version conflict (another writer changed the same records) or a commit
    /// whose outcome was lost re-runs `body`. Commands that are not idempotent by nature use
    /// ``transact(_:by:key:replay:_:)``, which keeps a key record.
    nonisolated(nonsending) package func transact<Result>(_ body: (Transaction) async throws -> Result)
        async throws(CommunityError) -> Result
    {
        var attempts = Attempts()
        for attempt in 1...maximumAttempts {
            let transaction = Transaction(
                service: self, now: clock.now(), afterUnknownOutcome: attempts.unknownOutcome != nil)
            do {
                let result = try await body(transaction)
                if !transaction.batch.isEmpty {
                    try await transaction.forgetErasedOwners()
                    try await store.commit(transaction.batch)
                }
                return result
            } catch {
                try attempts.retry(after: error, attempt: attempt, of: maximumAttempts)
                await Self.backOff(attempt: attempt)
            }
        }
        throw attempts.final(.contention("gave up after \(maximumAttempts) attempts"))
    }

    /// Runs a command of another module: `body` reads and checks through the transaction and
    /// adds records and activity entries to it; they are committed together with a record of the
    /// idempotency key, and `body` runs again (up to a few times) when another writer changed the
    /// same records meanwhile.
    ///
    /// Called again by the same acting member with the same key within
    /// ``IdempotencyKey/retention``, it returns the first outcome through `replay` and applies
    /// nothing. `body` may throw a ``CommunityError`` to refuse the command; nothing is then
    /// written.
    ///
    /// - Parameters:
    ///   - actor: the acting member, nil for an integrator call with no acting member.
    ///   - idempotencyKey: the request's key; nil mints one for this call's own retries.
    ///   - command: the command's name, kept with the key (a key reused for another command is
    ///     refused); the calling function's name, without its argument labels, unless given.
    ///     Name it yourself when another command could share that name (prefix your module's).
    ///   - replay: how the first outcome is found again.
    ///   - body: reads, checks and adds the command's writes to the transaction; returns the outcome.
    nonisolated(nonsending) public func perform<Result>(
        by actor: MemberID?, idempotencyKey: IdempotencyKey?, command: String = #function, replay: Replay<Result>,
        _ body: (Transaction) async throws -> Result
    ) async throws(CommunityError) -> Result {
        try await transact(command, by: actor, key: idempotencyKey, replay: replay, body)
    }

    /// ``perform(by:idempotencyKey:command:replay:_:)`` for a command that returns nothing.
    nonisolated(nonsending) public func perform(
        by actor: MemberID?, idempotencyKey: IdempotencyKey?, command: String = #function,
        _ body: (Transaction) async throws -> Void
    ) async throws(CommunityError) {
        try await transact(command, by: actor, key: idempotencyKey, replay: .nothing, body)
    }

    /// Bad ids and arguments that only the store noticed are the caller's input errors; the
    /// rest are the store's failures.
    package static func communityError(from error: StorageError) -> CommunityError {
        switch error {
        case .invalidName(_, let reason): .invalidInput(field: "id", reason: reason)
        case .invalidArgument(let reason): .invalidInput(field: "argument", reason: reason)
        case .outcomeUnknown(let message): .outcomeUnknown(message)
        default: .storage(error)
        }
    }

    /// What the failed attempts of one command mean: whether to try again, and what to throw
    /// when not. Once a commit's outcome was lost, no later failure can say "nothing applied".
    package struct Attempts {
        /// The message of the first commit whose outcome was lost, if any.
        package private(set) var unknownOutcome: String?

        package init() {}

        /// Returns when the attempt that failed with `error` should be tried again (a version
        /// conflict, a lost commit outcome); throws what the command should throw otherwise.
        package mutating func retry(after error: any Error, attempt: Int, of maximum: Int) throws(CommunityError) {
            if let error = error as? CommunityError { throw error }
            guard let error = error as? StorageError else { throw final(.storage(.backendFailure("\(error)"))) }
            switch error {
            case .versionConflict where attempt < maximum: return
            case .outcomeUnknown(let message) where attempt < maximum:
                unknownOutcome = unknownOutcome ?? message
            case .versionConflict: throw final(.contention(error.description))
            default: throw final(CommunityService.communityError(from: error))
            }
        }

        /// `error`, unless an earlier commit's outcome was lost: then that.
        package func final(_ error: CommunityError) -> CommunityError {
            unknownOutcome.map { .outcomeUnknown($0) } ?? error
        }
    }

    /// Waits a little before retrying a command that lost a race: exponential, capped at about
    /// 50 ms, with jitter so that the same contenders do not collide again. The jitter only
    /// spreads retries in time; it never changes what is stored.
    package static func backOff(attempt: Int) async {
        let ceiling = UInt64(min(50_000, 100 << min(attempt, 9)))
        try? await Task.sleep(nanoseconds: 1_000 * UInt64.random(in: 0...ceiling))
    }

    /// The value stored under `id`, or ``CommunityError/notFound(kind:id:)``.
    package func lookup<Value>(_ id: String, in collection: RecordCollection<Value>, kind: String)
        async throws(CommunityError) -> Value
    {
        try await query {
            guard let found = try await store.fetch(id, from: collection) else {
                throw CommunityError.notFound(kind: kind, id: id)
            }
            return found.value
        }
    }

    /// Every value of `collection` that belongs to an existing member (by its `member` index),
    /// in id order; ``CommunityError/notFound(kind:id:)`` for an unknown member.
    package func values<Value>(of memberID: MemberID, in collection: RecordCollection<Value>)
        async throws(CommunityError) -> [Value]
    {
        _ = try await member(memberID)
        return try await query {
            try await store.fetchAll(collection, where: IndexQuery("member", equals: memberID.rawValue)).map(\.value)
        }
    }

    /// Runs a query, mapping storage failures to ``CommunityError``.
    package func query<Result>(_ body: () async throws -> Result) async throws(CommunityError) -> Result {
        try await withCommunityErrors(body)
    }
}

/// Runs `body`, passing a ``CommunityError`` through and mapping a storage failure (or any
/// other error) to one: for modules that read the store directly.
nonisolated(nonsending) package func withCommunityErrors<Result>(_ body: () async throws -> Result)
    async throws(CommunityError) -> Result
{
    do {
        return try await body()
    } catch let error as CommunityError {
        throw error
    } catch let error as StorageError {
        throw CommunityService.communityError(from: error)
    } catch {
        throw .storage(.backendFailure("\(error)"))
    }
}

/// The reads and writes of one command, committed together: records written and activity
/// logged in one batch, re-run from the start when another writer changed the same records.
/// Other modules (Gamification, Guidelines, Recognition) write through
/// ``CommunityService/perform(by:idempotencyKey:command:replay:_:)`` so that their records and entries obey the same rules.
public final class Transaction {
    package let service: CommunityService
    /// The command's time, at the log's millisecond precision.
    public let now: Date
    package let time: Timestamp
    package var batch = WriteBatch()
    /// Entries logged with another member as their subject's owner, by their place in the batch.
    private var owned: [(index: Int, event: ActivityEvent)] = []
    /// Whether an earlier attempt of this command committed with an unknown outcome: what the
    /// command finds may be its own first attempt.
    package let afterUnknownOutcome: Bool
    /// Whether the command's batch is committed with a record of its idempotency key.
    package private(set) var keepsKeyRecord = true

    init(service: CommunityService, now: Date, afterUnknownOutcome: Bool = false) {
        self.service = service
        self.afterUnknownOutcome = afterUnknownOutcome
        self.time = Timestamp(now)
        // Times are kept at the log's millisecond precision, so records and entries agree.
        self.now = self.time.date
    }

    package var store: any DataStore { service.store }

    /// Commits this command without a record of its idempotency key, where the record would
    /// link what the batch stores to the acting member (an anonymous survey answer); the
    /// command then relies on a guard of its own against applying twice.
    package func withoutKeyRecord() { keepsKeyRecord = false }

    /// A fresh id, time-ordered.
    package func newID() -> String { service.ids.next(at: time).description }

    /// The record `id` of `collection` as read now, or nil; pass it back to ``update(_:in:)``.
    nonisolated(nonsending) public func find<Value>(_ id: String, in collection: RecordCollection<Value>) async throws
        -> Versioned<Value>?
    {
        try await store.fetch(id, from: collection)
    }

    /// The record `id`, or ``CommunityError/notFound(kind:id:)`` naming it as a `kind`.
    nonisolated(nonsending) public func load<Value>(_ id: String, in collection: RecordCollection<Value>, kind: String)
        async throws
        -> Versioned<Value>
    {
        guard let found = try await store.fetch(id, from: collection) else {
            throw CommunityError.notFound(kind: kind, id: id)
        }
        return found
    }

    /// The member, or ``CommunityError/notFound(kind:id:)``.
    nonisolated(nonsending) public func member(_ id: MemberID) async throws -> Versioned<Member> {
        try await load(id.rawValue, in: Collections.members, kind: "member")
    }

    /// Creates a record; the commit fails (and the command re-runs) if it exists by then.
    public func create<Value>(_ value: Value, id: String, in collection: RecordCollection<Value>) throws {
        try batch.put(value, id: id, in: collection, expecting: .absent)
    }

    /// Writes a record read in this transaction, expecting the version it was read at.
    public func update<Value>(_ versioned: Versioned<Value>, in collection: RecordCollection<Value>) throws {
        try batch.update(versioned, in: collection)
    }

    /// Deletes a record read in this transaction, expecting the version it was read at.
    public func delete<Value>(_ versioned: Versioned<Value>, in collection: RecordCollection<Value>) {
        batch.delete(collection.key(versioned.id), expecting: versioned.version)
    }

    /// Logs an activity of `member`, stamped with their local day: what it involved is its
    /// `context` (who acted for them, the subject, where, what it reverses, the details).
    @discardableResult
    public func log(_ kind: ActivityKind, member: Member, _ context: ActivityContext = ActivityContext()) throws
        -> ActivityEvent
    {
        let event = ActivityEvent(
            id: service.ids.next(at: time), kind: kind, member: member.id, time: time,
            localDate: LocalDate(now, in: member.profile.timeZone), context: context)
        batch.append(try event.logEntry())
        if let owner = context.subjectOwner, owner != member.id { owned.append((batch.entries.count - 1, event)) }
        return event
    }

    /// Takes the owner off entries about content whose author was erased (a reply to a thread
    /// kept as a tombstone), so that no projection credits the erased member again: called
    /// before the batch is committed.
    nonisolated(nonsending) package func forgetErasedOwners() async throws {
        var erased: [MemberID: Bool] = [:]
        for (index, event) in owned {
            guard let owner = event.context.subjectOwner else { continue }
            if erased[owner] == nil {
                erased[owner] = try await store.record(Collections.members.key(owner.rawValue)) == nil
            }
            guard erased[owner] == true else { continue }
            var unowned = event
            unowned.context.subjectOwner = nil
            batch.entries[index] = try unowned.logEntry()
        }
    }

    /// What the access policy needs to know about a member.
    nonisolated(nonsending) package func viewer(_ member: Member) async throws -> Viewer {
        let memberships = try await store.fetchAll(
            Collections.memberships, where: IndexQuery("member", equals: member.id.rawValue))
        let enrolments = try await store.fetchAll(
            Collections.enrolments, where: IndexQuery("member", equals: member.id.rawValue))
        return Viewer(
            member: member.id,
            roles: member.roles,
            chapters: Set(memberships.map(\.value.chapter)),
            organizes: Set(memberships.filter { $0.value.isOrganizer }.map(\.value.chapter)),
            enrolled: Set(enrolments.map(\.value.programme)),
            completed: Set(enrolments.filter { $0.value.isCompleted }.map(\.value.programme))
        )
    }

    /// Throws unless `member` is staff or a community manager in good standing.
    nonisolated(nonsending) public func requireStaff(_ member: Member, to action: String) async throws {
        try await authorize(.staff, by: member, to: action)
    }

    /// Throws unless `member` is staff, or an organizer of `chapter`, in good standing; then
    /// asks the leadership gate.
    nonisolated(nonsending) package func requireLeader(
        _ member: Member, of chapter: ChapterID?, for action: LeadershipAction, described: String
    ) async throws {
        try await authorize(.leader(chapter), by: member, to: described, gate: action)
    }
}

/// One page of a longer list, with the cursor for the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass as `after` to get the next page; nil at the end.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page: Equatable where Item: Equatable {}
