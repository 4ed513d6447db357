import Foundation
import Storage

/// Names one request, so that running its command again returns the first outcome instead of
/// applying it twice.
///
/// Every command takes a defaulted `idempotencyKey:`. Without one, the service mints a key
/// before the first attempt and uses it for its own retries (a commit whose answer was lost is
/// retried with the same key, and applies at most once). Pass your own when a request may be
/// retried across calls or processes: the key a client sends with an HTTP request, say. The
/// same acting member running the same command with the same key within
/// ``IdempotencyKey/retention`` gets the first outcome back, and nothing is applied again.
///
/// ```swift
/// let key = try IdempotencyKey(request.headers["Idempotency-Key"] ?? UUID().uuidString)
/// let line = try await gamification.adjustPoints(
///     of: learner, points: 50, reason: "Meetup host", by: staff, idempotencyKey: key)
/// ```
///
/// A key is kept per acting member (a referral attribution in the referred member's space, a
/// self sign-up in the integrator's, answered only for the same email), in a record that holds
/// only the command's name, its time and the id of what it created or changed. A repeat returns that thing as it is now (a profile changed since shows
/// the change), without checking the acting member's authority again. A key used for one
/// command and then for another is refused with ``CommunityError/invalidInput(field:reason:)``.
public struct IdempotencyKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// How long a key is remembered: 7 days. After that the key may run its command afresh, and
    /// `pruneIdempotencyKeys(by:)` removes its record.
    public static let retention: TimeInterval = 7 * 86_400

    /// A key of your own: 1 to 128 ASCII letters, digits, `.`, `_` or `-` (a UUID fits).
    ///
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for anything else.
    public init(_ rawValue: String) throws(CommunityError) {
        try Validate.id(rawValue, field: "idempotencyKey")
        self.rawValue = rawValue
    }

    private init(minted rawValue: String) { self.rawValue = rawValue }

    /// A new random key.
    public static func random() -> IdempotencyKey { IdempotencyKey(minted: UUID().uuidString.lowercased()) }

    /// A key the service mints for a call that brought none: time-ordered from the service's
    /// id generator, so that a seeded generator gives repeatable stores.
    static func minted(by ids: EntryIDGenerator, at time: Timestamp) -> IdempotencyKey {
        IdempotencyKey(minted: ids.next(at: time).description.lowercased())
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// How a command gives its first outcome again when it is repeated with the same idempotency
/// key: what to keep of the outcome (an id, never personal data) and how to rebuild the outcome
/// from it.
///
/// Commands of other modules pass one to ``CommunityService/perform(by:idempotencyKey:command:replay:_:)``:
/// ``record(_:kind:id:)`` when the outcome is a stored record (the usual case), ``nothing`` when
/// it is `Void`, ``init(keep:rebuild:)`` otherwise.
public struct Replay<Result> {
    let keep: (Result) -> String?
    let rebuild: (_ kept: String?, _ transaction: Transaction) async throws -> Result

    /// - Parameters:
    ///   - keep: the id to remember of the first outcome (nil when there is none).
    ///   - rebuild: the outcome again, from that id, read through the transaction.
    public init(
        keep: @escaping (Result) -> String?,
        rebuild: @escaping (_ kept: String?, _ transaction: Transaction) async throws -> Result
    ) {
        self.keep = keep
        self.rebuild = rebuild
    }

}

extension Replay where Result: Codable & Sendable {
    /// The outcome is the record `id` of `collection`, read again as it is now.
    public static func record(_ collection: RecordCollection<Result>, kind: String, id: @escaping (Result) -> String)
        -> Replay
    {
        Replay(keep: id) { kept, tx in
            guard let kept else { throw CommunityError.notFound(kind: kind, id: "") }
            return try await tx.load(kept, in: collection, kind: kind).value
        }
    }
}

extension Replay where Result == Void {
    /// The command returns nothing; a repeat returns nothing too.
    public static var nothing: Replay { Replay(keep: { _ in nil }, rebuild: { _, _ in }) }
}

/// What the store keeps of a command run with an idempotency key: enough to tell a repeat and
/// answer it, nothing personal (erased with the acting member).
package struct CommandRecord: Codable, Hashable, Sendable {
    /// The acting member, or ``CommunityService/integrator`` for a call without one.
    package var actor: String
    /// The command's name (`adjustPoints(of:points:reason:by:idempotencyKey:)`).
    package var command: String
    /// When the command ran; the key is remembered for ``IdempotencyKey/retention`` after it.
    package var at: Timestamp
    /// The id of what the command created or changed, from which its outcome is rebuilt.
    package var result: String?

    /// Whether the key still stands at `time`.
    package func stands(at time: Timestamp) -> Bool {
        time.millisecondsSince1970 < at.millisecondsSince1970 &+ Int64(IdempotencyKey.retention * 1_000)
    }
}

extension Collections {
    /// `actor|key`: one record per command run with a key, indexed by the acting member so
    /// that erasure finds them.
    package static let idempotency = RecordCollection<CommandRecord>("idempotency") { ["actor": $0.actor] }
}

extension CommunityService {
    /// The space of keys of calls with no acting member (self sign-up, referral attribution):
    /// `*`, which no member id can be.
    package static let integrator = "*"

    /// Runs a command with an idempotency key: the key record is read first (a repeat returns the
    /// first outcome through `replay`), then `body` runs as in ``transact(_:)`` and its batch is
    /// committed together with a record of the key, created expecting it absent. A commit whose
    /// outcome is unknown is retried with the same key: the record tells whether it went in. A
    /// refusal is checked against the record too (it may be this request's own first attempt
    /// showing through); after a lost answer, what cannot be settled is
    /// ``CommunityError/outcomeUnknown(_:)``, never a refusal that would say nothing was applied.
    nonisolated(nonsending) package func transact<Result>(
        _ command: String = #function, by actor: MemberID?, key: IdempotencyKey?, replay: Replay<Result>,
        _ body: (Transaction) async throws -> Result
    ) async throws(CommunityError) -> Result {
        // The name without its argument labels, which change more often than the command does.
        let command = String(command.prefix { $0 != "(" })
        let actorKey = actor?.rawValue ?? Self.integrator
        // A key of our own minting has no record before our first commit; one the caller brought may.
        var mayExist = key != nil
        // Minted here, once: every attempt of this call uses it.
        let key = key ?? IdempotencyKey.minted(by: ids, at: Timestamp(clock.now()))
        let recordID = CompositeKey.make(actorKey, key.rawValue)
        try await refuseDuringImport()
        var attempts = CommunityService.Attempts()

        for attempt in 1...maximumAttempts {
            let transaction = Transaction(
                service: self, now: clock.now(), afterUnknownOutcome: attempts.unknownOutcome != nil)
            do {
                var expected = ExpectedVersion.absent
                if mayExist, let found = try await store.fetch(recordID, from: Collections.idempotency) {
                    if found.value.stands(at: transaction.time) {
                        try Self.check(found.value, is: command, key: key)
                        do {
                            return try await replay.rebuild(found.value.result, transaction)
                        } catch CommunityError.notFound(let kind, _) {
                            throw Self.removed(kind, found.value, key: key)
                        }
                    }
                    // Remembered past its retention: the key runs its command afresh.
                    expected = .version(found.version)
                }
                let result = try await body(transaction)
                if !transaction.batch.isEmpty {
                    if transaction.keepsKeyRecord {
                        let record = CommandRecord(
                            actor: actorKey, command: command, at: transaction.time, result: replay.keep(result))
                        try transaction.batch.put(
                            record, id: recordID, in: Collections.idempotency, expecting: expected)
                    }
                    try await transaction.forgetErasedOwners()
                    try await store.commit(transaction.batch)
                }
                return result
            } catch let refusal as CommunityError {
                // A refusal may be this request's own first attempt showing through (a commit
                // that landed late, or a concurrent repeat with the same key): its record says so.
                if mayExist || attempts.unknownOutcome != nil,
                    let found = try? await store.fetch(recordID, from: Collections.idempotency),
                    found.value.stands(at: transaction.time), found.value.command == command
                {
                    do {
                        return try await replay.rebuild(found.value.result, transaction)
                    } catch CommunityError.notFound(let kind, _) {
                        throw attempts.final(Self.removed(kind, found.value, key: key))
                    } catch {
                        throw attempts.final(error as? CommunityError ?? .storage(.backendFailure("\(error)")))
                    }
                }
                throw attempts.final(refusal)
            } catch {
                try attempts.retry(after: error, attempt: attempt, of: maximumAttempts)
                // Whatever happened, the record may be there now (ours, or a concurrent repeat's).
                mayExist = true
                await Self.backOff(attempt: attempt)
            }
        }
        throw attempts.final(.contention("gave up after \(maximumAttempts) attempts"))
    }

    /// Refuses a key record of another command than `command`.
    private static func check(_ found: CommandRecord, is command: String, key: IdempotencyKey) throws(CommunityError) {
        guard found.command == command else {
            throw .invalidInput(
                field: "idempotencyKey",
                reason:
                    "\(key) was used for \(found.command) at \(found.at); a key names one request, use a new one for \(command)"
            )
        }
    }

    /// The error for a repeat whose first outcome (a `kind`) has since been removed.
    private static func removed(_ kind: String, _ found: CommandRecord, key: IdempotencyKey) -> CommunityError {
        .invalidState(
            "This request (idempotency key \(key)) was applied by \(found.command) at \(found.at), but the \(kind) it "
                + "returned has since been removed, so its outcome cannot be shown again. Nothing was applied now.")
    }
}

// MARK: Outcomes kept as they are

/// Outcomes that are not a stored record keep themselves in the key record, in a few words
/// that name nothing personal (a mode and a place, a member id, a reason).
extension Replay {
    /// Keeps `encode(outcome)`'s words joined by `|`; a record that does not decode is damaged.
    package static func words(
        _ encode: @escaping (Result) -> [String], decode: @escaping ([String]) -> Result?
    ) -> Replay {
        Replay(keep: { encode($0).joined(separator: "|") }) { kept, _ in
            let words = kept.map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) } ?? []
            guard let outcome = decode(words) else {
                throw CommunityError.storage(
                    .corruptRecord(
                        collection: Collections.idempotency.name, id: kept ?? "",
                        reason: "the kept outcome \((kept ?? "nothing").debugDescription) cannot be read"))
            }
            return outcome
        }
    }
}

extension Replay where Result == RegistrationOutcome {
    /// A registration's outcome: the mode, and the waitlist place when waitlisted.
    package static var registration: Replay {
        .words(
            { outcome in
                switch outcome {
                case .registered(let mode): ["registered", mode.rawValue]
                case .waitlisted(let mode, let position): ["waitlisted", mode.rawValue, String(position)]
                }
            },
            decode: { words in
                switch words.count {
                case 2 where words[0] == "registered": AttendanceMode(rawValue: words[1]).map { .registered($0) }
                case 3 where words[0] == "waitlisted":
                    AttendanceMode(rawValue: words[1]).flatMap { mode in
                        Int(words[2]).map { .waitlisted(mode, position: $0) }
                    }
                default: nil
                }
            })
    }
}

extension Replay where Result == CancellationOutcome {
    /// A cancellation's outcome: who was promoted, if anyone.
    package static var cancellation: Replay {
        .words(
            { [$0.promoted?.rawValue ?? ""] },
            decode: { words in
                words.count == 1 ? CancellationOutcome(promoted: words[0].isEmpty ? nil : MemberID(words[0])) : nil
            })
    }
}

extension Replay where Result == ReferralOutcome {
    /// A referral's outcome: the advocate and whether this code was the first touch, or why
    /// nothing was attributed.
    package static var referral: Replay {
        .words(
            { outcome in
                switch outcome {
                case .attributed(let advocate, let firstTouch):
                    ["attributed", advocate.rawValue, firstTouch ? "first" : "later"]
                case .unattributed(let reason): ["unattributed", reason.rawValue]
                }
            },
            decode: { words in
                switch words.count {
                case 3 where words[0] == "attributed":
                    .attributed(advocate: MemberID(words[1]), firstTouch: words[2] == "first")
                case 2 where words[0] == "unattributed":
                    UnattributedReason(rawValue: words[1]).map { .unattributed($0) }
                default: nil
                }
            })
    }
}

extension CommunityService {
    /// Removes the records of idempotency keys older than ``IdempotencyKey/retention``: staff
    /// and community managers, as a periodic task (once a day is plenty). Returns how many were
    /// removed. A key that was reused after its retention keeps its new record.
    ///
    /// Idempotent by its nature (it removes only what has expired when it looks), so it takes no
    /// key of its own.
    @discardableResult
    public func pruneIdempotencyKeys(by staffID: MemberID) async throws(CommunityError) -> Int {
        try await authorize(.staff, by: staffID, to: "prune idempotency keys")
        var removed = 0
        var cursor: String?
        repeat {
            let (count, next) = try await transact { tx in
                let page = try await tx.store.fetchPage(Collections.idempotency, after: cursor, limit: 500)
                let expired = page.items.filter { !$0.value.stands(at: tx.time) }
                for record in expired { tx.delete(record, in: Collections.idempotency) }
                return (expired.count, page.nextCursor)
            }
            removed += count
            cursor = next
        } while cursor != nil
        return removed
    }
}
