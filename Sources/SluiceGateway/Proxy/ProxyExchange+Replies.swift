import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

// The replies an exchange writes to its client: the message, faults and status reports.
extension ProxyExchange {
    /// Replies with the current message: response hooks first, then head and body.
    func replyWithMessage(status: Int? = nil, dropBody: Bool = false) {
        if let status { context.statusCode = status }
        if dropBody {
            context.body = .empty
            state.releaseConnection()?.abandon()
        }
        guard var execution = handlerExecution else {
            writeReply()
            return
        }
        let step = trace == nil ? execution.runResponse(&context) : execution.runResponse(&context, observer: trace)
        handlerExecution = execution
        switch step {
        case .completed, .respond:
            writeReply()
        case .fault(let fault):
            handlerExecution = nil
            replyFault(fault, family: Self.family(of: fault))
        case .suspend(let future):
            resume(after: future) { $0.replyWithMessage() }
        case .runSequence(let sequence, let then):
            flow = .handlerResponse(then)
            startSequence(sequence)
        }
    }

    func writeReply() {
        // The formatter writes what axis2 `messageType` asks for; a body that cannot be converted is a fault.
        do throws(MediationFault) {
            try context.applyMessageType()
        } catch {
            context[property: SynapseProperty.messageType, scope: .axis2] = nil
            replyFault(error, family: .runtime)
            return
        }
        // Synapse's formatter writes no entity when axis2 `NO_ENTITY_BODY` is true (WSO2's `_OpenService_` answers
        // an empty 200 so); the flag never costs a dictionary lookup when no axis2 property is set.
        if context.hasNoEntityBody, context.body != .empty { context.body = .empty }
        let action = state.startReply(body: context.body)
        if case .none = action { return }
        var headers = context.headers
        if !context.isResponse {
            // Replying with the request message: what mediation set stays, the client's own headers do not.
            headers = RequestMessageReply.headers(headers, request: requestHead.headers)
        }
        HopByHopHeaders.remove(from: &headers)
        let status = HTTPResponseStatus(statusCode: context.statusCode ?? 200)
        if runtime.annotatesAccessLog { annotateAccessLog() }
        trace?.replying(context)
        switch action {
        case .none:
            return
        case .writeWhole(let body, let upstream):
            upstream?.abandon()
            headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
            connection.writeResponseHead(status: status, headers: headers, version: requestHead.version)
            connection.writeResponseBodyPart(body, flush: false)
            connection.finishResponse()
        case .writeStreamed(let held, let complete, let flush, let upstream):
            if let head = passThroughHead(status: status, headers: headers) {
                connection.writeResponseHead(head)
            } else {
                connection.writeResponseHead(status: status, headers: headers, version: requestHead.version)
            }
            for part in held { connection.writeResponseBodyPart(part, flush: false) }
            if complete {
                connection.finishResponse()
                return
            }
            // Inside a backend read the flush comes with its read-complete; otherwise the head goes out now, so a
            // slow body does not hold back status and headers.
            if flush { connection.flush() }
            upstream?.resumeReading()
        case .writeEmpty(let upstream):
            upstream?.abandon()
            headers.replaceOrAdd(name: "Content-Length", value: "0")
            connection.writeResponseHead(status: status, headers: headers, version: requestHead.version)
            connection.finishResponse()
        }
    }

    /// Answers a fault in WSO2's format, choosing XML, JSON or SOAP from the request.
    func replyFault(_ fault: MediationFault, family: FaultPayload.Family) {
        state.releaseConnection()?.abandon()
        becomeFault(fault, family: family)
        replyWithMessage()
    }

    /// Makes WSO2's fault response for `fault` the current message.
    func becomeFault(_ fault: MediationFault, family: FaultPayload.Family) {
        let response = FaultPayload.response(
            for: fault,
            family: family,
            context: context,
            requestHeaders: requestHead.headers
        )
        context.statusCode = response.status
        context.headers = response.headers
        context.body = .buffered(response.body)
        context.isResponse = true
    }

    func replyNotFound() {
        replyStatusReport(
            .notFound,
            description: "The requested resource (\(requestTarget.path)) is not available."
        )
    }

    /// A request target the gateway will not dispatch (see `RequestTarget.Refusal`, `RequestTarget.stays(within:)`).
    func replyBadRequest() {
        replyStatusReport(.badRequest, description: "The request path is not acceptable.")
    }

    /// A status report in the format the client asked for (the servlet container's page in WSO2).
    func replyStatusReport(_ status: HTTPResponseStatus, description: String) {
        let format = FaultPayload.Format(requestHeaders: requestHead.headers)
        let fields = FaultPayload.Fields(
            code: Int(status.code),
            type: "Status report",
            message: status.reasonPhrase,
            description: description
        )
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        let body = FaultPayload.body(fields, family: .runtime, format: format, isClientError: true)
        state.finish()?.abandon()
        connection.respond(status: status, headers: headers, body: ByteBuffer(string: body))
    }

    /// WSO2's answer to an API reached over a transport it does not accept, when no `main` sequence is deployed.
    func replyTransportDenied() {
        let format = FaultPayload.Format(requestHeaders: requestHead.headers)
        let fields = FaultPayload.Fields(
            code: 403,
            type: "Status report",
            message: "Forbidden",
            description: "Unsupported Transport [ \(connection.transport.rawValue) ]. The requested resource "
                + "(\(RequestTarget(uri: requestHead.uri).path)) is not available."
        )
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        let body = FaultPayload.body(fields, family: .runtime, format: format, isClientError: true)
        state.finish()?.abandon()
        connection.respond(status: .forbidden, headers: headers, body: ByteBuffer(string: body))
    }

    /// The backend's response head when the reply is exactly it (the status, the client's HTTP version, every
    /// header in order): nothing in the out flow changed it, so it goes out without a new head being built. The
    /// headers are compared one by one; a header nobody touched is the same string, which compares by identity.
    func passThroughHead(status: HTTPResponseStatus, headers: HTTPHeaders) -> HTTPResponseHead? {
        guard let head = backendHead, head.status == status, head.version == requestHead.version,
            head.headers.count == headers.count,
            zip(head.headers, headers).allSatisfy({ $0.name == $1.name && $0.value == $1.value })
        else { return nil }
        return head
    }
}
