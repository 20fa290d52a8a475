import Foundation
import SluiceJWT
import SluiceModel
import SluiceStorage

extension KeyValidationIndex {
    /// Marks an API key revoked and logs it on the revocation feed, so gateway caches drop it.
    /// - Returns: The hash when it was not revoked before.
    @discardableResult
    mutating func revokeAPIKey(hash: Data) -> [Data] {
        guard revokedAPIKeys.insert(hash).inserted else { return [] }
        logRevocation([hash])
        return [hash]
    }

    /// Decides one call made with a verified API key, as WSO2's `ApiKeyAuthenticator`: not revoked (900901), not
    /// expired (900901: WSO2 answers an expired key as invalid), the API among the key's `subscribedAPIs` and the
    /// application still subscribed (900908), the subscription active for the key type (900909). An API key carries
    /// no scopes and WSO2 checks none for it. The IP and referrer restrictions depend on the call and travel in
    /// the result for the gateway to check.
    func validate(apiKey key: VerifiedAPIKey, request: KeyValidationRequest, now: Date, skew: TimeInterval) -> KeyValidationResult {
        guard !revokedAPIKeys.contains(key.keyHash) else { return .denied(.invalidCredentials) }
        let claims = key.claims
        let validUntil = claims.exp.map { Date(timeIntervalSince1970: TimeInterval($0)).addingTimeInterval(-skew) }
        if let validUntil, now >= validUntil { return .denied(.invalidCredentials) }
        let api = APIKey(context: request.apiContext, version: request.apiVersion)
        guard claims.subscribedAPIs.contains(where: { APIKey(context: $0.context, version: $0.version) == api }) else {
            return .denied(.resourceForbidden)
        }
        let applicationID = claims.application.id
        guard let application = applications[applicationID], let keyType = KeyType(rawValue: claims.keytype) else {
            return .denied(.invalidCredentials)
        }
        guard let subscription = subscriptions[SubscriptionKey(applicationID: applicationID, api: api)] else {
            return .denied(.resourceForbidden)
        }
        guard subscription.status.admits(keyType) else { return .denied(.subscriptionInactive) }
        var result = KeyValidationResult(
            authorized: true,
            applicationID: applicationID,
            applicationName: application.name,
            applicationTier: application.tier,
            subscriber: application.owner,
            keyType: keyType,
            endUser: claims.sub,
            subscriptionTier: subscription.tier,
            userType: .application,
            validUntil: validUntil?.timeIntervalSince1970
        )
        result.permittedIPs = claims.permittedIP
        result.permittedReferers = claims.permittedReferer
        return result
    }
}
