import NIOCore

/// The payload of the current message as the mediation engine sees it.
public enum MessageBody: Sendable, Hashable {
    /// The body streams from the client (or backend) to the other side; the engine never saw it and leaves it alone.
    /// The gateway uses this whenever the compiled sequence does not read the body.
    case streaming
    /// No body.
    case empty
    /// The whole body, read into memory.
    case buffered(ByteBuffer)

    /// The body bytes as UTF-8 text; nil when the body is streaming.
    public var text: String? {
        switch self {
        case .streaming: nil
        case .empty: ""
        case .buffered(let buffer): String(buffer: buffer)
        }
    }

    /// A buffered body holding `text`.
    public static func text(_ text: String) -> MessageBody {
        .buffered(ByteBuffer(string: text))
    }
}
