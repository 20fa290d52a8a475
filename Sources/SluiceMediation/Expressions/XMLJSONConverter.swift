internal import CLibXML2

/// Converts an XML payload to JSON the way Synapse's JSON formatter does for `messageType=application/json`
/// (staxon with Synapse's defaults): `<jsonObject>` (and a SOAP envelope's body) is unwrapped, `<jsonArray>`
/// becomes an array, any other root a one-member object; child elements become members, repeated names and
/// names announced by `<?xml-multiple name?>` become arrays (an announced name without elements an empty array);
/// attributes become `@name` members, text beside elements becomes `$`, an empty element `null`, and text that
/// reads as a number, `true`, `false` or `null` becomes that JSON primitive (Synapse's auto-primitive default).
/// Namespace prefixes and declarations are dropped; Synapse's `_JsonReader_PD_`/`_JsonReader_PS_` name prefixes
/// are undone.
enum XMLJSONConverter {
    /// The JSON for `xml`.
    /// - Throws: `MediationFault` when the payload is not well-formed XML.
    static func json(for xml: String) throws(MediationFault) -> JSONValue {
        _ = XPathEngine.initialize
        guard let document = try XPathEngine.parseXML(xml.trimmingWhitespace()),
            var root = xmlDocGetRootElement(document)
        else { return .object(JSONObject()) }
        defer { xmlFreeDoc(document) }
        if name(of: root) == "Envelope", let body = children(of: root).first(where: { name(of: $0) == "Body" }) {
            guard let payload = children(of: body).first else { return .object(JSONObject()) }
            root = payload
        }
        switch name(of: root) {
        case "jsonObject":
            return value(of: root)
        case "jsonArray":
            return .array(children(of: root).map(value(of:)))
        default:
            var object = JSONObject()
            object[JSONXMLConverter.memberName(name(of: root))] = value(of: root)
            return .object(object)
        }
    }

    private static func name(of node: xmlNodePtr) -> String {
        String(cString: node.pointee.name)
    }

    /// The names `<?xml-multiple name?>` announces among an element's children; a mark without a name announces
    /// the element right after it.
    private static func announcedArrays(in node: xmlNodePtr) -> [String] {
        var names: [String] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_PI_NODE, name(of: current) == "xml-multiple" {
                let data = current.pointee.content.map { String(cString: $0) }?.trimmingWhitespace() ?? ""
                if !data.isEmpty {
                    names.append(data)
                } else {
                    var next = current.pointee.next
                    while let candidate = next, candidate.pointee.type != XML_ELEMENT_NODE { next = candidate.pointee.next }
                    if let element = next { names.append(name(of: element)) }
                }
            }
            child = current.pointee.next
        }
        return names
    }

    private static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    private static func directText(of node: xmlNodePtr) -> String {
        var text = ""
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE {
                text += current.pointee.content.map { String(cString: $0) } ?? ""
            }
            child = current.pointee.next
        }
        return text
    }

    private static func value(of element: xmlNodePtr) -> JSONValue {
        let elements = children(of: element)
        var attributes: [(String, String)] = []
        var attribute = element.pointee.properties
        while let current = attribute {
            let text = current.pointee.children.map { XPathEngine.stringValue(of: $0) } ?? ""
            attributes.append((String(cString: current.pointee.name), text))
            attribute = current.pointee.next
        }
        let text = directText(of: element).trimmingWhitespace()
        let announced = announcedArrays(in: element)
        if elements.isEmpty && attributes.isEmpty && announced.isEmpty {
            return primitive(text)
        }
        var object = JSONObject()
        for (name, text) in attributes { object["@" + name] = primitive(text) }
        var order: [String] = []
        var grouped: [String: [JSONValue]] = [:]
        for child in elements {
            let key = name(of: child)
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(value(of: child))
        }
        for key in announced where grouped[key] == nil {
            order.append(key)
            grouped[key] = []
        }
        for key in order {
            guard let values = grouped[key] else { continue }
            let member = JSONXMLConverter.memberName(key)
            object[member] = values.count == 1 && !announced.contains(key) ? values[0] : .array(values)
        }
        if !text.isEmpty { object["$"] = primitive(text) }
        return .object(object)
    }

    private static func primitive(_ text: String) -> JSONValue {
        switch text {
        case "": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            if let number = try? JSONParser.parse(text), case .number = number { return number }
            return .string(text)
        }
    }
}
