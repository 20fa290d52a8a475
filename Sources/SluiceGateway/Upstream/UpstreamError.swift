public import SluiceMediation

/// Why a backend exchange failed, classified into Synapse's error codes.
public enum UpstreamError: Error, Sendable, Hashable {
    /// The TCP connection could not be made (refused, unreachable): 101503.
    case connectionFailed(String)
    /// The TCP connection did not complete within the connect timeout: 101508.
    case connectTimeout
    /// No response within the endpoint's `<timeout><duration>`: 101504.
    case responseTimeout
    /// The backend closed the connection before the response was complete: 101505.
    case connectionClosed
    /// The backend's bytes are not HTTP/1.1: 101506.
    case protocolViolation(String)
    /// Writing the request failed: 101500.
    case sendingFailed(String)

    /// The Synapse error code (`ERROR_CODE`) of this failure.
    public var synapseErrorCode: Int {
        switch self {
        case .connectionFailed: SynapseErrorCode.connectionFailed
        case .connectTimeout: SynapseErrorCode.connectTimeout
        case .responseTimeout: SynapseErrorCode.connectionTimeout
        case .connectionClosed: SynapseErrorCode.connectionClosed
        case .protocolViolation: SynapseErrorCode.protocolViolation
        case .sendingFailed: SynapseErrorCode.sendingFailed
        }
    }

    /// `ERROR_MESSAGE` as WSO2 writes it for this failure.
    public var synapseErrorMessage: String {
        switch self {
        case .connectionFailed(let reason): "Error connecting to the back end: \(reason)"
        case .connectTimeout: "Connection timed out while connecting to the back end"
        case .responseTimeout: "Send timeout"
        case .connectionClosed: "Connection closed by the back end"
        case .protocolViolation(let reason): "Invalid response from the back end: \(reason)"
        case .sendingFailed(let reason): "Error sending the request to the back end: \(reason)"
        }
    }

    /// The fault the mediation engine records for this failure (HTTP status left to the fault handling).
    public var mediationFault: MediationFault {
        MediationFault(code: synapseErrorCode, message: synapseErrorMessage)
    }
}
