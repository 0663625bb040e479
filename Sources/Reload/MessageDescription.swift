import Wire

/// A protocol-analyser view of RELOAD messages: every field of a decoded message, bare or in
/// its §6.6.2 frame, as indented "field: value" lines with the RFC's field names. Pure: the
/// caller reads and prints. Used by `p2psip decode`.
public enum MessageDescription {
    /// Decodes `bytes` (a FramedMessage when the first byte is 128 or 129, otherwise a bare
    /// message) and describes it. Errors name the field and the byte offset in `bytes`. A
    /// fragment is described up to its forwarding header (its body needs reassembly, §6.7).
    public static func describe(_ bytes: [UInt8], _ configuration: CodecConfiguration) throws(ReloadError) -> [String] {
        var writer = DescriptionWriter()
        guard let first = bytes.first else {
            throw .malformed(.truncated(field: "ForwardingHeader.relo_token", offset: 0, needed: 4, available: 0))
        }
        if first == FramedMessage.dataType || first == FramedMessage.ackType {
            let frame: FramedMessage
            do throws(WireError) {
                frame = try FramedMessage.decode(bytes: bytes, configuration)
            } catch {
                throw .malformed(error)
            }
            describe(frame, &writer)
            if case .data(_, let message) = frame {
                do throws(ReloadError) {
                    try describeMessage(message, configuration, &writer)
                } catch {
                    throw error.shifted(by: ReloadConstants.framedDataHeaderBytes)
                }
            }
        } else {
            try describeMessage(bytes, configuration, &writer)
        }
        return writer.lines
    }

    static func describe(_ frame: FramedMessage, _ writer: inout DescriptionWriter) {
        writer.open("FramedMessage")
        switch frame {
        case .data(let sequence, let message):
            writer.field("type", "data (128)")
            writer.field("sequence", sequence)
            writer.field("message length", message.count)
        case .ack(let ackSequence, let received):
            writer.field("type", "ack (129)")
            writer.field("ack_sequence", ackSequence)
            writer.field("received", DescriptionWriter.hex(received, digits: 8))
        }
        writer.close()
    }

    static func describeMessage(
        _ bytes: [UInt8], _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter
    ) throws(ReloadError) {
        var reader = ByteReader(bytes)
        let header: ForwardingHeader
        do throws(WireError) {
            header = try ForwardingHeader.decode(from: &reader, configuration)
        } catch {
            throw .malformed(error)
        }
        if !header.fragment.isWholeMessage {
            describe(header, messageLength: bytes.count, &writer)
            writer.field("fragment data", "\(reader.remaining) bytes (reassemble all fragments to decode, §6.7)")
            return
        }
        let message = try Message.decode(bytes, configuration)
        describe(header, messageLength: bytes.count, &writer)
        describe(message.contents, configuration, &writer)
        describe(message.securityBlock, &writer)
    }

    static func describe(_ header: ForwardingHeader, messageLength: Int, _ writer: inout DescriptionWriter) {
        writer.open("ForwardingHeader")
        writer.field("relo_token", DescriptionWriter.hex(ReloadConstants.reloToken, digits: 8))
        writer.field("overlay", DescriptionWriter.hex(header.overlay, digits: 8))
        writer.field("configuration_sequence", header.configurationSequence)
        writer.field("version", DescriptionWriter.hex(ReloadConstants.version, digits: 2) + " (1.0)")
        writer.field("ttl", header.ttl)
        let fragment = header.fragment
        writer.field(
            "fragment",
            DescriptionWriter.hex(fragment.rawValue, digits: 8)
                + " (last fragment: \(fragment.isLast ? "yes" : "no"), offset \(fragment.offset))")
        writer.field("length", messageLength)
        writer.field("transaction_id", DescriptionWriter.hex(header.transactionId, digits: 16))
        writer.field("max_response_length", header.maxResponseLength)
        writer.field("via_list_length", encodedSize(header.viaList))
        writer.field("destination_list_length", encodedSize(header.destinationList))
        writer.field("options_length", encodedSize(header.options))
        describeDestinations(header.viaList, "via_list", &writer)
        describeDestinations(header.destinationList, "destination_list", &writer)
        for (index, option) in header.options.enumerated() {
            writer.open("options[\(index)]")
            writer.field("type", option.type)
            writer.field("flags", describe(option.flags))
            writer.field("length", option.value.count)
            writer.field("option", DescriptionWriter.opaque(option.value))
            writer.close()
        }
        writer.close()
    }

    static func describe(_ flags: ForwardingOption.Flags) -> String {
        var names: [String] = []
        if flags.contains(.forwardCritical) { names.append("FORWARD_CRITICAL") }
        if flags.contains(.destinationCritical) { names.append("DESTINATION_CRITICAL") }
        if flags.contains(.responseCopy) { names.append("RESPONSE_COPY") }
        let text = names.isEmpty ? "none" : names.joined(separator: " | ")
        return DescriptionWriter.hex(flags.rawValue, digits: 2) + " (" + text + ")"
    }

    static func describeDestinations(_ list: [Destination], _ name: String, _ writer: inout DescriptionWriter) {
        for (index, destination) in list.enumerated() {
            describe(destination, "\(name)[\(index)]", &writer)
        }
    }

    static func describe(_ destination: Destination, _ name: String, _ writer: inout DescriptionWriter) {
        writer.open(name)
        switch destination {
        case .node(let id):
            writer.field("type", "node (1)")
            writer.field("length", id.length)
            writer.field("node_id", id.hex)
        case .resource(let id):
            writer.field("type", "resource (2)")
            writer.field("length", id.bytes.count + 1)
            writer.field("resource_id", DescriptionWriter.opaque(id.bytes))
        case .opaque(let bytes):
            writer.field("type", "opaque_id_type (3)")
            writer.field("length", bytes.count + 1)
            writer.field("opaque_id", DescriptionWriter.opaque(bytes))
        case .compressed(let value):
            writer.field("compressed opaque_id", DescriptionWriter.hex(value, digits: 4))
        }
        writer.close()
    }

    static func encodedSize<T: ReloadCodable>(_ items: [T]) -> Int {
        var writer = ByteWriter()
        do throws(WireError) { try writer.writeElements(items) } catch { return 0 }
        return writer.count
    }

    static func describe(_ contents: MessageContents, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter) {
        writer.open("MessageContents")
        let code = contents.code
        writer.field("message_code", DescriptionWriter.hex(code.rawValue, digits: 4) + " (" + code.rfcName + ")")
        var bodyWriter = ByteWriter()
        do throws(WireError) { try contents.body.encode(to: &bodyWriter) } catch {}
        writer.field("message_body length", bodyWriter.count)
        describe(contents.body, configuration, &writer)
        writer.field("extensions length", encodedSize(contents.extensions))
        for (index, item) in contents.extensions.enumerated() {
            writer.open("extensions[\(index)]")
            writer.field("type", item.type)
            writer.field("critical", DescriptionWriter.boolean(item.isCritical))
            writer.field("extension_contents", DescriptionWriter.opaque(item.contents))
            writer.close()
        }
        writer.close()
    }

    static func describe(_ block: SecurityBlock, _ writer: inout DescriptionWriter) {
        writer.open("SecurityBlock")
        writer.field("certificates length", encodedSize(block.certificates))
        for (index, certificate) in block.certificates.enumerated() {
            writer.open("certificates[\(index)]")
            writer.field("type", certificate.type == GenericCertificate.x509 ? "X.509 (0)" : String(certificate.type))
            writer.field("certificate", DescriptionWriter.opaque(certificate.certificate))
            writer.close()
        }
        describe(block.signature, "signature", &writer)
        writer.close()
    }

    static func describe(_ signature: Signature, _ name: String, _ writer: inout DescriptionWriter) {
        writer.open(name)
        let algorithm = signature.algorithm
        writer.field("algorithm.hash", "\(algorithm.hash.name) (\(algorithm.hash.rawValue))")
        writer.field("algorithm.signature", "\(algorithm.signature.name) (\(algorithm.signature.rawValue))")
        let identity = signature.identity
        writer.field("identity.identity_type", "\(identity.typeName) (\(identity.typeCode))")
        switch identity {
        case .certHash(let hashAlgorithm, let hash):
            writer.field("identity.hash_alg", "\(hashAlgorithm.name) (\(hashAlgorithm.rawValue))")
            writer.field("identity.certificate_hash", DescriptionWriter.opaque(hash))
        case .certHashNodeId(let hashAlgorithm, let hash):
            writer.field("identity.hash_alg", "\(hashAlgorithm.name) (\(hashAlgorithm.rawValue))")
            writer.field("identity.certificate_node_id_hash", DescriptionWriter.opaque(hash))
        case .none:
            break
        }
        writer.field("signature_value", DescriptionWriter.opaque(signature.value))
        writer.close()
    }
}
