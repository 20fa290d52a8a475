/// Synapse's dynamic keys: a key written `{expression}` (`<sequence key="{get-property('next')}"/>`,
/// `<endpoint key-expression="$ctx:target"/>`) is evaluated for each message and names the artifact to use.
public enum DynamicKey {
    /// The expression text of a `{...}` key, nil for a static key.
    public static func expressionText(_ key: String) -> String? {
        let trimmed = key.trimmingWhitespace()
        guard trimmed.count > 2, trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else { return nil }
        return String(trimmed.dropFirst().dropLast())
    }

    /// The key text for an expression: `{expression}`.
    public static func key(for expression: String) -> String { "{" + expression + "}" }
}
