public import Hummingbird
public import NIOCore

/// The request context of the management app: Hummingbird's basic context plus the peer's address, which the
/// login throttle and the anonymous rate limit key on (``ClientAddress``).
public struct ManagementRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer (never a header: a client writes those).
    public let remoteAddress: SocketAddress?

    /// Creates the context of a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
