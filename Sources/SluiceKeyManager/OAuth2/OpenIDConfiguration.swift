/// The OpenID provider metadata (OpenID Connect Discovery 1.0, RFC 8414) served at
/// `/oauth2/token/.well-known/openid-configuration`, as WSO2 serves it: where the endpoints and the signing keys
/// are, for clients and split gateways.
public struct OpenIDConfiguration: Sendable, Hashable, Codable {
    /// The `iss` of the tokens: the token endpoint's URL.
    public var issuer: String
    /// `/oauth2/authorize`: nil (left out) while identity.xml does not offer the authorization-code grant.
    public var authorizationEndpoint: String?
    /// `/oauth2/token`.
    public var tokenEndpoint: String
    /// `/oauth2/revoke`.
    public var revocationEndpoint: String
    /// `/oauth2/introspect`.
    public var introspectionEndpoint: String
    /// `/oauth2/jwks`.
    public var jwksURI: String
    /// Response types of the authorization endpoint: `code`, or none while it is not offered.
    public var responseTypesSupported: [String]
    /// The grants identity.xml enables.
    public var grantTypesSupported: [String]
    /// `public`.
    public var subjectTypesSupported: [String]
    /// The signing algorithm of the key store's key.
    public var idTokenSigningAlgValuesSupported: [String]
    /// HTTP Basic and form parameters.
    public var tokenEndpointAuthMethodsSupported: [String]
    /// PKCE methods: `S256` only, while the authorization endpoint is offered.
    public var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case jwksURI = "jwks_uri"
        case responseTypesSupported = "response_types_supported"
        case grantTypesSupported = "grant_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }
}

extension KeyManager {
    /// The provider metadata; endpoint URLs share the issuer's origin (`https://host:9443`).
    public var openIDConfiguration: OpenIDConfiguration {
        let issuer = configuration.issuer
        let suffix = "/oauth2/token"
        let origin = issuer.hasSuffix(suffix) ? String(issuer.dropLast(suffix.count)) : issuer
        let authorizes = identity.supportedGrantTypes.contains("authorization_code")
        return OpenIDConfiguration(
            issuer: issuer,
            authorizationEndpoint: authorizes ? origin + "/oauth2/authorize" : nil,
            tokenEndpoint: origin + suffix,
            revocationEndpoint: origin + "/oauth2/revoke",
            introspectionEndpoint: origin + "/oauth2/introspect",
            jwksURI: origin + "/oauth2/jwks",
            responseTypesSupported: authorizes ? ["code"] : [],
            grantTypesSupported: identity.supportedGrantTypes,
            subjectTypesSupported: ["public"],
            idTokenSigningAlgValuesSupported: configuration.tokenSigner.map { [$0.algorithmName] } ?? [],
            tokenEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post"],
            codeChallengeMethodsSupported: authorizes ? ["S256"] : nil
        )
    }
}
