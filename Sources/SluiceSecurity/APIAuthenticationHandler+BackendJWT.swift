import SluiceJWT
import SluiceMediation
import SluiceModel

/// The backend JWT (WSO2's `JWTConfiguration`): once a call is authenticated, the backend gets a JWT describing the
/// caller in `X-JWT-Assertion` (or the configured header), replacing any the client sent. The JWT is made once per
/// credential and API and reused until shortly before it expires (``BackendJWTIssuer``).
extension APIAuthenticationHandler {
    /// Adds the JWT for a call authenticated by the key manager's `result` (a token or an API key).
    func attachBackendJWT(
        credential: String,
        _ result: KeyValidationResult,
        resource: DispatchedResource,
        _ context: inout MessageContext
    ) {
        guard let backendJWT else { return }
        let jwt = backendJWT.assertion(for: credential, apiContext: resource.context, version: resource.version) {
            BackendJWTIssuer.Caller(
                subscriber: result.subscriber,
                applicationID: result.applicationID,
                applicationName: result.applicationName,
                applicationTier: result.applicationTier,
                apiName: resource.apiName,
                apiContext: resource.context,
                version: resource.version,
                subscriptionTier: result.subscriptionTier,
                keyType: (result.keyType ?? .production).rawValue,
                userType: (result.userType ?? .applicationUser).rawValue,
                endUser: result.endUser,
                credentialExpiry: result.validUntil.map { Int64($0) }
            )
        }
        if let jwt { context.headers.replaceOrAdd(name: backendJWT.settings.header, value: jwt) }
    }

    /// Adds the JWT for a call authenticated by its client certificate.
    func attachBackendJWT(
        certificate: ClientCertificate,
        _ binding: MutualTLSPolicy.Binding,
        resource: DispatchedResource,
        _ context: inout MessageContext
    ) {
        guard let backendJWT else { return }
        let jwt = backendJWT.assertion(for: certificate.fingerprint, apiContext: resource.context, version: resource.version) {
            BackendJWTIssuer.Caller(
                subscriber: nil, applicationID: nil, applicationName: nil, applicationTier: nil,
                apiName: resource.apiName, apiContext: resource.context, version: resource.version,
                subscriptionTier: binding.tier, keyType: binding.keyType.rawValue,
                userType: AccessTokenUserType.application.rawValue, endUser: certificate.userName, credentialExpiry: nil
            )
        }
        if let jwt { context.headers.replaceOrAdd(name: backendJWT.settings.header, value: jwt) }
    }
}
