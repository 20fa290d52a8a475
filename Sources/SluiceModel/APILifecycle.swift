/// The lifecycle states of a published API (WSO2 `APILifeCycle.xml`).
public enum APILifecycleState: String, Sendable, Hashable, CaseIterable, Codable {
    case created = "CREATED"
    case prototyped = "PROTOTYPED"
    case published = "PUBLISHED"
    case blocked = "BLOCKED"
    case deprecated = "DEPRECATED"
    case retired = "RETIRED"

    /// The actions allowed from this state, and where each leads.
    public var transitions: [LifecycleAction: APILifecycleState] {
        switch self {
        // A new API can go live or be tried out as a prototype.
        case .created: [.publish: .published, .deployAsPrototype: .prototyped]
        // A prototype either goes live or back to the drawing board.
        case .prototyped: [.publish: .published, .demoteToCreated: .created]
        case .published:
            [
                .block: .blocked, .deprecate: .deprecated, .demoteToCreated: .created,
                .demoteToPrototyped: .prototyped, .publish: .published,
            ]
        case .blocked: [.republish: .published, .deprecate: .deprecated]
        case .deprecated: [.retire: .retired]
        // Retired is final.
        case .retired: [:]
        }
    }

    /// The state `action` leads to, or nil when the action is not allowed here.
    public func applying(_ action: LifecycleAction) -> APILifecycleState? { transitions[action] }

    /// Whether the gateway serves the API in this state (blocked APIs serve the 700700 resource).
    public var isDeployed: Bool {
        switch self {
        case .published, .prototyped, .deprecated, .blocked: true
        case .created, .retired: false
        }
    }
}

/// Lifecycle actions as WSO2's publisher names them.
public enum LifecycleAction: String, Sendable, Hashable, CaseIterable, Codable {
    case publish = "Publish"
    case deployAsPrototype = "Deploy as a Prototype"
    case demoteToCreated = "Demote to Created"
    case demoteToPrototyped = "Demote to Prototyped"
    case block = "Block"
    case deprecate = "Deprecate"
    case republish = "Re-Publish"
    case retire = "Retire"
}
