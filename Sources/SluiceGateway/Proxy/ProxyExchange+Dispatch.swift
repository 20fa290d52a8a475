import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// The answers Synapse and WSO2 give when dispatch does not reach a resource's in-sequence: no resource has the
/// path (403 / 900906), another method would be taken (405), filters turned the request away (400), an `OPTIONS`
/// request the resource does not mediate (200 with `Allow`), and a query Synapse cannot decode (400).
extension ProxyExchange {
    /// Why the request reached no resource of the API that took it.
    enum DispatchFailure {
        case noMatchingResource
        case methodNotAllowed(allowed: [String])
        case badRequest
    }

    /// `_resource_mismatch_handler_`: Synapse runs it when no resource of the API has the path.
    static let resourceMismatchSequence = "_resource_mismatch_handler_"
    /// `_method_not_allowed_handler_`: Synapse runs it when a resource has the path but not the method.
    static let methodNotAllowedSequence = "_method_not_allowed_handler_"
    /// Synapse's `Allow` for a resource that lists no methods (`RESTConstants.REST_ALL_SUPPORTED_METHODS`).
    static let allSupportedMethods = "GET, POST, PUT, DELETE"

    /// Answers a dispatch failure: the default answer becomes the current message, then the matching WSO2
    /// sequence, when deployed, may change or replace it (as `_auth_failure_handler_` does for authentication).
    func replyDispatchFailure(_ failure: DispatchFailure, apiIndex: Int, apiContext: String) {
        let api = snapshot.apis[apiIndex].compiled.definition
        // The sequence sees what Synapse set before dispatching: SYNAPSE_REST_API, REST_API_CONTEXT, REST_*_PATH.
        context.bindDispatch(apiName: api.name, apiContext: apiContext, orderedURIVariables: [])
        let sequenceName: String?
        switch failure {
        case .noMatchingResource:
            let fault = MediationFault(
                code: 900906,
                message: "No matching resource found in the API for the given request",
                detail: "Access failure for API: \(apiContext), version: \(api.version ?? "")",
                httpStatus: 403
            )
            context.recordFault(fault)
            becomeFault(fault, family: .authentication)
            sequenceName = Self.resourceMismatchSequence
        case .methodNotAllowed(let allowed):
            // Synapse answers 405 without headers; RFC 9110 asks for Allow, which we add.
            var headers = HTTPHeaders()
            if !allowed.isEmpty { headers.add(name: "Allow", value: allowed.joined(separator: ", ")) }
            context.receiveResponse(status: 405, headers: headers, body: .empty)
            sequenceName = Self.methodNotAllowedSequence
        case .badRequest:
            context.receiveResponse(status: 400, headers: [:], body: .empty)
            sequenceName = nil
        }
        guard let sequenceName, let sequence = snapshot.program.sequence(named: sequenceName) else {
            replyWithMessage()
            return
        }
        flow = .handlerRequest(.reply)
        startSequence(sequence)
    }

    /// Synapse answers an `OPTIONS` request itself when the resource does not list `OPTIONS`, or lists it and the
    /// request carries `Max-Forwards: 0`; otherwise it decrements `Max-Forwards` and mediates the request.
    func answersOptionsItself() -> Bool {
        guard context.method == "OPTIONS", let value = context.headers.first(name: "Max-Forwards"),
            let hops = Int(value)
        else { return false }
        if hops <= 0 { return true }
        context.headers.replaceOrAdd(name: "Max-Forwards", value: String(hops - 1))
        return false
    }

    /// 200 with `Allow`: the resource's methods but `OPTIONS` (Synapse's `Resource.sendOptions`).
    func replyAllowedMethods() {
        let methods = context.dispatchedResource?.methods.filter { $0 != "OPTIONS" } ?? []
        var headers = HTTPHeaders()
        headers.add(name: "Allow", value: methods.isEmpty ? Self.allSupportedMethods : methods.joined(separator: ", "))
        context.receiveResponse(status: 200, headers: headers, body: .empty)
        replyWithMessage()
    }

    /// Synapse refuses a query value it cannot percent-decode with 400 before the in-sequence runs.
    func replyMalformedQuery(parameter: Substring) {
        replyFault(
            MediationFault(
                code: 400,
                message: "Error processing \(context.method) request for : \(context.requestPath)"
                    + " due to an error in the request sent by the client",
                detail: "query parameter '\(parameter)' has a malformed percent-encoding",
                httpStatus: 400
            ),
            family: .runtime
        )
    }
}
