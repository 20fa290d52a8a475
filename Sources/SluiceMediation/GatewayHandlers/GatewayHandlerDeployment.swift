public import SluiceModel

/// What a handler may resolve once, when an API using it is deployed: the API artifact and the deployment's
/// named sequences (``GatewayHandler/bound(to:)``).
public struct GatewayHandlerDeployment: Sendable {
    /// The API the handler serves.
    public let api: SynapseAPI
    /// The deployment's named sequences and endpoints.
    public let program: MediationProgram

    /// Creates the deployment view of one API.
    public init(api: SynapseAPI, program: MediationProgram) {
        self.api = api
        self.program = program
    }

    /// The deployed sequence called `name`, or nil when none is deployed.
    public func sequence(named name: String) -> CompiledSequence? {
        program.sequence(named: name)
    }

    /// One sequence that runs, in order, those of `names` that are deployed (a `<respond/>` or `<drop/>` in
    /// one ends the whole run, as in Synapse); nil when none of them is deployed.
    /// - Parameter names: Sequence names, in the order they run.
    public func sequence(chaining names: [String]) -> CompiledSequence? {
        let deployed = names.compactMap { program.sequence(named: $0) }
        guard deployed.count > 1 else { return deployed.first }
        return CompiledSequence(
            name: nil,
            mediators: deployed.compactMap { $0.name.map { CompiledSequenceMediator(key: $0) } },
            onError: nil,
            location: nil,
            readsBody: deployed.contains(where: \.readsBody)
        )
    }
}
