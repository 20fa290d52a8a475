import Foundation
import SluiceJWT
import SluiceModel
import SluiceStorage

/// Why an API key cannot be generated or revoked.
public enum APIKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key manager has no signing key (no key store), so it cannot sign API keys.
    case noSigningKey
    /// A `permittedIP` entry that is neither an IP address nor a CIDR block.
    case invalidPermittedIP(String)
    /// The text is not an API key of this key manager for that application and key type.
    case notAKeyOfTheApplication

    public var description: String {
        switch self {
        case .noSigningKey: "API keys need the key store's signing key, and this node has none"
        case .invalidPermittedIP(let entry): "'\(entry)' in permittedIP is not an IP address or a CIDR block"
        case .notAKeyOfTheApplication: "The API key was not issued to this application for this key type"
        }
    }
}

extension KeyManager {
    /// What an API key restricts and how long it lives (WSO2's `APIKeyGenerateRequest`).
    public struct APIKeyRequest: Sendable, Hashable {
        /// PRODUCTION or SANDBOX.
        public var keyType: KeyType
        /// Seconds; nil, 0 or negative: the key never expires (WSO2's -1).
        public var validityPeriod: Int64?
        /// Comma-separated addresses and CIDR blocks; nil or empty: any.
        public var permittedIP: String?
        /// Comma-separated `Referer` patterns with `*`; nil or empty: any.
        public var permittedReferer: String?

        /// Creates a request.
        public init(keyType: KeyType, validityPeriod: Int64? = nil, permittedIP: String? = nil, permittedReferer: String? = nil) {
            self.keyType = keyType
            self.validityPeriod = validityPeriod
            self.permittedIP = permittedIP
            self.permittedReferer = permittedReferer
        }
    }

    /// Signs a new API key for an application: a JWT (`token_type` `apiKey`) naming the application, the APIs
    /// among `subscriptions` whose state admits the key type, and the restrictions. Nothing is stored: the key is
    /// self-contained, and the gateway checks the application's subscriptions again on every call.
    /// - Parameters:
    ///   - request: Key type, validity, restrictions.
    ///   - application: The application.
    ///   - subscriptions: The application's subscriptions.
    /// - Returns: The key and its validity in seconds (-1: no expiry).
    /// - Throws: ``APIKeyError``; signing errors.
    public func generateAPIKey(
        _ request: APIKeyRequest,
        application: ApplicationRecord,
        subscriptions: [SubscriptionRecord]
    ) throws -> (apiKey: String, validityPeriod: Int64) {
        guard let signer = configuration.tokenSigner else { throw APIKeyError.noSigningKey }
        let permittedIP = Self.nonEmpty(request.permittedIP)
        for entry in permittedIP?.split(separator: ",") ?? [] {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard IPAddressBlock(trimmed) != nil else { throw APIKeyError.invalidPermittedIP(trimmed) }
        }
        let issuedAt = Int64(now.timeIntervalSince1970)
        let validity = request.validityPeriod.flatMap { $0 > 0 ? $0 : nil }
        let claims = APIKeyClaims(
            issuer: configuration.issuer,
            subject: application.owner,
            issuedAt: issuedAt,
            expiresAt: validity.map { issuedAt + $0 },
            keyID: UUID().uuidString.lowercased(),
            keyType: request.keyType.rawValue,
            application: AccessTokenClaims.Application(
                owner: application.owner, tier: application.throttlingTier, name: application.name, id: application.id
            ),
            subscribedAPIs: subscriptions.filter { $0.status.admits(request.keyType) }.map { subscription in
                APIKeyClaims.SubscribedAPI(
                    name: subscription.apiName ?? "",
                    context: subscription.apiContext,
                    publisher: subscription.apiProvider ?? "",
                    version: subscription.apiVersion,
                    subscriptionTier: subscription.tier
                )
            },
            permittedIP: permittedIP.map(PermittedAddresses.init),
            permittedReferer: Self.nonEmpty(request.permittedReferer).map(PermittedReferers.init)
        )
        return (try signer.sign(claims, type: "JWT"), validity ?? -1)
    }

    /// Revokes an API key of an application: every gateway refuses it from the next call (in process) or the next
    /// revocation poll (split gateways), and the revocation is kept until the key expires.
    /// - Parameters:
    ///   - apiKey: The key text.
    ///   - applicationID: The application it must belong to.
    ///   - keyType: The key type it must have.
    /// - Throws: ``APIKeyError/notAKeyOfTheApplication`` for a forged key or another application's; storage errors.
    public func revokeAPIKey(_ apiKey: String, applicationID: String, keyType: KeyType) async throws {
        guard let verifier = validationService.apiKeyVerifier,
            case .success(let key) = verifier.verify(apiKey, now: Int64(now.timeIntervalSince1970)),
            key.claims.application.id == applicationID, key.claims.keytype == keyType.rawValue
        else { throw APIKeyError.notAKeyOfTheApplication }
        let expiresAt = key.claims.exp.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        try await storage.revokeAPIKey(hash: key.keyHash, expiresAt: expiresAt)
        validationService.revoke { $0.revokeAPIKey(hash: key.keyHash) }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }
}
