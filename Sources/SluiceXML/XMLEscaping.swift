/// Escaping for text placed into XML documents: the one escaper the artifact writers, fault bodies and mediators
/// share.
public enum XMLEscaping {
    /// Escapes `& < > " '` so `text` can stand in element content or an attribute value.
    public static func escape(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            default: nil
            }
        }
    }

    /// Escapes element content for the artifact writers: `& < >`, and carriage returns as references so they
    /// survive line-end normalization.
    public static func text(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\r": "&#13;"
            default: nil
            }
        }
    }

    /// Escapes an attribute value written in double quotes; whitespace characters become references so they
    /// survive attribute-value normalization.
    public static func attribute(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "\n": "&#10;"
            case "\r": "&#13;"
            case "\t": "&#9;"
            default: nil
            }
        }
    }

    private static func escaped(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        // Most text needs no escaping: return it without building a copy.
        guard text.unicodeScalars.contains(where: { replacement($0) != nil }) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if let entity = replacement(scalar) {
                output += entity
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
