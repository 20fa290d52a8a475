public import SluiceModel
import Synchronization

/// The lifecycle state of each API version as the publisher last set it, so the gateway refuses calls to a
/// BLOCKED API (900907) even before the blocked artifact is redeployed.
///
/// APIs are keyed by context without its version segment plus version, so `/pizzashack/1.0.0` + `1.0.0` and
/// `/pizzashack` + `1.0.0` name the same API.
public final class APIStatusRegistry: Sendable {
    private let states = Mutex<[String: APILifecycleState]>([:])

    /// An empty registry: every API counts as published.
    public init() {}

    /// Records the state of an API version.
    /// - Parameters:
    ///   - state: The new lifecycle state.
    ///   - context: The API context (with or without the version segment).
    ///   - version: The API version.
    public func setState(_ state: APILifecycleState, context: String, version: String) {
        let key = Self.key(context: context, version: version)
        states.withLock { $0[key] = state }
    }

    /// The recorded state of an API version, or nil when the publisher never reported one.
    public func state(context: String, version: String) -> APILifecycleState? {
        let key = Self.key(context: context, version: version)
        return states.withLock { $0[key] }
    }

    private static func key(context: String, version: String) -> String {
        var segments = context.split(separator: "/")
        segments.removeAll { $0 == "{version}" }
        if !version.isEmpty, segments.last.map({ $0 == version }) == true { segments.removeLast() }
        return "/" + segments.joined(separator: "/") + ":" + version
    }
}
