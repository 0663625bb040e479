import Reload
import Wire

/// Why a Store, Fetch, Stat or Find was refused, with the RFC 6940 error code to answer.
/// The checks run cheap first (§7.4.1.1); the first that fails is reported.
public enum StorageRefusal: Error, Equatable {
    /// Why a value or request is not allowed (all answered with Error_Forbidden).
    public enum Forbidden: Equatable, Sendable {
        /// §7.4.1.1 / §10.4: a replica Store from a node that is not a plausible predecessor.
        case implausibleReplicaSender
        /// The resolver knows no valid certificate for the value's SignerIdentity.
        case unknownSigner
        /// §7.1: the signer's certificate is not valid now.
        case certificateNotValid
        /// §7.4.1.1: identity "none" or algorithm {0, 0} are for synthesized values only.
        case anonymousSignature
        /// §7.3: the value's signer does not satisfy the kind's access control policy.
        case valueSignerNotPermitted
        /// §7.3: the request's signer does not (original stores only).
        case requestSignerNotPermitted
        /// §7.1: the value's signature does not verify with the signer's key.
        case invalidSignature
        /// §11.3.1, §8: a self-signed signer storing under CERTIFICATE_BY_USER a value that is
        /// not its own certificate (UserNameBinding).
        case certificateNotSigners
        /// §11.3.1, §13.3: a self-signed signer writing under a user name bound to another key
        /// (UserNameBinding: first come).
        case userNameTaken
    }

    /// §7.4.1.2: kinds this peer does not know (or cannot enforce); the answer lists them.
    case unknownKinds([KindId])
    /// A request the RFC forbids: a kind twice (§7.4.1.1, §7.4.4.1), a slot twice, a replica
    /// store with generation 0 (§7.4.1.1), a data model other than the kind's, first > last.
    case invalidRequest(String)
    /// §7.4.1.2, §13.5.2: a value over max-size, more values than max-count, a key or
    /// Resource-ID over our limits.
    case tooLarge(KindId, String)
    /// The signer's user would hold more than its quota here (Error_Data_Too_Large: §13.5.2
    /// makes quotas a matter of size; Error_Forbidden would tell the client its credentials
    /// are wrong, which they are not).
    case quotaExceeded
    /// This peer holds max-records already (Error_Data_Too_Large).
    case storeFull
    case forbidden(KindId, Forbidden)
    /// §7, §13.5.3: a storage_time not greater than the stored value's.
    case dataTooOld(KindId)
    /// §7, §13.5.3: storage_time + lifetime lies further in the past than the clock skew
    /// allowance: the value expired, and a Store of it is a replay (a captured StoreReq sent
    /// again). Error_Data_Too_Old (§6.3.3.1: the store "cannot be completed because the
    /// storage_time precedes" what it must follow, here the expiry), which also tells an honest
    /// client what to do (§7: store again with a later storage_time) and a hand-off sender not
    /// to send it again (the Node retries other errors).
    case expired(KindId)
    /// §7: storage_time is further in the future than the clock skew allowance. Not a time
    /// the storer's clock can have read; accepted, it would outlive its lifetime by as much
    /// and win every later storage_time comparison (§13.5.3). Error_Invalid_Message
    /// (§6.3.3.1: invalid, "but it does not fit the other error codes"): Error_Data_Too_Old
    /// would tell the client to raise storage_time further, Error_Forbidden that its
    /// credentials are wrong.
    case storageTimeInFuture(KindId)
    /// §7.4.1.2: the current generation counters (replicas empty) for the error_info.
    case generationCounterTooLow(StoreAns)
    /// A Fetch or Stat answer would exceed `StorageLimits.valuesPerAnswer` values of a kind.
    case responseTooLarge(KindId)
    /// The backend failed; nothing was changed.
    case storage(StorageError)

    /// Runs a backend operation inside a check, reporting its failure as `.storage`.
    static func lift<Result>(_ body: () throws(StorageError) -> Result) throws(StorageRefusal) -> Result {
        do throws(StorageError) {
            return try body()
        } catch {
            throw .storage(error)
        }
    }

    /// The RFC 6940 §14.9 error code to answer with. A full LMDB map is this peer's size
    /// limit (Error_Data_Too_Large); another backend failure is transient as far as the
    /// requester can tell, answered with Error_Request_Timeout (the Node may choose otherwise).
    public var errorCode: ErrorCode {
        switch self {
        case .unknownKinds: return .unknownKind
        case .invalidRequest: return .invalidMessage
        case .tooLarge, .quotaExceeded, .storeFull: return .dataTooLarge
        case .forbidden: return .forbidden
        case .dataTooOld, .expired: return .dataTooOld
        case .storageTimeInFuture: return .invalidMessage
        case .generationCounterTooLow: return .generationCounterTooLow
        case .responseTooLarge: return .responseTooLarge
        case .storage(let error): return error == .mapFull ? .dataTooLarge : .requestTimeout
        }
    }

    /// The ErrorResponse (§6.3.3.1): error_info is the unknown kinds (§7.4.1.2), the StoreAns
    /// with the current generation counters (§7.4.1.2), or a text.
    public func errorResponse() -> ErrorResponse {
        do throws(WireError) {
            switch self {
            case .unknownKinds(let kinds): return try ErrorResponse.unknownKinds(Array(kinds.prefix(ReloadLimits.kindsPerMessage)))
            case .generationCounterTooLow(let answer): return try ErrorResponse.generationCounterTooLow(answer)
            default: return ErrorResponse(code: errorCode, text: description)
            }
        } catch {
            return ErrorResponse(code: errorCode, text: description)
        }
    }

    public var description: String {
        switch self {
        case .unknownKinds(let kinds): return "unknown kinds: " + kinds.map { String($0.rawValue) }.joined(separator: ", ")
        case .invalidRequest(let what): return "invalid request: " + what
        case .tooLarge(let kind, let what): return "kind " + String(kind.rawValue) + ": " + what
        case .quotaExceeded: return "the signer's quota on this peer is exhausted"
        case .storeFull: return "this peer stores no more records"
        case .forbidden(let kind, let reason): return "kind " + String(kind.rawValue) + ": " + StorageRefusal.describe(reason)
        case .dataTooOld(let kind): return "kind " + String(kind.rawValue) + ": storage_time not newer than the stored value's"
        case .expired(let kind): return "kind " + String(kind.rawValue) + ": storage_time + lifetime is past: the value expired (replay refused)"
        case .storageTimeInFuture(let kind):
            return "kind " + String(kind.rawValue) + ": storage_time is later than this peer's clock allows"
        case .generationCounterTooLow: return "generation counter does not match the stored one"
        case .responseTooLarge(let kind): return "kind " + String(kind.rawValue) + ": too many values for one answer"
        case .storage(let error): return error.description
        }
    }

    static func describe(_ reason: Forbidden) -> String {
        switch reason {
        case .implausibleReplicaSender: return "replica store from a node that cannot be the responsible peer"
        case .unknownSigner: return "no valid certificate for the value's signer"
        case .certificateNotValid: return "the signer's certificate is not valid now"
        case .anonymousSignature: return "anonymous signature on a stored value"
        case .valueSignerNotPermitted: return "the value's signer may not write here (access control)"
        case .requestSignerNotPermitted: return "the request's signer may not write here (access control)"
        case .invalidSignature: return "the value's signature does not verify"
        case .certificateNotSigners: return "a self-signed signer may store only its own certificate under its user name"
        case .userNameTaken: return "the user name is bound to another self-signed key (first come)"
        }
    }
}
