/// The http(s) documents artifacts name (a `<localEntry src=>`, a `<wsdl uri=>`), as the deployer fetched them
/// for one file's deployment. Synapse fetches them when the artifact deploys; so does Sluice, never per message:
/// the reader and the compiler only look them up here, and a `.pending` answer asks the deployer to fetch the
/// document and deploy the file again once it has.
public protocol NetworkSources: Sendable {
    /// The document at `url` for the deployment of `file`.
    func document(at url: String, for file: String) -> NetworkDocument
}

/// What a deploy-time fetch gave.
public enum NetworkDocument: Sendable, Hashable {
    /// The body, within the size bound.
    case fetched([UInt8])
    /// Why it could not be had (connection, status, time, size): the artifact does not deploy.
    case failed(String)
    /// Not fetched yet: the deployer fetches it and deploys the file again.
    case pending
    /// Deliberately not fetched (`sluice validate --offline`): the artifact is checked without it, with a warning.
    case offline
}

extension NetworkDocument {
    /// True for the URLs a deployer fetches: `http:` and `https:` (any case).
    public static func isNetworkURL(_ url: String) -> Bool {
        let lowered = url.prefix(8).lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }
}

extension NetworkDocument {
    /// How every diagnostic of a document still being fetched ends: the file is deployed again when it arrives.
    public static let pendingNote = "is being fetched; the file deploys when it arrives"

    /// The start of every "not fetched" warning of an offline check.
    public static let offlineWarningPrefix = "not fetched: "

    /// The warning of an offline check for `what` (`"WSDL 'https://…'"`).
    public static func offlineWarning(_ what: String) -> String {
        offlineWarningPrefix + what + " is fetched when a gateway deploys the file; checked without it"
    }
}

/// Network sources for a check that must not reach the network (the publisher's check of a hand-edited API
/// source): every document is `.offline`, so the check passes what the gateway fetches when it deploys the file,
/// with a warning.
public struct UnfetchedNetworkSources: NetworkSources {
    public init() {}

    public func document(at url: String, for file: String) -> NetworkDocument { .offline }
}
