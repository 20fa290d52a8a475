internal import CLibXML2

/// Converts an XML payload to JSON the way Synapse's JSON formatter does for `messageType=application/json` (its
/// staxon writer with Synapse's defaults), so that `JSONXMLConverter`'s XML comes back as the JSON it was made of:
///
/// - `<jsonObject>` is unwrapped, `<jsonArray>` becomes an array of its children, `<jsonValue>` the JSON text it
///   holds, a SOAP envelope gives its body's first element, and any other root becomes a one-member object;
/// - child elements become members; consecutive repeats of a name and a name announced by
///   `<?xml-multiple name?>` (or a bare `<?xml-multiple?>` before it) become an array, an announced name without
///   elements an empty array; an element holding only a `<jsonArray>` or `<jsonObject>` is that array or object;
/// - attributes become `@name` members (strings, as Synapse leaves them), the text beside them `$`;
/// - an empty element is `null`; text reading as a JSON number, `true`, `false` or `null` becomes that primitive,
///   other text stays a string as written (whitespace-only text between elements is indentation and dropped);
/// - namespace prefixes and declarations are dropped, Synapse's `_JsonReader_` name codes undone.
///
/// Where Synapse fails or writes broken JSON this keeps the data: text mixed with elements becomes `$` (Synapse
/// refuses it), and a name repeated apart from its first run joins the same array (Synapse writes the key twice).
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
            let value = value(of: root)
            return value == .null ? .object(JSONObject()) : value
        case "jsonArray":
            return array(of: root)
        case "jsonValue":
            let text = directText(of: root)
            return (try? JSONParser.parse(text)) ?? primitive(text)
        default:
            var object = JSONObject()
            object[JSONXMLConverter.memberName(name(of: root))] = value(of: root)
            return .object(object)
        }
    }

    private static func name(of node: xmlNodePtr) -> String {
        String(cString: node.pointee.name)
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

    /// A `<jsonArray>`'s children as an array, whatever their names.
    private static func array(of element: xmlNodePtr) -> JSONValue {
        .array(children(of: element).map(value(of:)))
    }

    /// One member being collected: its values, and whether it is an array even with one value or none.
    private struct Member {
        var values: [JSONValue] = []
        var isArray = false
    }

    private static func value(of element: xmlNodePtr) -> JSONValue {
        var attributes: [(String, String)] = []
        var attribute = element.pointee.properties
        while let current = attribute {
            let text = current.pointee.children.map { XPathEngine.stringValue(of: $0) } ?? ""
            attributes.append((String(cString: current.pointee.name), text))
            attribute = current.pointee.next
        }
        var order: [String] = []
        var members: [String: Member] = [:]
        var elementCount = 0
        var announcedNext = false
        var child = element.pointee.children
        while let current = child {
            child = current.pointee.next
            if current.pointee.type == XML_PI_NODE, name(of: current) == "xml-multiple" {
                let announced = current.pointee.content.map { String(cString: $0) }?.trimmingWhitespace() ?? ""
                if announced.isEmpty {
                    announcedNext = true
                } else {
                    if members[announced] == nil { order.append(announced) }
                    members[announced, default: Member()].isArray = true
                }
                continue
            }
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            elementCount += 1
            let key = JSONXMLConverter.memberName(name(of: current))
            if members[key] == nil { order.append(key) }
            var member = members[key, default: Member()]
            if announcedNext || !member.values.isEmpty { member.isArray = true }
            announcedNext = false
            member.values.append(value(of: current))
            members[key] = member
        }
        let rawText = directText(of: element)
        let text = rawText.allSatisfy(\.isWhitespace) ? "" : rawText
        if order.isEmpty && attributes.isEmpty {
            return primitive(text)
        }
        // An array inside an array, or an object Synapse wrapped, comes back as what it wraps.
        if attributes.isEmpty, text.isEmpty, elementCount == 1, order.count == 1, let only = members[order[0]],
            !only.isArray
        {
            if order[0] == "jsonArray", let wrapper = children(of: element).first { return array(of: wrapper) }
            if order[0] == "jsonObject" { return only.values[0] }
        }
        var object = JSONObject()
        for (name, value) in attributes { object["@" + JSONXMLConverter.memberName(name)] = .string(value) }
        for key in order {
            guard let member = members[key] else { continue }
            object[key] = member.isArray || member.values.count != 1 ? .array(member.values) : member.values[0]
        }
        if !text.isEmpty { object["$"] = primitive(text) }
        return .object(object)
    }

    /// Text as Synapse's auto-primitive reads it: `true`, `false`, `null` and JSON number syntax become those
    /// values, empty text `null`, anything else (`007`, ` 1`, `+1`) stays a string.
    private static func primitive(_ text: String) -> JSONValue {
        switch text {
        case "": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            guard let first = text.unicodeScalars.first, first == "-" || ("0"..."9").contains(first),
                let last = text.unicodeScalars.last, ("0"..."9").contains(last),
                let number = try? JSONParser.parse(text), case .number = number
            else { return .string(text) }
            return number
        }
    }
}
