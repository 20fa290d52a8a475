public import Foundation

/// Settings of the web portals served on the management port.
public struct PortalConfiguration: Sendable {
    /// Whether the session cookie carries `Secure`. Keep it on; switch it off only for plain http on loopback.
    public var secureCookies: Bool
    /// The gateway's base URL (`http://127.0.0.1:8280`), for the ready-to-paste `curl` commands; nil hides them.
    public var gatewayBaseURL: String?
    /// A session unused this long is gone.
    public var idleTimeout: TimeInterval
    /// A session older than this is gone however busy it is.
    public var absoluteTimeout: TimeInterval
    /// Signing in once more past this many sessions ends the user's oldest one.
    public var maximumSessionsPerUser: Int
    /// The most sessions kept in memory (signed in or not); the least recently used go first.
    public var maximumSessions: Int
    /// The largest form body accepted, in bytes (the publisher's XML source view is the largest form).
    public var maximumFormSize: Int
    /// The time source for session expiry (tests move it forward).
    public var now: @Sendable () -> Date

    /// Creates a configuration.
    public init(
        secureCookies: Bool = true,
        gatewayBaseURL: String? = nil,
        idleTimeout: TimeInterval = 30 * 60,
        absoluteTimeout: TimeInterval = 8 * 60 * 60,
        maximumSessionsPerUser: Int = 10,
        maximumSessions: Int = 10_000,
        maximumFormSize: Int = 512 * 1024,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.secureCookies = secureCookies
        self.gatewayBaseURL = gatewayBaseURL
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.maximumSessionsPerUser = maximumSessionsPerUser
        self.maximumSessions = maximumSessions
        self.maximumFormSize = maximumFormSize
        self.now = now
    }
}

extension PortalConfiguration {
    /// The settings `sluice server` uses: `Secure` cookies unless the server listens on loopback only (plain
    /// http there is the developer's own machine; from other machines the portals are used over HTTPS), and the
    /// gateway's URL for the `curl` examples (HTTPS when the gateway serves only that).
    /// - Parameters:
    ///   - bindAddress: The address the servers bind.
    ///   - gatewayPort: The gateway's HTTP port on this node; nil when this node runs no gateway or it is off.
    ///   - gatewayHTTPSPort: The gateway's HTTPS port on this node; nil when none.
    public static func server(bindAddress: String, gatewayPort: Int?, gatewayHTTPSPort: Int? = nil) -> PortalConfiguration {
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(bindAddress)
        let host =
            switch bindAddress {
            case "0.0.0.0", "::", "": "localhost"
            case let address where address.contains(":"): "[\(address)]"
            case let address: address
            }
        let gatewayBaseURL = gatewayPort.map { "http://\(host):\($0)" } ?? gatewayHTTPSPort.map { "https://\(host):\($0)" }
        return PortalConfiguration(secureCookies: !loopback, gatewayBaseURL: gatewayBaseURL)
    }
}
