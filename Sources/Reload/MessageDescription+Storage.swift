import Wire

// Bodies of §7.4 (Store, Fetch, Stat, Find) and the stored structures of §7 and RFC 7904 §7.
extension MessageDescription {
    static func describeStorage(_ body: MessageBody, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter) {
        switch body {
        case .storeRequest(let request):
            writer.open("StoreReq")
            writer.field("resource", DescriptionWriter.opaque(request.resource.bytes))
            writer.field("replica_number", request.replicaNumber)
            for (index, data) in request.kindData.enumerated() {
                writer.open("kind_data[\(index)]")
                writer.field("kind", describe(data.kind))
                writer.field("generation_counter", data.generationCounter)
                describe(data.values, kind: data.kind, configuration, &writer)
                writer.close()
            }
            writer.close()
        case .storeAnswer(let answer):
            describe(answer, &writer)
        case .fetchRequest(let request), .statRequest(let request):
            writer.open(body.code == .fetchRequest ? "FetchReq" : "StatReq")
            writer.field("resource", DescriptionWriter.opaque(request.resource.bytes))
            for (index, specifier) in request.specifiers.enumerated() {
                describe(specifier, "specifiers[\(index)]", &writer)
            }
            writer.close()
        case .fetchAnswer(let answer):
            writer.open("FetchAns")
            for (index, response) in answer.kindResponses.enumerated() {
                writer.open("kind_responses[\(index)]")
                writer.field("kind", describe(response.kind))
                writer.field("generation", response.generation)
                describe(response.values, kind: response.kind, configuration, &writer)
                writer.close()
            }
            writer.close()
        default:
            describeStatFind(body, &writer)
        }
    }

    static func describeStatFind(_ body: MessageBody, _ writer: inout DescriptionWriter) {
        switch body {
        case .statAnswer(let answer):
            writer.open("StatAns")
            for (index, response) in answer.kindResponses.enumerated() {
                writer.open("kind_responses[\(index)]")
                writer.field("kind", describe(response.kind))
                writer.field("generation", response.generation)
                describe(response.values, &writer)
                writer.close()
            }
            writer.close()
        case .findRequest(let request):
            writer.open("FindReq")
            writer.field("resource", DescriptionWriter.opaque(request.resource.bytes))
            for (index, kind) in request.kinds.enumerated() { writer.field("kinds[\(index)]", describe(kind)) }
            writer.close()
        case .findAnswer(let answer):
            writer.open("FindAns")
            for (index, result) in answer.results.enumerated() {
                writer.open("results[\(index)]")
                writer.field("kind", describe(result.kind))
                writer.field("closest", DescriptionWriter.opaque(result.closest.bytes))
                writer.close()
            }
            writer.close()
        default:
            preconditionFailure("every body case is described")
        }
    }

    static func describe(_ answer: StoreAns, _ writer: inout DescriptionWriter) {
        writer.open("StoreAns")
        for (index, response) in answer.kindResponses.enumerated() {
            writer.open("kind_responses[\(index)]")
            writer.field("kind", describe(response.kind))
            writer.field("generation_counter", response.generationCounter)
            describe(response.replicas, "replicas", &writer)
            writer.close()
        }
        writer.close()
    }

    static func describe(_ specifier: StoredDataSpecifier, _ name: String, _ writer: inout DescriptionWriter) {
        writer.open(name)
        writer.field("kind", describe(specifier.kind))
        writer.field("generation", specifier.generation)
        switch specifier.modelSpecifier {
        case .singleValue:
            writer.field("model_specifier", "single value (empty)")
        case .array(let indices):
            for (index, range) in indices.enumerated() {
                let last = range.last == 0xFFFF_FFFF ? "end" : String(range.last)
                writer.field("indices[\(index)]", "\(range.first)..\(last)")
            }
            if indices.isEmpty { writer.field("indices", "(none)") }
        case .dictionary(let keys):
            for (index, key) in keys.enumerated() { writer.field("keys[\(index)]", DescriptionWriter.opaque(key)) }
            if keys.isEmpty { writer.field("keys", "(none: all keys)") }
        case .unknown(let bytes):
            writer.field("model_specifier", "kind not known: " + DescriptionWriter.opaque(bytes))
        }
        writer.close()
    }

    static func describe(
        _ values: KindValues<StoredData>, kind: KindId, _ configuration: CodecConfiguration,
        _ writer: inout DescriptionWriter
    ) {
        switch values {
        case .unknown(let bytes):
            writer.field("values", "kind not known: " + DescriptionWriter.opaque(bytes))
        case .known(let list):
            writer.field("values", "\(list.count) entries")
            for (index, data) in list.enumerated() {
                writer.open("values[\(index)]")
                writer.field("storage_time", "\(data.storageTime) ms since 1970")
                writer.field("lifetime", "\(data.lifetime) s")
                describe(data.value, kind: kind, configuration, &writer)
                describe(data.signature, "signature", &writer)
                writer.close()
            }
        }
    }

    static func describe(
        _ value: StoredDataValue, kind: KindId, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter
    ) {
        switch value {
        case .single(let data):
            describe(data, "value", kind: kind, configuration, &writer)
        case .array(let entry):
            let append = entry.index == ArrayEntry.appendIndex ? " (append)" : ""
            writer.field("index", "\(entry.index)" + append)
            describe(entry.value, "value", kind: kind, configuration, &writer)
        case .dictionary(let entry):
            writer.field("key", DescriptionWriter.opaque(entry.key))
            describe(entry.value, "value", kind: kind, configuration, &writer)
        }
    }

    static func describe(
        _ value: DataValue, _ name: String, kind: KindId, _ configuration: CodecConfiguration,
        _ writer: inout DescriptionWriter
    ) {
        writer.open(name)
        writer.field("exists", DescriptionWriter.boolean(value.exists))
        writer.field("value", DescriptionWriter.opaque(value.value))
        if kind == .sipRegistration, value.exists, let registration = try? SipRegistration.decode(bytes: value.value, configuration) {
            describe(registration, &writer)
        }
        writer.close()
    }

    static func describe(_ registration: SipRegistration, _ writer: inout DescriptionWriter) {
        writer.open("SipRegistration")
        switch registration {
        case .uri(let uri):
            writer.field("type", "sip_registration_uri (1)")
            writer.field("uri", DescriptionWriter.opaque(uri))
        case .route(let prefs, let destinations):
            writer.field("type", "sip_registration_route (2)")
            writer.field("contact_prefs", DescriptionWriter.opaque(prefs))
            describeDestinations(destinations, "destination_list", &writer)
        case .unknown(let type, let data):
            writer.field("type", String(type))
            writer.field("data", DescriptionWriter.opaque(data))
        }
        writer.close()
    }

    static func describe(_ values: KindValues<StoredMetaData>, _ writer: inout DescriptionWriter) {
        switch values {
        case .unknown(let bytes):
            writer.field("values", "kind not known: " + DescriptionWriter.opaque(bytes))
        case .known(let list):
            writer.field("values", "\(list.count) entries")
            for (index, data) in list.enumerated() {
                writer.open("values[\(index)]")
                writer.field("storage_time", "\(data.storageTime) ms since 1970")
                writer.field("lifetime", "\(data.lifetime) s")
                switch data.metadata {
                case .single: break
                case .array(let entryIndex, _): writer.field("index", entryIndex)
                case .dictionary(let key, _): writer.field("key", DescriptionWriter.opaque(key))
                }
                let meta = data.metadata.metaData
                writer.field("exists", DescriptionWriter.boolean(meta.exists))
                writer.field("value_length", meta.valueLength)
                writer.field("hash_algorithm", "\(meta.hashAlgorithm.name) (\(meta.hashAlgorithm.rawValue))")
                writer.field("hash_value", DescriptionWriter.opaque(meta.hashValue))
                writer.close()
            }
        }
    }
}
