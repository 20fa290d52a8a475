internal import SluiceXML

/// Converts JSON to the XML Synapse's JSON builder makes of it (staxon with Synapse's defaults), so XPath works
/// over JSON bodies and an XML message type can be written:
///
/// - an object becomes `<jsonObject>` with one element per member; a top-level array `<jsonArray>` with
///   `<jsonElement>` children; a top-level primitive `<jsonValue>`;
/// - an array member repeats its element, announced by `<?xml-multiple name?>` so that even a one-element or
///   empty array becomes an array again on the way back;
/// - numbers, booleans and strings become text, `null` an empty element;
/// - a name starting with a digit gets the prefix `_JsonReader_PD_`, one starting with `$` has it replaced by
///   `_JsonReader_PS_` (both undone on the way back); other characters an XML name cannot hold become `_`.
enum JSONXMLConverter {
    /// Synapse's prefix for member names that start with a digit.
    static let precedingDigitPrefix = "_JsonReader_PD_"
    /// Synapse's replacement for a leading `$` in member names.
    static let precedingDollarPrefix = "_JsonReader_PS_"

    /// The XML for `value`.
    /// - Parameter multipleMarks: Write `<?xml-multiple?>` before array members (the message body); false for
    ///   XML that only its elements matter in (a payloadFactory argument).
    static func xml(for value: JSONValue, multipleMarks: Bool = true) -> String {
        var output = ""
        switch value {
        case .array(let elements):
            output += "<jsonArray>"
            writeArray(elements, name: "jsonElement", multipleMarks: multipleMarks, to: &output)
            output += "</jsonArray>"
        case .object:
            write(value, name: "jsonObject", multipleMarks: multipleMarks, to: &output)
        default:
            write(value, name: "jsonValue", multipleMarks: multipleMarks, to: &output)
        }
        return output
    }

    private static func write(_ value: JSONValue, name: String, multipleMarks: Bool, to output: inout String) {
        let element = elementName(name)
        switch value {
        case .null:
            output += "<\(element)/>"
        case .bool, .number, .string:
            output += "<\(element)>\(XMLEscaping.escape(value.textValue))</\(element)>"
        case .array(let elements):
            writeArray(elements, name: name, multipleMarks: multipleMarks, to: &output)
        case .object(let object):
            output += "<\(element)>"
            for key in object.keys {
                if let member = object[key] { write(member, name: key, multipleMarks: multipleMarks, to: &output) }
            }
            output += "</\(element)>"
        }
    }

    private static func writeArray(_ elements: [JSONValue], name: String, multipleMarks: Bool, to output: inout String) {
        if multipleMarks { output += "<?xml-multiple \(elementName(name))?>" }
        for inner in elements {
            // An array inside an array has no name of its own: its members repeat the same element.
            if case .array(let nested) = inner {
                for member in nested { write(member, name: name, multipleMarks: multipleMarks, to: &output) }
            } else {
                write(inner, name: name, multipleMarks: multipleMarks, to: &output)
            }
        }
    }

    /// The element name Synapse writes for a member name.
    static func elementName(_ name: String) -> String {
        guard let first = name.first else { return "_" }
        var name = name
        if first.isASCII && first.isNumber {
            name = precedingDigitPrefix + name
        } else if first == "$" {
            name = precedingDollarPrefix + name.dropFirst()
        }
        var result = ""
        for (offset, character) in name.enumerated() {
            let allowed =
                character.isLetter || character == "_"
                || (offset > 0 && (character.isNumber || character == "-" || character == "."))
            result.append(allowed ? character : "_")
        }
        return result
    }

    /// The member name for an element name Synapse wrote (the prefixes undone).
    static func memberName(_ element: String) -> String {
        if element.hasPrefix(precedingDigitPrefix) { return String(element.dropFirst(precedingDigitPrefix.count)) }
        if element.hasPrefix(precedingDollarPrefix) { return "$" + element.dropFirst(precedingDollarPrefix.count) }
        return element
    }
}
