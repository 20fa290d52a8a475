import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceJWT
import SluiceKeyManager
import SluiceManagement
import Testing

/// `/oauth2/jwks` and `/oauth2/token/.well-known/openid-configuration`: where clients and split gateways find the
/// signing key and the endpoints.
@Suite(.timeLimit(.minutes(1))) struct JWKSEndpointTests {
    @Test func theKeySetAndTheDiscoveryDocumentDescribeTheIssuer() async throws {
        let signer = try await JWTAccessTokenTests.signer()
        let fixture = try await KeyManagerFixture(signer: signer)
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let jwks = try await client.execute(uri: "/oauth2/jwks", method: .get)
            #expect(jwks.status == .ok)
            let set = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(buffer: jwks.body))
            #expect(set == signer.keySet)

            let discovery = try await client.execute(uri: "/oauth2/token/.well-known/openid-configuration", method: .get)
            #expect(discovery.status == .ok)
            let document = try JSONDecoder().decode(OpenIDConfiguration.self, from: Data(buffer: discovery.body))
            #expect(document.issuer == "https://localhost:9443/oauth2/token")
            #expect(document.tokenEndpoint == document.issuer)
            #expect(document.jwksURI == "https://localhost:9443/oauth2/jwks")
            #expect(document.revocationEndpoint == "https://localhost:9443/oauth2/revoke")
            #expect(document.idTokenSigningAlgValuesSupported == ["RS256"])
            #expect(document.grantTypesSupported.contains("client_credentials"))
            // No authorization endpoint is advertised while identity.xml does not offer the authorization-code grant.
            #expect(document.authorizationEndpoint == nil)
            #expect(!String(buffer: discovery.body).contains("authorize"))
        }
    }

    @Test func aKeyManagerWithoutASigningKeyPublishesAnEmptySet() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let jwks = try await client.execute(uri: "/oauth2/jwks", method: .get)
            #expect(String(buffer: jwks.body) == #"{"keys":[]}"#)
        }
    }
}
