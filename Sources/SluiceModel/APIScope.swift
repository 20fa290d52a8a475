/// An OAuth2 scope an API declares for its resources (`scopes[]` of WSO2's publisher `APIDTO`: an `APIScope`
/// wrapping a `Scope`), with the roles whose users may obtain it.
///
/// ```json
/// {"scope": {"name": "order_admin", "displayName": "Order admin", "bindings": ["admin"]}, "shared": false}
/// ```
///
/// The token endpoint grants a declared scope only to users holding one of its `bindings` (for
/// `client_credentials`: the application's owner). A scope bound to no role may be obtained by anyone, as in WSO2.
public struct APIScope: Sendable, Hashable, Codable {
    /// WSO2's `Scope`: the name a token carries, labels, and the roles bound to it.
    public struct Scope: Sendable, Hashable, Codable {
        /// The scope as tokens carry it (`order_admin`).
        public var name: String
        /// A label for the portals.
        public var displayName: String?
        /// What the scope allows.
        public var description: String?
        /// The roles whose users may obtain the scope; empty means everyone may.
        public var bindings: [String]

        /// Creates a scope.
        public init(name: String, displayName: String? = nil, description: String? = nil, bindings: [String] = []) {
            self.name = name
            self.displayName = displayName
            self.description = description
            self.bindings = bindings
        }

        private enum CodingKeys: String, CodingKey {
            case name, displayName, description, bindings
        }

        /// Decodes a scope; absent bindings are an empty list.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try container.decode(String.self, forKey: .name),
                displayName: try container.decodeIfPresent(String.self, forKey: .displayName),
                description: try container.decodeIfPresent(String.self, forKey: .description),
                bindings: try container.decodeIfPresent([String].self, forKey: .bindings) ?? []
            )
        }
    }

    /// The scope.
    public var scope: Scope
    /// WSO2's shared scopes (declared once, used by several APIs); kept for compatibility, not enforced apart.
    public var shared: Bool

    /// Creates a declaration.
    public init(scope: Scope, shared: Bool = false) {
        self.scope = scope
        self.shared = shared
    }

    /// Creates a declaration from a name and role bindings.
    public init(name: String, bindings: [String], displayName: String? = nil, description: String? = nil) {
        self.init(scope: Scope(name: name, displayName: displayName, description: description, bindings: bindings))
    }

    private enum CodingKeys: String, CodingKey {
        case scope, shared
    }

    /// Decodes a declaration; `shared` defaults to false.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            scope: try container.decode(Scope.self, forKey: .scope),
            shared: try container.decodeIfPresent(Bool.self, forKey: .shared) ?? false
        )
    }

    /// The scope's name.
    public var name: String { scope.name }
    /// The roles bound to the scope.
    public var bindings: [String] { scope.bindings }
}
