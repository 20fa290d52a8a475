/// Why `SequenceExecution.run` returned: the sequence finished, or it needs the gateway to do I/O.
public enum MediationStep: Sendable {
    /// The sequence fell off its end without sending anything. In the out flow the gateway replies to the
    /// client with the current message; in the in flow nothing was sent.
    case finished
    /// `<respond/>`: reply to the client with the current message (`statusCode`, `headers`, `body`).
    case respond
    /// `<drop/>`: stop; in the in flow the client gets an empty 202 when nothing was sent yet.
    case drop
    /// `<loopback/>`: run the out sequence with the current message as the response.
    case loopback
    /// `<send>`: forward the message to the endpoint (nil: in the out flow, reply to the client), then mediate
    /// the response with the sequence named `receive`, or with the resource's out sequence when it is nil.
    case send(ResolvedEndpoint?, receive: String?)
    /// `<call>`: invoke the endpoint, make its response the current message with
    /// `MessageContext.receiveResponse(status:headers:body:)`, then call `run` again to resume after the call.
    case call(ResolvedEndpoint)
    /// `<script>`: run the invocation off the event loop (it blocks its thread for up to the time limit) with
    /// `ScriptInvocation.run(_:limits:)`, make the context it leaves the current one, then call `run` again to resume
    /// (or act on the step it returns).
    case runScript(ScriptInvocation)
    /// `dblookup`/`dbreport`: run the statements with `DatabaseCall.start(on:)` on the exchange's event loop, apply
    /// the outcome with `DatabaseCall.resume(with:_:)` (a fault runs the fault sequence), then call `run` again.
    case queryDatabase(DatabaseCall)
    /// `clone`/`iterate` split the message: run each branch in its own flow (`MessageBranch`); when
    /// `continueParent`, call `run` again to go on with the original message, otherwise its run has ended.
    case split(MessageSplit)
    /// `aggregate`: hand the message and this execution (standing after the aggregate) to the exchange's
    /// `MessageAggregation`; the flow ends there unless that completes the group.
    case aggregate(AggregateContribution)
}
