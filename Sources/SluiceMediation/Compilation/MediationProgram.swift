/// Everything deployed that sequences refer to by name: compiled named sequences and resolved named
/// endpoints. Immutable; a redeploy builds a new one (fresh endpoint states included).
public struct MediationProgram: Sendable {
    /// Named sequences by name.
    public let sequences: [String: CompiledSequence]
    /// Named endpoints by name.
    public let endpoints: [String: ResolvedEndpoint]

    /// A program without named sequences or endpoints.
    public static let empty = MediationProgram(sequences: [:], endpoints: [:])

    init(sequences: [String: CompiledSequence], endpoints: [String: ResolvedEndpoint]) {
        self.sequences = sequences
        self.endpoints = endpoints
    }

    /// The named sequence, or nil.
    public func sequence(named name: String) -> CompiledSequence? {
        sequences[name]
    }

    /// The deployed `fault` sequence, or the built-in one (`CompiledSequence.defaultFault`).
    public var faultSequence: CompiledSequence {
        sequences["fault"] ?? .defaultFault
    }
}
