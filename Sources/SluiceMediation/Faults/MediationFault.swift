import Logging

/// A failure during mediation: what Synapse puts in `ERROR_CODE`, `ERROR_MESSAGE` and `ERROR_DETAIL` before it
/// runs the fault sequence.
///
/// The gateway throws one when a backend call fails (with a `SynapseErrorCode`), handlers return one when they
/// reject a request, and the engine throws one when a mediator fails.
public struct MediationFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// Synapse or WSO2 error code, e.g. 101503 or 900901.
    public var code: Int
    /// Short message (`ERROR_MESSAGE`).
    public var message: String
    /// Longer explanation (`ERROR_DETAIL`).
    public var detail: String?
    /// The HTTP status the client gets when the default fault handling answers (nil: 500, or `CUSTOM_HTTP_SC`).
    public var httpStatus: Int?

    /// Creates a fault.
    public init(code: Int, message: String, detail: String? = nil, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.httpStatus = httpStatus
    }

    public var description: String {
        "fault \(code): \(message)" + (detail.map { " (\($0))" } ?? "")
    }

    /// 303001/303000: the endpoint is suspended or every member of a group is unavailable.
    /// - Parameters:
    ///   - endpointName: The endpoint's name (`AnonymousEndpoint` when it has none, as Synapse says).
    ///   - state: The state name WSO2 prints, e.g. `SUSPENDED`.
    ///   - isGroup: True for load-balance and failover groups.
    public static func endpointUnavailable(endpointName: String, state: String, isGroup: Bool = false) -> MediationFault
    {
        if isGroup {
            return MediationFault(
                code: SynapseErrorCode.groupNoneReady,
                message: "Couldn't find a ready endpoint in [ Name : \(endpointName) ]"
            )
        }
        return MediationFault(
            code: SynapseErrorCode.addressNoneReady,
            message: "Currently , Address endpoint : [ Name : \(endpointName) ] [ State : \(state) ]"
        )
    }

    /// A mediator failed while running (e.g. an expression over a body that does not parse).
    public static func mediatorFailed(_ mediator: String, _ reason: String) -> MediationFault {
        MediationFault(
            code: SynapseErrorCode.mediationFailed,
            message: "Error while mediating: \(mediator)",
            detail: reason
        )
    }

    /// A named sequence that is not deployed (Synapse's `SequenceMediator`: ERROR_CODE 0, "Sequence named … cannot
    /// be found"); the artifact referring to it deployed with a warning, and the key resolves once it is deployed.
    public static func sequenceNotFound(_ key: String) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: "Sequence named \(key) cannot be found")
    }

    /// The named sequence of a clone/iterate target, a foreach or an aggregate's onComplete is not deployed
    /// (Synapse's `Target`: "Couldn't find the sequence named : …").
    public static func branchSequenceNotFound(_ key: String) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: "Couldn't find the sequence named : \(key)")
    }

    /// A sequence template that is not deployed (Synapse's `InvokeMediator`).
    public static func templateNotFound(_ name: String) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: "Sequence template \(name) cannot be found")
    }

    /// 305100: an endpoint key that names no deployed endpoint (Synapse's `IndirectEndpoint`,
    /// `ENDPOINT_IN_DIRECT_NOT_READY`), or an endpoint whose template is not deployed (`TemplateEndpoint`).
    public static func endpointNotFound(_ key: String, template: String? = nil) -> MediationFault {
        guard let template else {
            return MediationFault(
                code: SynapseErrorCode.indirectEndpointNotReady,
                message: "Couldn't find the endpoint with the key : \(key)"
            )
        }
        return MediationFault(
            code: SynapseErrorCode.indirectEndpointNotReady,
            message: "Couldn't find the endpoint with the name \(key) & template : \(template)"
        )
    }

    /// A local entry (or registry resource) key that names nothing deployed, for the mediators that read one
    /// (xslt, script, validate, payloadFactory...): ERROR_CODE 0 and Synapse's payloadFactory wording.
    public static func entryNotFound(_ key: String) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: "Key \(key) not found")
    }

    /// 601000: a mediator needed the message body and it is not the JSON or XML its `Content-Type` says (Synapse's
    /// `MESSAGE_PARSING_ERROR`, raised when the message builder fails; the fault sequence answers, 500 by default).
    public static func messageParsingError(_ reason: String) -> MediationFault {
        MediationFault(
            code: SynapseErrorCode.messageParsingError,
            message: "Error while building Passthrough stream",
            detail: reason
        )
    }
}

extension MediationFault {
    /// How loudly the gateway logs the fault: a mediator that failed (an expression over a JSON property, a
    /// body a mediator could not read) is logged at `error` with its cause, as Synapse logs a mediator's failure,
    /// so that a 500 from the fault sequence always has its reason in the log; backend failures and handler
    /// refusals, which the answer itself explains, stay at `debug`.
    public var logLevel: Logger.Level {
        switch code {
        case SynapseErrorCode.mediationFailed, SynapseErrorCode.messageParsingError: .error
        default: .debug
        }
    }
}

/// Synapse's numeric error codes (`SynapseConstants`, `NhttpConstants`) that endpoints and the engine raise.
public enum SynapseErrorCode {
    /// The message body could not be built (`SynapseConstants.MESSAGE_PARSING_ERROR`).
    public static let messageParsingError = 601000
    /// Sending the request to the backend failed.
    public static let sendingFailed = 101500
    /// Receiving the backend response failed.
    public static let receivingFailed = 101501
    /// The connection to the backend could not be made.
    public static let connectionFailed = 101503
    /// Connection timeout (no response within the endpoint's timeout).
    public static let connectionTimeout = 101504
    /// The backend closed the connection.
    public static let connectionClosed = 101505
    /// The backend's response broke the HTTP protocol.
    public static let protocolViolation = 101506
    /// Connect was cancelled.
    public static let connectCancel = 101507
    /// Connect timeout.
    public static let connectTimeout = 101508
    /// Sending was aborted.
    public static let sendAbort = 101509
    /// A load-balance or failover group has no ready member.
    public static let groupNoneReady = 303000
    /// An address/http endpoint is suspended or waiting for a retry.
    public static let addressNoneReady = 303001
    /// An OAuth endpoint could not get an access token (`SynapseConstants.ENDPOINT_AUTH_FAILURE`).
    public static let endpointAuthenticationFailure = 303003
    /// An endpoint key names no deployed endpoint (`SynapseConstants.ENDPOINT_IN_DIRECT_NOT_READY`).
    public static let indirectEndpointNotReady = 305100
    /// A mediator failed (`SynapseConstants.DEFAULT_ERROR`-like code used for runtime mediation errors).
    public static let mediationFailed = 0
    /// The default error codes that put an endpoint in the Timeout state.
    public static let defaultTimeoutCodes: Set<Int> = [connectionTimeout, connectionClosed]
}
