import Config
import Foundation
import Testing
import Wire

@Suite struct OverlayDocumentTests {
    static func vector(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test func rfcExampleParses() throws {
        let bytes = try OverlayDocumentTests.vector("rfc6940-section-11.1-example.xml")
        let document = try OverlayDocument.parse(bytes)
        #expect(document.configurations.count == 2)
        let signed = try #require(document.configuration(instanceName: "overlay.example.org"))
        let configuration = signed.configuration
        #expect(configuration.sequence == 22)
        #expect(configuration.expiresAtSeconds == CivilTime(year: 2002, month: 10, day: 10, hour: 7).unixSeconds)
        #expect(configuration.topologyPlugin == "CHORD-RELOAD")
        #expect(configuration.nodeIdLength == 16)
        #expect(configuration.rootCertificates.count == 2)
        #expect(configuration.rootCertificates[1] == Array("bad cert\n".utf8))
        #expect(configuration.rootCertificates[0].count > 700)
        #expect(configuration.enrollmentServers == ["https://example.org", "https://example.net"])
        #expect(configuration.selfSignedPermitted == SelfSignedPermission(permitted: false, digest: "sha1"))
        #expect(configuration.selfSignedWorkBits == 20 && configuration.selfSignedNodeIds == 1, "absent: the safe defaults")
        #expect(configuration.bootstrapNodes == [
            BootstrapNode(address: "192.0.0.1", port: 6084), BootstrapNode(address: "192.0.2.2", port: 6084),
            BootstrapNode(address: "2001:DB8::1", port: 6084),
        ])
        #expect(configuration.turnDensity == 20)
        #expect(!configuration.clientsPermitted)
        #expect(!configuration.noICE)
        #expect(configuration.chordUpdateIntervalSeconds == 400)
        #expect(configuration.chordPingIntervalSeconds == 30)
        #expect(configuration.chordReactive)
        #expect(configuration.sharedSecret == "password")
        #expect(configuration.maxMessageSize == 4000)
        #expect(configuration.initialTTL == 30)
        #expect(configuration.overlayReliabilityTimerMilliseconds == 3000)
        #expect(configuration.overlayLinkProtocols == ["TLS"])
        #expect(configuration.configurationSigners == [Hex.decode("47112162e84c69ba")!])
        #expect(configuration.kindSigners.count == 2)
        #expect(configuration.badNodes == [Hex.decode("6ebc45d31a900c06")!, Hex.decode("6ebc45d31a900ca6")!])
        #expect(configuration.mandatoryExtensions == ["urn:ietf:params:xml:ns:p2p:config-ext1"])
        #expect(configuration.unsupportedMandatoryExtensions(supported: []) == ["urn:ietf:params:xml:ns:p2p:config-ext1"])
        #expect(configuration.requiredKinds == [
            KindDefinition(identifier: .name("SIP-REGISTRATION"), dataModel: .single, accessControl: .userMatch,
                           maxCount: 1, maxSize: 100),
            KindDefinition(identifier: .id(2000), dataModel: .array, accessControl: .nodeMultiple, maxCount: 22,
                           maxSize: 4, maxNodeMultiple: 3),
        ])
        // §11.1: the signature covers "<configuration" ... "</configuration>" exactly.
        let text = String(decoding: signed.signedBytes, as: UTF8.self)
        #expect(text.hasPrefix("<configuration instance-name=\"overlay.example.org\""))
        #expect(text.hasSuffix("</required-kinds>\n   </configuration>"))
        #expect(Array(bytes[signed.signedRange]) == signed.signedBytes)
        #expect(signed.signatures == [DetachedSignature(algorithm: nil, value: Array("This is not right!\n".utf8))])
        #expect(signed.kindSignatures.count == 2)
        #expect(String(decoding: signed.kindSignatures[1].signedBytes, as: UTF8.self).hasPrefix("<kind id=\"2000\">"))
        #expect(String(decoding: signed.kindSignatures[1].signedBytes, as: UTF8.self).hasSuffix("</kind>"))
        let other = try #require(document.configuration(instanceName: "other.example.net"))
        #expect(other.configuration == OverlayConfiguration(instanceName: "other.example.net"))
        #expect(other.signatures.count == 1)
    }

    static func fullConfiguration() -> OverlayConfiguration {
        var configuration = OverlayConfiguration(instanceName: "overlay.example.org")
        configuration.sequence = 7
        configuration.expiresAtSeconds = CivilTime(year: 2027, month: 3, day: 4, hour: 5, minute: 6, second: 7).unixSeconds
        configuration.nodeIdLength = 20
        configuration.rootCertificates = [[UInt8](0..<200), [1, 2, 3]]
        configuration.enrollmentServers = ["https://ca.example.org:8443/"]
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "sha256")
        configuration.selfSignedWorkBits = 12
        configuration.bootstrapNodes = [BootstrapNode(address: "192.0.2.1"), BootstrapNode(address: "2001:db8::2", port: 7000)]
        configuration.turnDensity = 0
        configuration.clientsPermitted = false
        configuration.noICE = true
        configuration.chordUpdateIntervalSeconds = 300
        configuration.chordPingIntervalSeconds = 60
        configuration.chordReactive = false
        configuration.sharedSecret = "s3cret & <stuff> \"quoted\""
        configuration.maxMessageSize = 64000
        configuration.initialTTL = 12
        configuration.overlayReliabilityTimerMilliseconds = 500
        configuration.overlayLinkProtocols = ["DTLS-UDP-SR-NO-ICE", "TLS"]
        configuration.configurationSigners = [[UInt8](repeating: 0xAB, count: 20)]
        configuration.kindSigners = [[UInt8](repeating: 0xCD, count: 16)]
        configuration.badNodes = [[UInt8](repeating: 0xEF, count: 16)]
        configuration.mandatoryExtensions = [ConfigNamespaces.p2psip]
        configuration.requiredKinds = [
            KindDefinition(identifier: .name("SIP-REGISTRATION"), dataModel: .dictionary, accessControl: .userNodeMatch,
                           maxCount: 10, maxSize: 1000),
            KindDefinition(identifier: .id(4_000_000_000), dataModel: .other("QUEUE"), accessControl: .other("ANYONE"),
                           maxCount: 1, maxSize: 10),
            KindDefinition(identifier: .id(2), dataModel: .array, accessControl: .nodeMultiple, maxCount: 5, maxSize: 50,
                           maxNodeMultiple: 2),
        ]
        return configuration
    }

    @Test func writerRoundTrip() throws {
        let configurations = [OverlayDocumentTests.fullConfiguration(), OverlayConfiguration(instanceName: "minimal.example")]
        let written = OverlayConfigurationWriter.document(configurations)
        let parsed = try OverlayDocument.parse(written)
        #expect(parsed.configurations.map { $0.configuration } == configurations)
        // Writing what was parsed gives the same bytes again.
        #expect(OverlayConfigurationWriter.document(parsed.configurations.map { $0.configuration }) == written)
    }

    @Test func signedDocumentKeepsTheExactBytes() throws {
        let configuration = OverlayDocumentTests.fullConfiguration()
        let kindSignature = DetachedSignature(algorithm: nil, value: [9, 9, 9])
        let element = OverlayConfigurationWriter.configurationElement(
            configuration, kindSignatures: [kindSignature, nil, nil])
        let signature = DetachedSignature(algorithm: "rsa-sha1", value: [UInt8](0..<100))
        let bytes = OverlayConfigurationWriter.document([(element, signature)])
        let signed = try #require(try OverlayDocument.parse(bytes).configurations.first)
        #expect(signed.signedBytes == element)
        #expect(signed.signatures == [signature])
        #expect(signed.kindSignatures[0].signedBytes == OverlayConfigurationWriter.kindElement(configuration.requiredKinds[0]))
        #expect(signed.kindSignatures[0].signature == kindSignature)
        #expect(signed.kindSignatures[1].signature == nil)
    }

    @Test func bothTopologySpellingsAndDefaults() throws {
        for name in ["topology-plugin", "topology-plug-in"] {
            let document = try parse(config("<\(name)>CHORD-RELOAD</\(name)>"))
            #expect(document.configurations[0].configuration.topologyPlugin == "CHORD-RELOAD")
        }
        let plain = try parse(config(""))
        #expect(plain.configurations[0].configuration == OverlayConfiguration(instanceName: "o.example"))
        #expect(plain.configurations[0].configuration.overlayLinkProtocols == ["TLS"])
        #expect(plain.configurations[0].configuration.maxMessageSize == 5000)
    }

    func parse(_ text: String) throws(OverlayConfigError) -> OverlayDocument {
        return try OverlayDocument.parse(Array(text.utf8))
    }

    func config(_ body: String, attributes: String = "") -> String {
        return "<overlay xmlns=\"urn:ietf:params:xml:ns:p2p:config-base\" xmlns:chord=\"urn:ietf:params:xml:ns:p2p:config-chord\""
            + " xmlns:x=\"urn:foreign\">\n<configuration instance-name=\"o.example\"\(attributes)>\n\(body)\n</configuration>\n</overlay>"
    }
}
