/// Formats a decoding error's coding path the way API definitions name fields: `operations[2].verb`.
public enum CodingPath {
    /// The dotted field name for `path`, or the empty string for the document itself.
    public static func fieldName(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }
}
