import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// Deny policies (WSO2's blocking conditions) in the throttle handler, as WSO2 checks them: after authentication,
/// before any counting; a blocked call gets WSO2's 403 with fault 900805.
extension ThrottleHandler {
    /// WSO2's fault code of a blocked call.
    public static let blockedCode = 900805

    /// Whether the deny policies in force block the call (no string is built for it).
    func isBlocked(_ context: MessageContext, resource: DispatchedResource) -> Bool {
        engine.blockingConditions.current.blocks(
            context: resource.context,
            version: resource.version,
            applicationOwner: context.callText(.applicationOwner),
            applicationName: context.callText(.applicationName),
            user: context.callText(.userID),
            clientIP: context.clientIP
        )
    }

    /// Makes the context WSO2's answer to a blocked call: 403, `amt:fault` 900805 in the request's format.
    static func block(_ context: inout MessageContext) {
        let message = "Message blocked"
        let description = "You have been blocked from accessing the resource"
        context.recordFault(MediationFault(code: blockedCode, message: message, detail: description, httpStatus: 403))
        context[property: APIManagerProperty.throttledOut] = .boolean(true)
        context[property: APIManagerProperty.throttledOutReason] = .string("REQUEST_BLOCKED")
        let format = FaultPayload.Format(requestHeaders: context.requestHeaders)
        let fields = FaultPayload.Fields(code: blockedCode, message: message, description: description, nextAccessTime: nil)
        let text = FaultPayload.body(fields, family: .throttling, format: format, isClientError: true)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        context.receiveResponse(status: 403, headers: headers, body: .buffered(ByteBuffer(string: text)))
    }
}
