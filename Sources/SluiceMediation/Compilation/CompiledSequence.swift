import SluiceModel

/// A sequence ready to run: immutable, built at deploy time, shared by every request.
public struct CompiledSequence: Sendable {
    /// The sequence's name; nil for an inline in/out/fault sequence.
    public let name: String?
    /// True when running the sequence may read the message body (directly or through the named sequences it
    /// refers to). When false the gateway streams the body and leaves `MessageContext.body` `.streaming`.
    public let readsBody: Bool
    /// `onError`: the sequence to run when a mediator of this one fails.
    public let onError: String?
    /// Where the sequence was defined.
    public let location: SourceLocation?
    let mediators: [any CompiledMediator]

    init(name: String?, mediators: [any CompiledMediator], onError: String?, location: SourceLocation?, readsBody: Bool) {
        self.name = name
        self.mediators = mediators
        self.onError = onError
        self.location = location
        self.readsBody = readsBody
    }

    /// The built-in fault sequence used when no `fault` sequence is deployed: answers with WSO2's runtime fault
    /// (`am:fault` XML, `{"fault":…}` JSON or a SOAP fault, after the request) built from `ERROR_CODE` and
    /// `ERROR_MESSAGE`, with status `CUSTOM_HTTP_SC` or 500.
    public static let defaultFault = CompiledSequence(
        name: "fault",
        mediators: [DefaultFaultResponse()],
        onError: nil,
        location: nil,
        readsBody: false
    )
}
