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
    let router: APIRouter

    init(generation: Int, apis: [DeployedAPI], program: MediationProgram) {
        self.generation = generation
        self.apis = apis
        self.program = program
        self.router = APIRouter(apis: apis.map(\.compiled.definition))
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
