public import SluiceModel

/// Which APIs a list wants, by the columns storage can filter on, so a list loads only the APIs it may show
/// (the devportal never loads created, retired or, for anonymous callers, non-public APIs).
public struct APIFilter: Sendable, Hashable {
    /// The lifecycle states to include; nil includes every state.
    public var states: Set<APILifecycleState>?
    /// The visibilities to include (`PUBLIC`, `PRIVATE`, `RESTRICTED`); nil includes every visibility.
    public var visibilities: Set<String>?

    /// Creates a filter; the defaults include every API.
    public init(states: Set<APILifecycleState>? = nil, visibilities: Set<String>? = nil) {
        self.states = states
        self.visibilities = visibilities
    }

    /// Whether `api` passes: the meaning every implementation of ``APIRepository/apis(matching:)`` follows.
    public func matches(_ api: APIRecord) -> Bool {
        (states?.contains(api.lifecycleState) ?? true) && (visibilities?.contains(api.visibility) ?? true)
    }
}
