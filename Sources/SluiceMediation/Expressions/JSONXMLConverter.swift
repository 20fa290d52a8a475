internal import SluiceXML

/// Converts JSON to the XML Synapse builds for JSON payloads, so XPath works over JSON bodies:
/// an object becomes `<jsonObject>` with one element per member, a top-level array `<jsonArray>` with
/// `<jsonElement>` children, and array members repeat their element.
enum JSONXMLConverter {
    static func xml(for value: JSONValue) -> String {
        var output = ""
        switch value {
        case .array(let elements):
            output += "<jsonArray>"
            for element in elements { write(element, name: "jsonElement", to: &output) }
            output += "</jsonArray>"
        case .object:
            write(value, name: "jsonObject", to: &output)
        default:
            write(value, name: "jsonValue", to: &output)
        }
        return output
    }

    private static func write(_ value: JSONValue, name: String, to output: inout String) {
        let element = safeName(name)
        switch value {
        case .null:
            output += "<\(element)/>"
        case .bool, .number, .string:
            output += "<\(element)>\(XMLEscaping.escape(value.textValue))</\(element)>"
        case .array(let elements):
            for inner in elements { write(inner, name: name, to: &output) }
        case .object(let object):
            output += "<\(element)>"
            for key in object.keys {
                if let member = object[key] { write(member, name: key, to: &output) }
            }
            output += "</\(element)>"
        }
    }

    /// Member names that are not XML names get their bad characters replaced by `_`.
    private static func safeName(_ name: String) -> String {
        var result = ""
        for (offset, character) in name.enumerated() {
            let allowed =
                character.isLetter || character == "_"
                || (offset > 0 && (character.isNumber || character == "-" || character == "."))
            result.append(allowed ? character : "_")
        }
        return result.isEmpty ? "_" : result
    }
}
