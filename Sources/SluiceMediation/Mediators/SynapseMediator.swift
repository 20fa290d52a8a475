import SluiceModel
internal import SluiceXML

/// A Synapse mediator Sluice implements, whole: its configuration (the AST node, a `MediatorConfiguration`), how it
/// reads from and writes back to XML, and what it compiles to. A type missing one of these does not build.
///
/// Each mediator lives in its own folder under `Mediators/` (configuration, XML and runtime) and is listed once in
/// `MediatorCatalog`. Its tests live in `Tests/SluiceMediationTests/Mediators/<Name>/`.
///
/// ```swift
/// public struct StampMediator: SynapseMediator {
///     public static let elementName = "stamp"
///     static func read(from element: XMLElementNode, reader: ArtifactReader) -> StampMediator? { ... }
///     func write(to writer: XMLWriter) { writer.element("stamp") }
///     func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
///         CompiledStampMediator()
///     }
/// }
/// ```
protocol SynapseMediator: MediatorConfiguration {
    /// Reads the mediator from its element; returns nil after reporting what is wrong through `reader`.
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> Self?

    /// Writes the mediator as canonical XML (defaults omitted) that reads back to an equal configuration.
    func write(to writer: XMLWriter)

    /// Checks every reference and expression and builds the runtime form, once per deployment.
    /// - Throws: `MediationCompileError` located at the sequence or resource being compiled.
    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator
}

extension SynapseMediator {
    /// `read(from:reader:)` wrapped as a node.
    static func readNode(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        read(from: element, reader: reader).map(MediatorNode.init)
    }
}

/// A mediator ready to run: immutable, built at deploy time, shared by every request on every event loop.
protocol CompiledMediator: Sendable {
    /// Mediates the current message.
    /// - Returns: How the sequence goes on.
    /// - Throws: `MediationFault` to run the fault sequence.
    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome

    /// True when running this mediator (not counting the named sequences it runs) may read the message body, so
    /// the gateway must buffer it first.
    var readsBody: Bool { get }

    /// The named sequences and templates this mediator may run in the same flow (`sequence key=`, `call-template`;
    /// not `send receive=`, which runs on the response), so a sequence that runs one reading the body reads it too.
    var references: [MediationReference] { get }
}

extension CompiledMediator {
    var references: [MediationReference] { [] }
}

/// What a mediator tells the sequence execution to do next.
enum MediatorOutcome: Sendable {
    /// Go on with the next mediator.
    case proceed
    /// Run these mediators next (a filter branch, a switch case...), then go on after this mediator.
    case enter([any CompiledMediator])
    /// Run the named sequence next, then go on after this mediator.
    case enterSequence(String)
    /// Run the named sequence template with these parameters bound to `$func:`, then go on after this mediator.
    case enterTemplate(String, arguments: [String: FunctionParameter])
    /// Hand this step to the gateway, which may resume the sequence after it (`send`, `call`).
    case yield(MediationStep)
    /// End the whole run and hand this step to the gateway (`respond`, `drop`, `loopback`).
    case stop(MediationStep)
    /// Run mediators of its own to their end with the deployed program at hand (`foreach`), then go on.
    case runNested(any NestedMediation)
    /// `clone`/`iterate`: each message runs its target in its own flow; the run goes on after this mediator only
    /// when the split says `continueParent`.
    case split(SplitPlan)
}

/// Work a mediator does with the deployed program (named sequences) in reach, such as running a sequence over
/// each fragment of the message.
protocol NestedMediation: Sendable {
    func run(_ context: inout MessageContext, program: MediationProgram) throws(MediationFault)
}

extension Sequence where Element == any CompiledMediator {
    /// True when any of the mediators reads the body.
    var anyReadsBody: Bool { contains(where: \.readsBody) }
    /// The named sequences and templates any of the mediators runs in the same flow.
    var allReferences: [MediationReference] { flatMap(\.references) }
}

/// A named sequence or template a mediator runs.
enum MediationReference: Sendable, Hashable {
    case sequence(String)
    case template(String)
}
