import NIOCore
import NIOHTTP1
import SluiceMediation

/// One request to one backend leaf, ready to go out: kept by the exchange's state machine so a retry on a fresh
/// connection sends exactly the same thing.
struct BackendRequest {
    /// The body that goes with the head.
    enum Body {
        /// No body.
        case none
        /// A body held whole in memory (mediation read or built it).
        case whole(ByteBuffer)
        /// The client's body, streamed through as it arrives.
        case streamed
    }

    let leaf: EndpointLeaf
    let key: UpstreamKey
    var head: HTTPRequestHead
    /// How long the backend may take to start its response.
    let timeout: TimeAmount
    let body: Body

    /// True when the head announces a body (written after it, or streamed).
    var hasBody: Bool {
        if case .none = body { false } else { true }
    }

    /// True when the body is the client's stream, which cannot be sent a second time.
    var isStreamed: Bool {
        if case .streamed = body { true } else { false }
    }
}

/// Why a sequence talks to a backend.
enum BackendPurpose: Equatable {
    /// `send`: the response goes through the out flow (or the named receive sequence).
    case send(receive: String?)
    /// `call`: the sequence goes on with the response as its message.
    case call
}
