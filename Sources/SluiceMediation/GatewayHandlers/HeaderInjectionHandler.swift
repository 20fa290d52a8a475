import SluiceModel

/// Sets fixed headers on requests and responses, configured by `<property>` elements named
/// `request:<Header>` or `response:<Header>`; an empty value removes the header.
///
/// ```xml
/// <handler class="HeaderInjectionHandler">
///   <property name="request:X-Gateway" value="sluice"/>
///   <property name="response:Server" value=""/>
/// </handler>
/// ```
public struct HeaderInjectionHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = ["HeaderInjectionHandler", "org.sluice.gateway.handlers.HeaderInjectionHandler"]

    /// Header edits in property order: name and value (empty = remove).
    public let requestHeaders: [(name: String, value: String)]
    /// Header edits applied to responses, in property order.
    public let responseHeaders: [(name: String, value: String)]

    /// Creates the handler from its `<handler>` properties.
    /// - Throws: `MediationCompileError.invalidConfiguration` for a property without a `request:`/`response:`
    ///   prefix or with an empty header name.
    public init(spec: GatewayHandlerSpec) throws(MediationCompileError) {
        var requestHeaders: [(name: String, value: String)] = []
        var responseHeaders: [(name: String, value: String)] = []
        for property in spec.properties {
            let parts = property.name.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw MediationCompileError(
                    .invalidConfiguration(
                        className: spec.className,
                        reason: "property '\(property.name)' must be named request:<Header> or response:<Header>"
                    ),
                    location: spec.location
                )
            }
            switch parts[0] {
            case "request": requestHeaders.append((String(parts[1]), property.value))
            case "response": responseHeaders.append((String(parts[1]), property.value))
            default:
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "unknown direction '\(parts[0])'"),
                    location: spec.location
                )
            }
        }
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        Self.apply(requestHeaders, to: &context)
        return .proceed
    }

    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        Self.apply(responseHeaders, to: &context)
        return .proceed
    }

    private static func apply(_ edits: [(name: String, value: String)], to context: inout MessageContext) {
        for edit in edits {
            if edit.value.isEmpty {
                context.headers.remove(name: edit.name)
            } else {
                context.headers.replaceOrAdd(name: edit.name, value: edit.value)
            }
        }
    }
}
