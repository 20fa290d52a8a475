import Logging
import SluiceModel

/// Gives every request an id: reuses the client's (when trusted and well formed) or makes a random UUID,
/// forwards it to the backend, returns it to the client and puts it in the request logger's metadata.
///
/// Properties: `headerName` (default `X-Request-ID`), `trustIncoming` (`true`/`false`, default `true`),
/// `echoInResponse` (default `true`). The id is also stored in the default-scope property `sluice.request.id`.
public struct RequestIDHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = ["RequestIDHandler", "org.sluice.gateway.handlers.RequestIDHandler"]
    /// The default-scope property holding the id.
    public static let propertyName = "sluice.request.id"

    /// The header carrying the id.
    public let headerName: String
    /// Keep a well-formed id the client sent.
    public let trustIncoming: Bool
    /// Return the id to the client in the response.
    public let echoInResponse: Bool

    /// Creates the handler with explicit settings.
    public init(headerName: String = "X-Request-ID", trustIncoming: Bool = true, echoInResponse: Bool = true) {
        self.headerName = headerName
        self.trustIncoming = trustIncoming
        self.echoInResponse = echoInResponse
    }

    /// Creates the handler from its `<handler>` properties.
    /// - Throws: `MediationCompileError.invalidConfiguration` for a non-boolean flag or an empty header name.
    public init(spec: GatewayHandlerSpec) throws(MediationCompileError) {
        func flag(_ name: String, default value: Bool) throws(MediationCompileError) -> Bool {
            guard let text = spec[property: name] else { return value }
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default:
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "\(name) must be true or false"),
                    location: spec.location
                )
            }
        }
        let header = spec[property: "headerName"] ?? "X-Request-ID"
        guard !header.isEmpty,
            header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw MediationCompileError(
                .invalidConfiguration(className: spec.className, reason: "headerName must be a header name"),
                location: spec.location
            )
        }
        self.init(
            headerName: header,
            trustIncoming: try flag("trustIncoming", default: true),
            echoInResponse: try flag("echoInResponse", default: true)
        )
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        let id: String
        if trustIncoming, let incoming = context.headers.first(name: headerName), Self.isAcceptable(incoming) {
            id = incoming
        } else {
            id = Self.makeID()
            context.headers.replaceOrAdd(name: headerName, value: id)
        }
        context[property: Self.propertyName] = .string(id)
        context.logger[metadataKey: "sluice.request.id"] = .string(id)
        return .proceed
    }

    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        if echoInResponse, let id = context[property: Self.propertyName]?.stringValue {
            context.headers.replaceOrAdd(name: headerName, value: id)
        }
        return .proceed
    }

    /// Client ids are echoed into logs and headers, so only short visible-ASCII ones are kept.
    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// A random (version 4) UUID in lower-case text form.
    static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef")
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append("-") }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }
}
