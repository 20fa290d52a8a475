import SluiceModel

/// The request's query read as Synapse fills `query.param.*` (`ApiUtils.populateQueryParamsToMessageContext`).
///
/// The query is split on `&`; a part with `=` sets the parameter named by the text before it, exactly as written
/// (not decoded), to the decoded text after it (`+` read as a space), and a later part of the same name wins. A
/// part without `=` is taken to be a value's own `&`: Synapse appends `&` and the part, as written, to the
/// parameter set just before it. (A part without `=` before any named one is ignored; Synapse files it under the
/// name `null`.)
public enum QueryParameters {
    /// The value of `query.param.<name>`, or nil when the query does not set it.
    /// - Parameters:
    ///   - name: The parameter name as written in the query.
    ///   - query: The text after `?`.
    public static func value(named name: Substring, in query: Substring) -> String? {
        var value: String?
        var lastIsName = false
        // Java's `split` keeps empty parts inside the query and drops those at its end.
        var parts = query.split(separator: "&", omittingEmptySubsequences: false)[...]
        while parts.last?.isEmpty == true { parts = parts.dropLast() }
        for part in parts {
            if let equals = part.utf8.firstIndex(of: UInt8(ascii: "=")) {
                lastIsName = part[..<equals] == name
                if lastIsName { value = PercentEncoding.decode(part[part.utf8.index(after: equals)...], plusAsSpace: true) }
            } else if lastIsName, let current = value {
                value = current + "&" + part
            }
        }
        return value
    }

    /// `query` without the parameter `name` (as ``value(named:in:)`` reads it: the part `name=...` and the
    /// `=`-less parts that continue its value); the other parts keep their order and spelling.
    /// - Parameters:
    ///   - name: The parameter name as written in the query.
    ///   - query: The text after `?`.
    public static func removing(named name: Substring, from query: Substring) -> String {
        var kept: [Substring] = []
        var removing = false
        for part in query.split(separator: "&", omittingEmptySubsequences: false) {
            if let equals = part.utf8.firstIndex(of: UInt8(ascii: "=")) {
                removing = part[..<equals] == name
            }
            if !removing { kept.append(part) }
        }
        return kept.joined(separator: "&")
    }

    /// The first parameter whose value has a malformed `%` escape, which Synapse refuses with 400; nil when every
    /// value decodes.
    public static func malformedParameter(in query: Substring) -> Substring? {
        // Most queries have no escape at all.
        guard query.utf8.contains(UInt8(ascii: "%")) else { return nil }
        for part in query.split(separator: "&") {
            guard let equals = part.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            if !PercentEncoding.isWellFormed(part[part.utf8.index(after: equals)...]) { return part[..<equals] }
        }
        return nil
    }
}
