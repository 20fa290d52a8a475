import Foundation
import SluiceJWT
import SluiceModel
import SluiceStorage

extension KeyManager {
    /// The token type of applications whose access tokens are signed JWTs, WSO2 4.x's default.
    public static let jwtTokenType = "JWT"

    /// A new access token: for an application of token type JWT (when the key manager has a signing key) a JWT
    /// with WSO2's claims, signed RS256 with the key store's key; otherwise 256 random bits.
    ///
    /// Either way the token is stored and revoked by its SHA-256, so revocation, introspection and refresh work
    /// alike for both; a JWT is additionally valid on its signature alone where the token is not known.
    /// - Parameters:
    ///   - application: The client's application.
    ///   - client: The consumer key the token is issued to.
    ///   - username: The resource owner, or the application owner for client_credentials.
    ///   - scopes: The granted scopes.
    ///   - grantType: The grant issuing it (gives `aut`).
    ///   - issuedAt: The issue time.
    ///   - expiresAt: The expiry.
    /// - Returns: The token text.
    /// - Throws: Signing errors (not expected with a loaded key).
    func mintAccessToken(
        application: ApplicationRecord,
        client: ConsumerKeyRecord,
        username: String,
        scopes: [String],
        grantType: String,
        issuedAt: Date,
        expiresAt: Date
    ) throws -> String {
        guard application.tokenType == Self.jwtTokenType, let signer = configuration.tokenSigner else {
            return SecretGenerator.randomValue()
        }
        let claims = AccessTokenClaims(
            issuer: configuration.issuer,
            subject: username,
            clientID: client.consumerKey,
            issuedAt: Int64(issuedAt.timeIntervalSince1970),
            expiresAt: Int64(expiresAt.timeIntervalSince1970),
            tokenID: SecretGenerator.randomUUID().uuidString.lowercased(),
            scopes: scopes,
            userType: AccessTokenUserType(grantType: grantType).rawValue,
            keyType: client.keyType.rawValue,
            application: AccessTokenClaims.Application(
                owner: application.owner,
                tier: application.throttlingTier,
                name: application.name,
                id: application.id
            )
        )
        return try signer.sign(claims, type: "at+jwt")
    }
}
