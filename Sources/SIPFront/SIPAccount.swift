import SIP

/// A local SIP account: the digest user name and secret a phone authenticates with, and the
/// overlay user name (the AOR, RFC 7904 §2) it may register. RFC 3261 §10.3 step 6: "the
/// registrar ... determines if the authenticated user is authorized to modify registrations
/// for this address-of-record"; here an account may modify exactly its own AOR, the name in
/// the certificate the peer stores SIP-REGISTRATION under (USER-NODE-MATCH, RFC 7904 §3.3).
public struct SIPAccount: Sendable {
    public let username: [UInt8]
    public let secret: DigestSecret
    public let addressOfRecord: AddressOfRecord

    public init(username: [UInt8], secret: DigestSecret, addressOfRecord: AddressOfRecord) {
        precondition(!username.isEmpty && username.count <= SIPLimits.maximumDigestValueBytes, "a digest user name")
        self.username = username
        self.secret = secret
        self.addressOfRecord = addressOfRecord
    }
}
