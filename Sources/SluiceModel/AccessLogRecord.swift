/// One gateway request as the access log writes it: taken on the event loop (string references, no formatting),
/// formatted off it.
public struct AccessLogRecord: Sendable, Hashable {
    /// The client's address (the connection's peer).
    public var clientAddress: String
    /// When the request head arrived, milliseconds since the epoch.
    public var startMillis: Int64
    public var method: String
    /// The request target as sent (path and query).
    public var uri: String
    /// `HTTP/1.1`, `HTTP/1.0`.
    public var version: String
    public var status: Int
    /// Response body bytes sent.
    public var bytes: Int
    /// From the request head to the end of the response, microseconds.
    public var latencyMicros: Int64
    /// The request headers the format names (`%{Name}i`), in the format's order; nil when absent.
    public var headers: [String?]
    /// The end user, when authentication named one.
    public var user: String?
    /// The API (`provider--Name:version`) the gateway dispatched to.
    public var api: String?
    /// The application the call was made with.
    public var application: String?
    /// The request's `activityid`.
    public var correlationID: String?

    /// Creates a record.
    public init(
        clientAddress: String,
        startMillis: Int64,
        method: String,
        uri: String,
        version: String = "HTTP/1.1",
        status: Int,
        bytes: Int,
        latencyMicros: Int64,
        headers: [String?] = [],
        user: String? = nil,
        api: String? = nil,
        application: String? = nil,
        correlationID: String? = nil
    ) {
        self.clientAddress = clientAddress
        self.startMillis = startMillis
        self.method = method
        self.uri = uri
        self.version = version
        self.status = status
        self.bytes = bytes
        self.latencyMicros = latencyMicros
        self.headers = headers
        self.user = user
        self.api = api
        self.application = application
        self.correlationID = correlationID
    }
}
