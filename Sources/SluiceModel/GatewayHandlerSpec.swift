/// `<handler class="..."><property name= value=/></handler>`: one entry of an API's handler chain.
public struct GatewayHandlerSpec: Sendable, Hashable {
    /// The class name as written, e.g. `org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler`.
    public var className: String
    /// Handler properties in document order (names may repeat; the last one wins when looked up).
    public var properties: [Property]
    @DiagnosticOnly public var location: SourceLocation?

    public init(className: String, properties: [Property] = [], location: SourceLocation? = nil) {
        self.className = className
        self.properties = properties
        self.location = location
    }

    /// The value of the last property called `name`.
    public subscript(property name: String) -> String? {
        properties.last(where: { $0.name == name })?.value
    }

    public struct Property: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}
