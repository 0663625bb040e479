import Config
import Crypto
import Enrollment
import Node
import Peer
import Platform
import Reload
import Signing
import Storage
import Wire

/// A user's identity directory (what `p2psip enroll` wrote) loaded to sign storage requests as
/// a RELOAD client (RFC 6940 §3.2.1): the key, the certificate checked against the overlay's
/// configuration, and the overlay's message parameters and kinds. The peer only sends the
/// signed request on (`relay`): it never sees the user's key.
struct ClientIdentity {
    let identity: NodeIdentity
    let configuration: NodeConfiguration

    static func load(_ directory: String) throws(CommandFailure) -> ClientIdentity {
        let files = IdentityDirectory(path: directory)
        let (overlay, verifier) = try PeerSetup.overlayConfiguration(files)
        let identity = try PeerSetup.nodeIdentity(files, verifier: verifier)
        var configuration = NodeConfiguration(overlayName: overlay.instanceName)
        configuration.configurationSequence = UInt16(truncatingIfNeeded: overlay.sequence ?? 0)
        configuration.initialTTL = UInt8(clamping: overlay.initialTTL)
        configuration.maxMessageSize = overlay.maxMessageSize
        configuration.kinds = StorageKinds.configured(overlay.requiredKinds).kinds
        return ClientIdentity(identity: identity, configuration: configuration)
    }

    /// The whole StoreReq of one value (`value` nil: a nonexistent value, §7.4.1.3), the value
    /// signed (§7.1) and the message signed (§6.3.4) by this identity, at `storageTime`.
    func signedStore(
        resource: ResourceId, kind: KindId, slot: StorageControl.Slot, value: [UInt8]?, lifetime: UInt32, storageTime: UInt64,
        random: RandomGenerator
    ) throws(CommandFailure) -> [UInt8] {
        guard let model = configuration.kinds.kind(kind)?.model else {
            throw .usage("kind \(kind.rawValue) is not defined in this overlay's configuration (Error_Unknown_Kind)")
        }
        guard let stored = StorageControl.storedValue(model: model, slot: slot, DataValue(exists: value != nil, value: value ?? [])) else {
            throw .usage("kind \(kind.rawValue) is \(StorageControl.modelName(model)): " + StorageControl.slotAdvice(model))
        }
        let certificate = identity.certificateChain[0]
        do throws(ReloadError) {
            let data = try StoredData.signed(
                resource: resource, kind: kind, storageTime: storageTime, lifetime: lifetime, value: stored,
                identity: .certHash(certificateDER: certificate), key: identity.privateKey, random: random)
            let kindData = StoreKindData(kind: kind, generationCounter: 0, values: [data])
            return try ClientRequest.store(
                resource: resource, kindData: [kindData], identity: identity, configuration: configuration,
                transactionId: try ClientIdentity.transactionId(random), random: random)
        } catch {
            throw .failed("signing the request: \(error.description)")
        }
    }

    static func transactionId(_ random: RandomGenerator) throws(ReloadError) -> UInt64 {
        do throws(CryptoError) {
            return try random.bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        } catch {
            throw .signingFailed(error)
        }
    }
}

/// Signs the requests of one command run: identities loaded once each (a batch may name many),
/// storage times strictly increasing (two values of one slot in the same millisecond would
/// otherwise be Error_Data_Too_Old, §13.5.3).
struct ClientSigner {
    var identities: [String: ClientIdentity] = [:]
    var lastStorageTime = WallTime.epoch
    let random: RandomGenerator
    /// Identity directories kept loaded at once.
    static let maximumIdentities = 4096

    init() throws(CommandFailure) {
        random = try CommandSupport.random()
    }

    mutating func identity(_ directory: String) throws(CommandFailure) -> ClientIdentity {
        if let known = identities[directory] { return known }
        let loaded = try ClientIdentity.load(directory)
        if identities.count < ClientSigner.maximumIdentities { identities[directory] = loaded }
        return loaded
    }

    /// The storage_time field's value (milliseconds since 1970, §7) of the next value signed.
    mutating func nextStorageTime() -> UInt64 {
        lastStorageTime = max(Clock.wallNow(), lastStorageTime.adding(milliseconds: 1))
        return lastStorageTime.millisecondsSince1970
    }
}
