import NIOConcurrencyHelpers
public import SluiceMediation
import SluiceModel

/// Everything the gateway serves, compiled: built whole at deploy time, never changed afterwards, and swapped
/// atomically. A request keeps the snapshot it started with until it completes.
public final class DeploymentSnapshot: Sendable {
    /// Increases with every swap.
    public let generation: Int
    /// The deployed APIs, in the order the router indexes them.
    public let apis: [DeployedAPI]
    /// The named sequences (`main`, `fault`, …) and named endpoints.
    public let program: MediationProgram
    /// Dispatch for the plain HTTP listener.
    let router: APIRouter
    /// Dispatch for the HTTPS listener (`transports`, resource `protocol` and the default port differ).
    let secureRouter: APIRouter

    init(generation: Int, apis: [DeployedAPI], program: MediationProgram) {
        self.generation = generation
        self.apis = apis
        self.program = program
        let definitions = apis.map(\.compiled.definition)
        self.router = APIRouter(apis: definitions)
        self.secureRouter = APIRouter(apis: definitions, isSecure: true)
    }

    /// The router for a listener's transport.
    func router(for transport: SynapseAPI.Transport) -> APIRouter {
        transport == .https ? secureRouter : router
    }

    /// An empty deployment: every request gets the default `main` answer (404).
    static let empty = DeploymentSnapshot(generation: 0, apis: [], program: .empty)
}

/// One API ready to serve, and the file it came from.
public struct DeployedAPI: Sendable {
    /// The compiled API: definition, handler chain, resources.
    public let compiled: CompiledAPI
    /// The artifact file it came from.
    public let path: String
    /// What handlers need to know about each resource (document order), built here once per deployment.
    public let dispatched: [DispatchedResource]

    init(compiled: CompiledAPI, path: String) {
        self.compiled = compiled
        self.path = path
        self.dispatched = compiled.definition.resources.map {
            DispatchedResource(api: compiled.definition, resource: $0)
        }
    }
}

/// Holds the current snapshot: one short lock per request to read it, one per deployment to replace it.
public final class DeploymentSnapshotStore: Sendable {
    private let box = NIOLockedValueBox(DeploymentSnapshot.empty)

    /// The snapshot new requests use.
    public var current: DeploymentSnapshot { box.withLockedValue { $0 } }

    func replace(_ snapshot: DeploymentSnapshot) {
        box.withLockedValue { $0 = snapshot }
    }
}
