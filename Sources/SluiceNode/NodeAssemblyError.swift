/// Why a node cannot be built from its settings.
public struct NodeAssemblyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the user should read.
    public var description: String

    /// `api-manager.xml` or `identity.xml` does not parse.
    public static func invalidConfiguration(_ details: String) -> NodeAssemblyError {
        NodeAssemblyError(description: "invalid configuration:\n\(details)")
    }

    /// A tier file does not parse.
    public static func invalidTierFiles(_ details: String) -> NodeAssemblyError {
        NodeAssemblyError(description: "invalid tier files:\n\(details)")
    }

    /// A server of the node has every listener switched off.
    public static func noListener(_ details: String) -> NodeAssemblyError {
        NodeAssemblyError(description: details)
    }

    /// A key store cannot be used: missing file, wrong password, key not matching its certificate.
    public static func keyStore(_ details: String) -> NodeAssemblyError {
        NodeAssemblyError(description: "TLS key store: \(details)")
    }

    /// The settings give the node nothing to run.
    public static let noRole = NodeAssemblyError(description: "api-manager.xml gives this node no role to play")
}
