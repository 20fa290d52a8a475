/// Names of the message-context properties Synapse and WSO2 API Manager give a meaning to.
public enum SynapseProperty {
    // MARK: - axis2 scope

    /// The path (and query) below the resource that an address endpoint appends to its URI.
    public static let restURLPostfix = "REST_URL_POSTFIX"
    /// The HTTP status of the response the client gets.
    public static let httpStatusCode = "HTTP_SC"
    /// The content type the outgoing message is written as.
    public static let messageType = "messageType"
    /// The content type of the outgoing message (older name).
    public static let contentType = "ContentType"
    /// `true`: the outgoing message has no body.
    public static let noEntityBody = "NO_ENTITY_BODY"
    /// The method of the outgoing request.
    public static let httpMethod = "HTTP_METHOD"
    /// The request URI as the client sent it (path and query).
    public static let transportInURL = "TransportInURL"
    /// Set on the outgoing message: post to this URI exactly.
    public static let postToURI = "POST_TO_URI"

    // MARK: - default scope

    /// The context of the API the request was dispatched to.
    public static let restAPIContext = "REST_API_CONTEXT"
    /// The full request path with query.
    public static let restFullRequestPath = "REST_FULL_REQUEST_PATH"
    /// The request path below the API context, with query.
    public static let restSubRequestPath = "REST_SUB_REQUEST_PATH"
    /// The name of the API the request was dispatched to.
    public static let synapseRestAPI = "SYNAPSE_REST_API"
    /// The prefix of template variables bound by the resource's `uri-template` (`uri.var.id`).
    public static let uriVariablePrefix = "uri.var."
    /// The prefix of query parameters bound by the resource's `uri-template` (`query.param.q`).
    public static let queryParameterPrefix = "query.param."
    /// The code of the fault being handled.
    public static let errorCode = "ERROR_CODE"
    /// The message of the fault being handled.
    public static let errorMessage = "ERROR_MESSAGE"
    /// The detail of the fault being handled.
    public static let errorDetail = "ERROR_DETAIL"
    /// The exception of the fault being handled (unused by Sluice).
    public static let errorException = "ERROR_EXCEPTION"
    /// `true` on the message going back to the client.
    public static let response = "RESPONSE"
    /// The HTTP status of a fault response (WSO2 `fault` sequence).
    public static let customHTTPStatusCode = "CUSTOM_HTTP_SC"
    /// `true`: no response is expected from the backend.
    public static let outOnly = "OUT_ONLY"
    /// `true` when an API with the request's context exists but not for the transport it came on.
    public static let transportDenied = "TRANSPORT_DENIED"
    /// The transport the request came on: `http` or `https`.
    public static let inTransport = "IN_TRANSPORT"

    // MARK: - WSO2 usage statistics (set by the analytics class mediators)

    /// Milliseconds since the epoch when the response reached the gateway.
    public static let responseTime = "api.ut.responseTime"
    /// Milliseconds since the epoch when the fault was handled.
    public static let faultTime = "api.ut.faultTime"
    /// Milliseconds since the epoch when the request was sent to the backend.
    public static let backendRequestTime = "api.ut.backendRequestTime"
    /// Milliseconds the backend took (response time minus backend request time).
    public static let backendTime = "api.ut.backendTime"
}
