public import SluiceModel
import Synchronization

/// The lifecycle state of each API version as the publisher last set it, so the gateway refuses calls to a
/// BLOCKED API (900907) as soon as the publisher blocks it, before the blocked artifact is redeployed.
///
/// `sluice server` fills it from storage at start and from every lifecycle change
/// (`APIManagerConfiguration.onLifecycleChange`). APIs are keyed by context without its version segment plus
/// version, so `/pizzashack/1.0.0` + `1.0.0` and `/pizzashack` + `1.0.0` name the same API.
public final class APIStatusRegistry: Sendable {
    private let states = Mutex<[String: APILifecycleState]>([:])
    /// How many recorded APIs are BLOCKED: while none is, ``isBlocked(context:version:)`` answers without a
    /// lock or a key, which is the common case on the request path.
    private let blockedCount = Atomic<Int>(0)

    /// An empty registry: every API counts as published.
    public init() {}

    /// Records the state of an API version.
    /// - Parameters:
    ///   - state: The new lifecycle state.
    ///   - context: The API context (with or without the version segment).
    ///   - version: The API version.
    public func setState(_ state: APILifecycleState, context: String, version: String) {
        let key = Self.key(context: context, version: version)
        states.withLock { states in
            let previous = states.updateValue(state, forKey: key)
            let delta = (state == .blocked ? 1 : 0) - (previous == .blocked ? 1 : 0)
            if delta != 0 { blockedCount.add(delta, ordering: .releasing) }
        }
    }

    /// The recorded state of an API version, or nil when the publisher never reported one.
    public func state(context: String, version: String) -> APILifecycleState? {
        let key = Self.key(context: context, version: version)
        return states.withLock { $0[key] }
    }

    /// True when the publisher reported the API version BLOCKED.
    public func isBlocked(context: String, version: String) -> Bool {
        guard blockedCount.load(ordering: .acquiring) > 0 else { return false }
        return state(context: context, version: version) == .blocked
    }

    private static func key(context: String, version: String) -> String {
        var segments = context.split(separator: "/")
        segments.removeAll { $0 == "{version}" }
        if !version.isEmpty, segments.last.map({ $0 == version }) == true { segments.removeLast() }
        return "/" + segments.joined(separator: "/") + ":" + version
    }
}
