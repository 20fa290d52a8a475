import SluiceMediation
public import SluiceModel

/// WSO2's "Mutual SSL" API security (`MutualSSLAuthenticator`): `APISecurity` names `mutualssl`, and the
/// `certificateInformation` property lists the certificates the publisher uploaded for the API, each with the
/// subscription tier its calls are throttled by and the key type (endpoint) they reach.
///
/// The gateway's HTTPS listener asks every client for a certificate without requiring one and accepts any that
/// the client proves it holds; the API then matches the presented certificate by its SHA-256 fingerprint against
/// its uploaded ones. WSO2 matches by serial number and issuer, which is safe there only because its listener
/// trusts nothing but the uploaded certificates; entries in that form (`serial_issuer=tier`) are accepted in
/// hand-written artifacts but never match.
///
/// As in WSO2 (`APIAuthenticationHandler.initializeAuthenticators`/`isAuthenticate`):
/// - `mutualssl` alone: the certificate is mandatory.
/// - with `oauth2`/`api_key`: `mutualssl_mandatory` makes the certificate mandatory and
///   `oauth_basic_auth_api_key_mandatory` the token or key. An API naming neither flag needs the certificate and
///   not the token: WSO2 marks both optional then, but its first failing optional check (the certificate's)
///   decides the call, so a token alone never passes there either.
/// - A mandatory certificate that is missing or unknown is refused with 900901 and the `Mutual SSL` realm. A
///   certificate that authenticates while the token is optional is enough on its own (a token sent along is not
///   checked); with both mandatory both must pass and the token names the caller; with only the token mandatory
///   the certificate changes nothing.
/// - Resources whose auth type is `None` need neither.
public struct MutualTLSPolicy: Sendable, Hashable {
    /// Whether a request without an accepted certificate is refused.
    public var isMandatory: Bool
    /// The uploaded certificates by fingerprint.
    public var certificates: [String: Binding]

    /// What an uploaded certificate grants.
    public struct Binding: Sendable, Hashable {
        /// The subscription tier the calls are throttled by.
        public var tier: String
        /// The key type, hence the endpoint (production or sandbox).
        public var keyType: KeyType
        /// The throttle subject of the certificate's calls, made once here instead of per request.
        public var throttleSubject: String

        /// Creates a binding for the certificate with `fingerprint`.
        public init(fingerprint: String, tier: String, keyType: KeyType) {
            self.tier = tier
            self.keyType = keyType
            self.throttleSubject = "mutualssl:" + fingerprint
        }
    }

    /// Creates a policy.
    public init(isMandatory: Bool, certificates: [String: Binding]) {
        self.isMandatory = isMandatory
        self.certificates = certificates
    }

    /// The prefix of a fingerprint entry in `certificateInformation`.
    public static let fingerprintPrefix = "sha256:"

    /// Reads `certificateInformation`: `{sha256:<hex>=Tier:KEY_TYPE, ...}` (braces optional; key type optional,
    /// PRODUCTION by default). WSO2's `serial_issuer=Tier` entries are skipped (see the type's description).
    /// - Throws: A reason, for an entry without `=` or a tier, or an unknown key type.
    public static func certificates(from text: String) throws(MutualTLSPolicyError) -> [String: Binding] {
        var body = Substring(text).trimmingSpaces()
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var result: [String: Binding] = [:]
        for entry in body.split(separator: ",") {
            let trimmed = entry.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.lastIndex(of: "=") else { throw MutualTLSPolicyError(entry: String(trimmed)) }
            let identifier = trimmed[..<equals].trimmingSpaces()
            let grant = trimmed[trimmed.index(after: equals)...].split(separator: ":", omittingEmptySubsequences: false)
            let tier = grant[0].trimmingSpaces()
            guard !identifier.isEmpty, !tier.isEmpty else { throw MutualTLSPolicyError(entry: String(trimmed)) }
            var keyType = KeyType.production
            if grant.count > 1 {
                guard let named = KeyType(rawValue: grant[1].trimmingSpaces().uppercased()) else {
                    throw MutualTLSPolicyError(entry: String(trimmed))
                }
                keyType = named
            }
            guard identifier.lowercased().hasPrefix(fingerprintPrefix) else { continue }
            let fingerprint = identifier.dropFirst(fingerprintPrefix.count).lowercased()
            guard fingerprint.count == 64, HexEncoding.decode(fingerprint) != nil else {
                throw MutualTLSPolicyError(entry: String(trimmed))
            }
            result[fingerprint] = Binding(fingerprint: fingerprint, tier: String(tier), keyType: keyType)
        }
        return result
    }
}

/// A `certificateInformation` entry that cannot be read.
public struct MutualTLSPolicyError: Error, Sendable, Hashable {
    /// The entry.
    public let entry: String
}

extension APIAuthenticationHandler {
    /// What the certificate check decided: the request is authenticated by it, refused, or goes on to the token.
    enum CertificateOutcome {
        case authenticated
        case refused(GatewayHandlerDecision)
        case continueWithCredentials
    }

    /// Checks the client certificate of a request to a mutual-TLS API.
    func checkClientCertificate(
        _ policy: MutualTLSPolicy,
        _ context: inout MessageContext,
        resource: DispatchedResource
    ) -> CertificateOutcome {
        guard let certificate = context.clientCertificate, let binding = policy.certificates[certificate.fingerprint]
        else {
            if policy.isMandatory { return .refused(fail(.clientCertificateRefused, &context)) }
            return .continueWithCredentials
        }
        // With a mandatory token (or key) the certificate alone is not enough; the credential names the caller.
        if configuration.applicationSecurityMandatory {
            return .continueWithCredentials
        }
        let caller = CallProperties.Caller(
            keyType: binding.keyType.rawValue,
            user: certificate.userName,
            applicationID: binding.throttleSubject,
            subscriptionTier: binding.tier
        )
        Self.setAPIProperties(resource, caller: caller, &context)
        attachBackendJWT(certificate: certificate, binding, resource: resource, &context)
        return .authenticated
    }
}

extension APIAuthenticationHandler.Configuration {
    /// Reads the mutual-TLS part of the `<handler>` properties: nil when `APISecurity` does not name `mutualssl`.
    static func mutualTLSPolicy(
        _ spec: GatewayHandlerSpec,
        schemes: Set<String>
    ) throws(MediationCompileError) -> MutualTLSPolicy? {
        guard schemes.contains("mutualssl") else { return nil }
        let applicationLevel = schemes.contains("oauth2") || schemes.contains("api_key")
        let applicationMandatory = applicationLevel && schemes.contains("oauth_basic_auth_api_key_mandatory")
        let text = spec[property: "certificateInformation"] ?? spec[property: "CertificateInformation"] ?? ""
        do {
            return MutualTLSPolicy(
                isMandatory: schemes.contains("mutualssl_mandatory") || !applicationMandatory,
                certificates: try MutualTLSPolicy.certificates(from: text)
            )
        } catch {
            throw MediationCompileError(
                .invalidConfiguration(
                    className: spec.className,
                    reason: "certificateInformation entry '\(error.entry)' is not 'sha256:<64 hex digits>=Tier[:PRODUCTION|SANDBOX]'"
                ),
                location: spec.location
            )
        }
    }
}
