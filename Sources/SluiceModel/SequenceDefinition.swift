/// A named `<sequence name= [onError=]>` artifact (or the inline content of one).
public struct SequenceDefinition: Sendable, Hashable {
    public var name: String
    /// `onError="seq"`: the sequence that runs when a mediator of this one fails.
    public var onError: String?
    public var statistics: Bool
    public var trace: Bool
    public var mediators: [MediatorNode]
    /// `<description>`: documentation only (WSO2's stock sequences carry one).
    public var description: String?
    @DiagnosticOnly public var location: SourceLocation?

    public init(
        name: String,
        onError: String? = nil,
        statistics: Bool = false,
        trace: Bool = false,
        mediators: [MediatorNode] = [],
        description: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.onError = onError
        self.statistics = statistics
        self.trace = trace
        self.mediators = mediators
        self.description = description
        self.location = location
    }
}
