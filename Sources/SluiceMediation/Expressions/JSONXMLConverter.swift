internal import SluiceXML

/// Converts JSON to the XML Synapse's JSON builder makes of it (its staxon reader with Synapse's defaults), so
/// XPath works over JSON bodies and an XML message type can be written:
///
/// - a top-level object becomes `<jsonObject>` with one element per member, a top-level array `<jsonArray>` with
///   `<jsonElement>` members, a top-level primitive `<jsonValue>` holding its JSON text;
/// - an array member repeats its element; with `multipleMarks` (synapse.properties'
///   `synapse.json.to.xml.process.instruction.enable`) the run is announced by `<?xml-multiple name?>` (the JSON
///   name) so that even a one-element or empty array becomes an array again on the way back, without it (WSO2
///   4.x's default) a one-element array reads back as its element and an empty one leaves nothing; an array
///   inside an array becomes an element holding a `<jsonArray>` of `<jsonElement>`s;
/// - numbers (as written), booleans and strings become text; `null` and `{}` an empty element;
/// - a member `@name` becomes an attribute, a member `$` the element's text;
/// - a name starting with a digit gets the prefix `_JsonReader_PD_`, a leading `$` becomes `_JsonReader_PS_`,
///   and a character an XML name cannot hold becomes `_JsonReader_<code point>_` (Synapse does that last step only
///   with `synapse.commons.json.buildValidNCNames`; without it Synapse writes XML that cannot be read back).
///   `XMLJSONConverter` undoes all three.
enum JSONXMLConverter {
    /// Synapse's prefix for member names that start with a digit.
    static let precedingDigitPrefix = "_JsonReader_PD_"
    /// Synapse's replacement for a leading `$` in member names.
    static let precedingDollarPrefix = "_JsonReader_PS_"
    /// Synapse's marker around the code point of a character that cannot stand in an XML name.
    static let characterCodePrefix = "_JsonReader_"

    /// The XML for `value`.
    /// - Parameter multipleMarks: Write `<?xml-multiple?>` before array members.
    static func xml(for value: JSONValue, multipleMarks: Bool) -> String {
        var writer = Writer(multipleMarks: multipleMarks)
        switch value {
        case .array(let elements):
            writer.writeAnonymousArray(elements)
        case .object:
            writer.writeElement(value, name: "jsonObject")
        default:
            writer.output += "<jsonValue>\(XMLEscaping.text(value.description))</jsonValue>"
        }
        return writer.output
    }

    private struct Writer {
        let multipleMarks: Bool
        var output = ""

        init(multipleMarks: Bool) { self.multipleMarks = multipleMarks }

        /// `<jsonArray>` with the elements as `<jsonElement>`s: a top-level array, or an array inside an array.
        mutating func writeAnonymousArray(_ elements: [JSONValue]) {
            output += "<jsonArray>"
            writeArray(elements, name: "jsonElement")
            output += "</jsonArray>"
        }

        mutating func writeArray(_ elements: [JSONValue], name: String) {
            if multipleMarks { output += "<?xml-multiple \(name)?>" }
            for element in elements {
                if case .array(let nested) = element {
                    let tag = elementName(name)
                    output += "<\(tag)>"
                    writeAnonymousArray(nested)
                    output += "</\(tag)>"
                } else {
                    writeElement(element, name: name)
                }
            }
        }

        mutating func writeElement(_ value: JSONValue, name: String) {
            let tag = elementName(name)
            switch value {
            case .null:
                output += "<\(tag)/>"
            case .bool, .number, .string:
                output += "<\(tag)>\(XMLEscaping.text(value.textValue))</\(tag)>"
            case .array(let elements):
                writeArray(elements, name: name)
            case .object(let object):
                output += "<\(tag)"
                for key in object.keys where key.hasPrefix("@") && key.count > 1 {
                    let value = object.values[key, default: .null]
                    let text = value == .null ? "" : value.textValue
                    output += " \(elementName(String(key.dropFirst())))=\"\(XMLEscaping.attribute(text))\""
                }
                let content = object.keys.filter { !($0.hasPrefix("@") && $0.count > 1) }
                if content.isEmpty {
                    output += "/>"
                    return
                }
                output += ">"
                for key in content {
                    let member = object.values[key, default: .null]
                    if key == "$" {
                        if member != .null { output += XMLEscaping.text(member.textValue) }
                    } else {
                        writeElement(member, name: key)
                    }
                }
                output += "</\(tag)>"
            }
        }
    }

    /// The element name Synapse writes for a member name.
    static func elementName(_ name: String) -> String {
        guard let first = name.first else { return "_" }
        var name = Substring(name)
        var result = ""
        if first.isASCII && first.isNumber {
            result = precedingDigitPrefix
        } else if first == "$" {
            result = precedingDollarPrefix
            name = name.dropFirst()
        }
        let startsName = result.isEmpty
        for (offset, character) in name.enumerated() {
            let allowed =
                character.isLetter || character == "_"
                || ((offset > 0 || !startsName) && (character.isNumber || character == "-" || character == "."))
            if allowed {
                result.append(character)
            } else {
                for scalar in character.unicodeScalars { result += "\(characterCodePrefix)\(scalar.value)_" }
            }
        }
        return result
    }

    /// The member name for an element name Synapse wrote (its prefixes and character codes undone).
    static func memberName(_ element: String) -> String {
        guard element.contains(characterCodePrefix) else { return element }
        var rest = Substring(element)
        var result = ""
        if rest.hasPrefix(precedingDigitPrefix) {
            rest = rest.dropFirst(precedingDigitPrefix.count)
        } else if rest.hasPrefix(precedingDollarPrefix) {
            rest = rest.dropFirst(precedingDollarPrefix.count)
            result = "$"
        }
        while let range = rest.firstRange(of: characterCodePrefix) {
            result += rest[..<range.lowerBound]
            let digits = rest[range.upperBound...].prefix(while: { $0.isASCII && $0.isNumber })
            let end = rest.index(range.upperBound, offsetBy: digits.count)
            if !digits.isEmpty, end < rest.endIndex, rest[end] == "_", let code = UInt32(digits),
                let scalar = Unicode.Scalar(code), code > 0
            {
                result.unicodeScalars.append(scalar)
                rest = rest[rest.index(after: end)...]
            } else {
                result += rest[range]
                rest = rest[range.upperBound...]
            }
        }
        return result + rest
    }
}
