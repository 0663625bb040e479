import Crypto
import Reload
import Signing
import Wire

/// The RELOAD checks of `p2psip selftest`: the codec on the board itself, where Int is 32 bits
/// on armv7 and a length that does not fit would trap.
extension SelftestChecks {
    /// Tests/ReloadTests/Vectors/ecdsa-store-request.hex: a StoreReq whose values and message
    /// are signed by the test identity alice (ECDSA P-256, deterministic). A test checks that
    /// this copy equals the committed file.
    static let storeRequestVectorHex = """
        d2454c4f4e38fc3f00070a63c00000000000073c53544f52453100010000000000000012000001102222222222222222
        22222222222222220007000004ab11616c696365406578616d706c652e6f726700000004940000000100000000000000
        0000000173000000be000001a0c4506c7b00015180001011111111111111111111111111111111010000002a02002700
        11287369702e736368656d65733d534950290012011011111111111111111111111111111111040301002204204aee1c
        1263754d65cabfc23ad30b3868a2fab71e7e07ccc5b8f0588da62cc44700483046022100a20da9bfe1028c02a8fe3576
        f6d23a78cf6cf5c7095e467bf57b79d7083f0d91022100992579d2c327e23591ffc01430adb8b2fe5f3a49c2df3be872
        28c3bc03c53393000000ad000001a0c4506c7b00015180001022222222222222222222222222222222010000001a0100
        1700157369703a616c696365406578616d706c652e6f7267040301002204204aee1c1263754d65cabfc23ad30b3868a2
        fab71e7e07ccc5b8f0588da62cc44700473045022100d27a7309acaad09c4b7291eaf5bc8450d3afadee593d9c8aa86e
        28a30ee80e1702207d539b9d133700955aec9241ba212af4e3982b143eae778e2bb4e5458af4f2950000000300000000
        00000004000002630000025f000001a0c4506c7b00015180ffffffff01000001da308201d63082017ba0030201020214
        5e9efb32745df109e279cd6353d67bf46c64b76f300a06082a8648ce3d0403023010310e300c06035504030c05616c69
        63653020170d3236313132363135353233385a180f32313236313130323135353233385a3010310e300c06035504030c
        05616c6963653059301306072a8648ce3d020106082a8648ce3d03010703420004a0e03e8eb56be4cf522e4ea52d1946
        358a45d40ef34357830794b7b406cdaca2beae1c3d1369bf6d0dffefaaba7551ece4f5055785093811bbad614efa9f30
        2ea381b03081ad301d0603551d0e041604143132ae17be4762909fa72ec6d5c5ba7da8cb04bb301f0603551d23041830
        1680143132ae17be4762909fa72ec6d5c5ba7da8cb04bb300f0603551d130101ff040530030101ff305a0603551d1104
        533051863c72656c6f61643a2f2f30313130313131313131313131313131313131313131313131313131313131313131
        31313131406578616d706c652e6f72672f8111616c696365406578616d706c652e6f7267300a06082a8648ce3d040302
        0349003046022100a5a89f78c14f13475e0f608b03be90d80f381b060c79c8f32a2dafb679d77e89022100ac34aeecf9
        4336f7b930145ede582af3ec187075c2fc68ff50da20a393e7853e040301002204204aee1c1263754d65cabfc23ad30b
        3868a2fab71e7e07ccc5b8f0588da62cc4470047304502204bfabe5ae151743878cc21314390aa8e43d557efc519da93
        1ba8c764ba5e5d7f022100d68f10688687a100f03469b22afc2f838c587014dab59c47703cdc3e614512370000000200
        000000000000090000008e0000008a000001a0c4506c7b000151800100000009030106c00002090d9604030100220420
        4aee1c1263754d65cabfc23ad30b3868a2fab71e7e07ccc5b8f0588da62cc44700473045022100b6b28485ac5cc7c2aa
        c3a82fc68cbcfcd059db76c896dbe30fc6efc6cca0432b02203fc96db91943eb67c876f02e5fa78d40fe0f9d743eefc5
        be21f4e18ff3a9bf220000000001dd0001da308201d63082017ba00302010202145e9efb32745df109e279cd6353d67b
        f46c64b76f300a06082a8648ce3d0403023010310e300c06035504030c05616c6963653020170d323631313236313535
        3233385a180f32313236313130323135353233385a3010310e300c06035504030c05616c6963653059301306072a8648
        ce3d020106082a8648ce3d03010703420004a0e03e8eb56be4cf522e4ea52d1946358a45d40ef34357830794b7b406cd
        aca2beae1c3d1369bf6d0dffefaaba7551ece4f5055785093811bbad614efa9f302ea381b03081ad301d0603551d0e04
        1604143132ae17be4762909fa72ec6d5c5ba7da8cb04bb301f0603551d230418301680143132ae17be4762909fa72ec6
        d5c5ba7da8cb04bb300f0603551d130101ff040530030101ff305a0603551d1104533051863c72656c6f61643a2f2f30
        31313031313131313131313131313131313131313131313131313131313131313131313131406578616d706c652e6f72
        672f8111616c696365406578616d706c652e6f7267300a06082a8648ce3d0403020349003046022100a5a89f78c14f13
        475e0f608b03be90d80f381b060c79c8f32a2dafb679d77e89022100ac34aeecf94336f7b930145ede582af3ec187075
        c2fc68ff50da20a393e7853e040301002204204aee1c1263754d65cabfc23ad30b3868a2fab71e7e07ccc5b8f0588da6
        2cc4470047304502201a07557925a904fda49609444cc6b58c772b6d59ec963fe77f7210c1d0883ed4022100d56de26b
        f54f12867621644faef893ac2f81ff19336bb8bf63e86784915fc230
        """

    /// The vector decodes, re-encodes to the same bytes, and its signature verifies with the
    /// certificate it carries.
    static func reloadVector() -> Outcome {
        guard let bytes = Hex.decode(storeRequestVectorHex) else { return .failed("vector is not hex") }
        let configuration = CodecConfiguration()
        do throws(ReloadError) {
            let message = try Message.decode(bytes, configuration)
            if try message.encode() != bytes { return .failed("re-encoding changed the message") }
            let signature = message.securityBlock.signature
            guard let der = message.securityBlock.certificate(for: signature.identity) else {
                return .failed("signer's certificate not in the security block")
            }
            let key: PublicKey
            do { key = try Certificate(der: der).publicKey() } catch { return .failed(error.description) }
            try message.verifySignature(publicKey: key)
            var tampered = message
            tampered.header.transactionId ^= 1
            if (try? tampered.verifySignature(publicKey: key)) != nil { return .failed("changed transaction id still verifies") }
            return .passed("\(bytes.count)-byte StoreReq decodes, re-encodes, verifies")
        } catch {
            return .failed(error.description)
        }
    }

    /// Every byte of the vector set to 0x00, 0x7f, 0x80 and 0xff, and every 4-byte window set
    /// to 0xffffffff and 0x80000000: each decodes to a typed error or to a message that
    /// re-encodes to the same bytes. Surviving this on armv7 shows no length conversion traps.
    static func reloadHostileInputs() -> Outcome {
        guard let original = Hex.decode(storeRequestVectorHex) else { return .failed("vector is not hex") }
        let configuration = CodecConfiguration()
        var decoded = 0
        var refused = 0
        func attempt(_ input: [UInt8]) -> String? {
            do throws(ReloadError) {
                let message = try Message.decode(input, configuration)
                decoded += 1
                if try message.encode() != input { return "a mutated message re-encodes differently" }
            } catch {
                refused += 1
            }
            return nil
        }
        for index in original.indices {
            for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] where original[index] != value {
                var mutated = original
                mutated[index] = value
                if let failure = attempt(mutated) { return .failed("byte \(index): \(failure)") }
            }
            if index + 4 <= original.count {
                for word: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x80, 0, 0, 0]] {
                    var mutated = original
                    mutated.replaceSubrange(index..<(index + 4), with: word)
                    if let failure = attempt(mutated) { return .failed("word \(index): \(failure)") }
                }
            }
        }
        for length in stride(from: 0, to: original.count, by: 7) {
            if let failure = attempt(Array(original[0..<length])) { return .failed("prefix \(length): \(failure)") }
        }
        let described = describeFramedMutations(original, configuration)
        return .passed("\(decoded + refused) mutations: \(refused) refused with typed errors, \(decoded) decoded exactly; \(described) framed ones printed")
    }

    /// The analyser path (`p2psip decode`): the vector in a DATA frame, with 32-bit words of
    /// 0xffffffff written over it, through the printer.
    static func describeFramedMutations(_ message: [UInt8], _ configuration: CodecConfiguration) -> Int {
        var writer = ByteWriter()
        guard (try? FramedMessage.data(sequence: 1, message: message).encode(to: &writer)) != nil else { return 0 }
        let framed = writer.bytes
        var printed = 0
        for index in stride(from: 0, to: framed.count - 4, by: 3) {
            var mutated = framed
            mutated.replaceSubrange(index..<(index + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
            if (try? MessageDescription.describe(mutated, configuration)) != nil { printed += 1 }
        }
        return printed
    }
}
