import Crypto
import Reload
import Signing
import Wire

/// What the requesting side keeps of a FetchAns after checking every value (§7.4.2.2:
/// "nodes MUST verify the signatures on all the received values. Any values with invalid
/// signatures (including expired certificates) MUST be discarded").
public struct FetchVerification {
    /// Why a value was dropped.
    public enum DropReason: Equatable, Sendable {
        /// The kind is not one this node knows (its values cannot be checked).
        case unknownKind
        /// The resolver knows no valid certificate for the SignerIdentity.
        case unknownSigner
        /// The certificate is not valid now (§7.1).
        case certificateNotValid
        /// The signature does not verify with the signer's key (§7.1).
        case invalidSignature
        /// The signer may not write this value here (§7.3).
        case notPermitted
        /// An unsigned value that claims to exist: only nonexistent values may be synthesized.
        case unsignedValue
    }

    public struct Drop: Equatable, Sendable {
        public var kind: KindId
        /// Position of the value in its FetchKindResponse.
        public var position: Int
        public var reason: DropReason
    }

    /// The answer with the failing values removed (synthesized nonexistent values stay).
    public var answer: FetchAns
    /// The first `StorageLimits.reportedDrops` drops.
    public var drops: [Drop]
    /// All drops, also those not listed.
    public var dropCount: Int

    /// Checks each value of `answer`, fetched from `resource`, against `kinds`' policies.
    public static func verify<Resolver: SignerResolver>(
        _ answer: FetchAns, resource: ResourceId, kinds: StorageKinds, nodeIdLength: Int, resolver: inout Resolver,
        now: WallTime
    ) -> FetchVerification {
        var result = FetchVerification(answer: FetchAns(kindResponses: []), drops: [], dropCount: 0)
        for response in answer.kindResponses {
            var kept = response
            let values = response.values.values ?? []
            var keptValues: [StoredData] = []
            for (position, value) in values.enumerated() {
                if let reason = check(value, kind: kinds.kind(response.kind), resource, nodeIdLength, &resolver, now) {
                    result.record(Drop(kind: response.kind, position: position, reason: reason))
                } else {
                    keptValues.append(value)
                }
            }
            if kinds.kind(response.kind) == nil, case .unknown = response.values {
                result.record(Drop(kind: response.kind, position: 0, reason: .unknownKind))
            }
            kept.values = .known(keptValues)
            result.answer.kindResponses.append(kept)
        }
        return result
    }

    mutating func record(_ drop: Drop) {
        dropCount += 1
        if drops.count < StorageLimits.reportedDrops { drops.append(drop) }
    }

    static func check<Resolver: SignerResolver>(
        _ value: StoredData, kind: StorageKind?, _ resource: ResourceId, _ nodeIdLength: Int, _ resolver: inout Resolver,
        _ now: WallTime
    ) -> DropReason? {
        guard let kind else { return .unknownKind }
        if value.signature == .synthesized {
            return value.value.dataValue.exists ? .unsignedValue : nil
        }
        guard let signer = resolver.signer(for: value.signature.identity, now: now) else { return .unknownSigner }
        if !signer.isValid(now: now) { return .certificateNotValid }
        do throws(ReloadError) {
            try value.verifySignature(resource: resource, kind: kind.id, publicKey: signer.identity.publicKey)
        } catch {
            return .invalidSignature
        }
        let permitted = AccessControl.permits(
            kind.policy, signer: signer, resource: resource, value: value.value, nodeIdLength: nodeIdLength)
        return permitted ? nil : .notPermitted
    }
}
