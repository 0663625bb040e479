import Crypto
import Reload
import Signing
import Wire

extension Samples {
    static let storageTime: UInt64 = 1_790_000_000_123

    /// A value signed by alice for `resource` and `kind` (§7.1).
    static func signedValue(_ kind: KindId, _ value: StoredDataValue, lifetime: UInt32 = 86_400) throws -> StoredData {
        return try StoredData.signed(
            resource: resource, kind: kind, storageTime: storageTime, lifetime: lifetime, value: value,
            identity: Identities.aliceIdentity, key: try Identities.aliceKey(), random: try Identities.random())
    }

    /// RFC 7904 §7: a route registration to alice's peer, keyed by her Node-ID.
    static func sipRoute() throws -> StoredData {
        let registration = SipRegistration.route(
            contactPrefs: Array("(sip.schemes=SIP)".utf8), destinationList: [.node(Identities.aliceNodeId)])
        let entry = DictionaryEntry(key: Identities.aliceNodeId.bytes, value: DataValue(value: try registration.encoded()))
        return try signedValue(.sipRegistration, .dictionary(entry))
    }

    static func sipUri() throws -> StoredData {
        let registration = SipRegistration.uri(Array("sip:alice@example.org".utf8))
        let entry = DictionaryEntry(key: Identities.bobNodeId.bytes, value: DataValue(value: try registration.encoded()))
        return try signedValue(.sipRegistration, .dictionary(entry))
    }

    /// §8: alice's certificate appended to CERTIFICATE_BY_NODE (index zeroed when signing).
    static func certificateValue() throws -> StoredData {
        let entry = ArrayEntry(index: ArrayEntry.appendIndex, value: DataValue(value: Identities.aliceCertificate))
        return try signedValue(.certificateByNode, .array(entry))
    }

    /// §9 TurnServer: iteration u8 ‖ IpAddressPort.
    static func turnValue() throws -> StoredData {
        let server = [UInt8(3)] + (try IpAddressPort.ipv4(192, 0, 2, 9, port: 3478).encoded())
        return try signedValue(.turnService, .single(DataValue(value: server)))
    }

    static func storeRequest() throws -> StoreReq {
        return StoreReq(
            resource: resource, replicaNumber: 0,
            kindData: [
                StoreKindData(kind: .sipRegistration, generationCounter: 0, values: [try sipRoute(), try sipUri()]),
                StoreKindData(kind: .certificateByNode, generationCounter: 4, values: [try certificateValue()]),
                StoreKindData(kind: .turnService, generationCounter: 9, values: [try turnValue()]),
            ])
    }

    static func fetchRequest() -> FetchReq {
        return FetchReq(
            resource: resource,
            specifiers: [
                StoredDataSpecifier(kind: .turnService, generation: 0, modelSpecifier: .singleValue),
                StoredDataSpecifier(
                    kind: .certificateByNode, generation: 3,
                    modelSpecifier: .array(indices: [ArrayRange(first: 0, last: 2), ArrayRange(first: 5, last: 0xFFFF_FFFF)])),
                StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: [])),
            ])
    }

    static func fetchAnswer() throws -> FetchAns {
        // §7.4.2.2: a value the peer knows nothing of is synthesized: exists False, identity
        // none, algorithm {0, 0}, empty signature.
        let missing = StoredData(
            storageTime: 0, lifetime: 0,
            value: .dictionary(DictionaryEntry(key: Samples.node(0x77).bytes, value: .nonexistent)),
            signature: .synthesized)
        return FetchAns(kindResponses: [
            FetchKindResponse(kind: .sipRegistration, generation: 5, values: [try sipRoute(), missing]),
            FetchKindResponse(kind: .certificateByNode, generation: 4, values: [try certificateValue()]),
            FetchKindResponse(kind: .turnService, generation: 9, values: []),
        ])
    }

    static func statAnswer() -> StatAns {
        let meta = MetaData(exists: true, valueLength: 441, hashAlgorithm: .sha256, hashValue: [UInt8](repeating: 0xAB, count: 32))
        return StatAns(kindResponses: [
            StatKindResponse(
                kind: .turnService, generation: 9,
                values: [StoredMetaData(storageTime: storageTime, lifetime: 600, metadata: .single(meta))]),
            StatKindResponse(
                kind: .certificateByNode, generation: 4,
                values: [StoredMetaData(storageTime: storageTime, lifetime: 600, metadata: .array(index: 0, meta))]),
            StatKindResponse(
                kind: .sipRegistration, generation: 5,
                values: [StoredMetaData(storageTime: storageTime, lifetime: 600, metadata: .dictionary(key: Identities.aliceNodeId.bytes, meta))]),
        ])
    }

    static func storeAnswer() -> StoreAns {
        return StoreAns(kindResponses: [
            StoreKindResponse(kind: .sipRegistration, generationCounter: 6, replicas: [node(0x50), node(0x51)]),
            StoreKindResponse(kind: .certificateByNode, generationCounter: 5, replicas: []),
        ])
    }

    static func storageBodies() throws -> [(String, MessageBody)] {
        return [
            ("store_req", .storeRequest(try storeRequest())),
            ("store_ans", .storeAnswer(storeAnswer())),
            ("fetch_req", .fetchRequest(fetchRequest())),
            ("fetch_ans", .fetchAnswer(try fetchAnswer())),
            ("stat_req", .statRequest(fetchRequest())),
            ("stat_ans", .statAnswer(statAnswer())),
            ("find_req", .findRequest(FindReq(resource: resource, kinds: [.sipRegistration, .certificateByUser]))),
            ("find_ans", .findAnswer(FindAns(results: [
                FindKindData(kind: .sipRegistration, closest: resource),
                FindKindData(kind: .certificateByUser, closest: ResourceId(bytes: [0])!),
            ]))),
        ]
    }

    static let configXML = Array(
        "<overlay xmlns=\"urn:ietf:params:xml:ns:p2p:config-base\"><configuration instance-name=\"example.org\" sequence=\"8\"></configuration></overlay>".utf8)
    static let kindXML = Array("<kind-block><kind name=\"TEST\"><data-model>SINGLE</data-model></kind></kind-block>".utf8)

    static func otherBodies() throws -> [(String, MessageBody)] {
        return [
            ("config_update_req config", .configUpdateRequest(.config(configData: configXML))),
            ("config_update_req kind", .configUpdateRequest(.kinds([kindXML, kindXML]))),
            ("config_update_ans", .configUpdateAnswer),
            ("exp_a_req", .opaque(.expARequest, [1, 2, 3])),
            ("exp_a_ans", .opaque(.expAAnswer, [])),
            ("exp_b_req", .opaque(.expBRequest, [4])),
            ("exp_b_ans", .opaque(.expBAnswer, [5, 6])),
            ("path_track_req", .opaque(.pathTrackRequest, [7, 7, 7])),
            ("path_track_ans", .opaque(.pathTrackAnswer, [8])),
            ("error Error_Forbidden", .error(ErrorResponse(code: .forbidden, text: "not your resource"))),
            ("error Error_Unknown_Kind", .error(try ErrorResponse.unknownKinds([KindId(0xF000_0001), KindId(0x99)]))),
            ("error Error_Generation_Counter_Too_Low", .error(try ErrorResponse.generationCounterTooLow(storeAnswer()))),
            ("error Error_Invalid_Message", .error(ErrorResponse(code: .invalidMessage, text: "bad"))),
        ]
    }
}
