/// A mediator implemented in Swift, used for `<class name="...">` (Synapse's class mediators).
///
/// ```swift
/// struct StampMediator: Mediator {
///     func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool {
///         context[property: "stamped"] = "true"
///         return true
///     }
/// }
/// ```
public protocol Mediator: Sendable {
    /// Mediates the message.
    /// - Returns: False to stop mediation here, as a Synapse mediator returning `false` does (the engine reports
    ///   `.drop`).
    /// - Throws: `MediationFault` to run the fault sequence.
    func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool

    /// True when the mediator reads the message body, so the gateway must buffer it. Defaults to true.
    var readsBody: Bool { get }
}

extension Mediator {
    public var readsBody: Bool { true }
}
