import NIOCore
import NIOHTTP1
import SluiceMediation

// What the exchange is asked to do after each event.
extension ProxyExchangeStateMachine {
    enum RequestBodyAction {
        case none
        case pauseClientReads
        /// Write the part to the backend connection (and pause the client if that connection is full).
        case write(ByteBuffer, to: Connection)
        /// The body is over the buffer limit: answer 413 and close.
        case rejectTooLarge
    }

    enum RequestEndAction {
        case none
        /// The buffered body is complete: run the request handlers over it.
        case runRequestHandlers(MessageBody)
        /// The whole body is there: prepare the request for the leaf that waited for it.
        case prepare(EndpointLeaf, body: MessageBody)
        case finishRequest(Connection)
    }

    enum BufferRequestAction: Equatable {
        case runRequestHandlers
        case waitForBody
        case rejectTooLarge
    }

    /// The next step of endpoint selection.
    enum LeafAction {
        case none
        /// Prepare and send the request to this leaf.
        case prepare(EndpointLeaf)
        /// No leaf (left): raise this fault.
        case fault(MediationFault)
    }

    enum WholeBodyAction {
        /// Read the client's body: the request goes on at its end (`RequestEndAction.prepare`).
        case waitForBody
        case available(MessageBody)
        case fault(MediationFault)
    }

    enum ConnectAction {
        case acquire
        case fault(MediationFault)
    }

    enum ConnectedAction {
        /// The exchange no longer needs a connection: give it back.
        case release(Connection)
        /// Start the request on the connection, then write `body`. `watchEnd`: the request end's write is watched
        /// for a failure (a write promise and its callback); when false a failed write is left to the channel's
        /// close, which reports it as `connectionClosed`.
        case send(Connection, BackendRequest, body: OutgoingBody, watchEnd: Bool)
    }

    /// What goes out after the request head.
    enum OutgoingBody {
        case none
        case whole(ByteBuffer)
        /// Held client parts, and whether the client's body already ended.
        case parts([ByteBuffer], end: Bool)
    }

    enum FailureAction {
        case none
        /// Try the same request once more on a fresh connection.
        case retry(BackendRequest)
        /// Fail over: prepare the request for the next leaf.
        case prepare(EndpointLeaf)
        case fault(MediationFault)
        /// The reply already started: cut the client connection.
        case abortReply
    }

    enum ResponseHeadAction {
        case none
        /// Collect the body; the response goes on at its end.
        case bufferBody
        /// The response goes to mediation now, its body streaming behind.
        case streamBody
        /// An OAuth endpoint refused the token (401): drop this response and its connection, get a fresh token and
        /// send the request once more (WSO2's `retryCallWithNewToken`).
        case renewToken(BackendRequest, abandon: Connection)
    }

    enum ResponseBodyAction {
        case none
        /// Keep the part until the reply head is out, and stop reading from the backend meanwhile.
        case hold(pauseReading: Connection)
        /// Write the part to the client (and pause the backend if the client is full).
        case write(ByteBuffer, from: Connection)
        /// The buffered response is over the limit: drop the connection and raise the fault.
        case fault(MediationFault, abandon: Connection)
    }

    enum ResponseEndAction {
        case none(closing: Connection?)
        /// The buffered response is complete: the out flow (or, after a call, the sequence) goes on with it.
        case deliver(status: Int, headers: HTTPHeaders, body: MessageBody, afterCall: Bool, closing: Connection?)
        /// The streamed reply is complete.
        case finishReply(closing: Connection?)
    }

    enum ReplyAction {
        case none
        /// Write head and the whole body, and end the reply.
        case writeWhole(ByteBuffer, abandon: Connection?)
        /// Write the head and the held parts; end the reply when `complete`, else flush when `flush` and resume
        /// reading from `resume`.
        case writeStreamed(held: [ByteBuffer], complete: Bool, flush: Bool, resume: Connection?)
        /// Write the head with an empty body, and end the reply.
        case writeEmpty(abandon: Connection?)
    }

    enum FaultAction {
        case none
        /// The reply already started: cut the client connection.
        case abortReply(abandon: Connection?)
        /// Run the fault flow.
        case handle(abandon: Connection?)
    }
}
