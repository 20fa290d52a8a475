public import SluiceModel
import SluiceMediation
import SluiceXML

/// Reads token settings from `repository/conf/identity.xml` (WSO2 `/Server/OAuth/...` elements).
///
/// Read elements, all under `/Server/OAuth` in namespace `http://wso2.org/projects/carbon/carbon.xml`:
/// `AuthorizationCodeDefaultValidityPeriod`, `AccessTokenDefaultValidityPeriod`,
/// `UserAccessTokenDefaultValidityPeriod`, `RefreshTokenValidityPeriod`, `TimestampSkew` (seconds),
/// `RenewRefreshTokenForRefreshGrant`, `SupportedGrantTypes/SupportedGrantType/GrantTypeName`,
/// `OpenIDConnect/IDTokenIssuerID` (the `iss` of JWT access tokens). Everything else
/// in the file is ignored, as a full WSO2 identity.xml holds much more.
public enum IdentityConfigReader {
    /// The namespace of WSO2's Carbon configuration files.
    public static let carbonNamespace = "http://wso2.org/projects/carbon/carbon.xml"

    /// Reads the file; a missing file gives WSO2's defaults (3600 / 3600 / 84600 / 300 seconds).
    /// - Throws: `SynapseDiagnostics` for malformed XML or values that are not numbers.
    public static func read(path: String) throws(SynapseDiagnostics) -> IdentitySettings {
        var settings = IdentitySettings.wso2Defaults
        guard let file = try ConfigFile.load(path: path) else { return settings }
        file.expectRoot("Server", namespace: carbonNamespace)
        if let oauth = file.root.child("OAuth") {
            if let value: Int64 = file.integer("AuthorizationCodeDefaultValidityPeriod", in: oauth) {
                settings.authorizationCodeValidity = value
            }
            if let value: Int64 = file.integer("AccessTokenDefaultValidityPeriod", in: oauth) {
                settings.applicationAccessTokenValidity = value
            }
            if let value: Int64 = file.integer("UserAccessTokenDefaultValidityPeriod", in: oauth) {
                settings.userAccessTokenValidity = value
            }
            if let value: Int64 = file.integer("RefreshTokenValidityPeriod", in: oauth) {
                settings.refreshTokenValidity = value
            }
            if let value: Int64 = file.integer("TimestampSkew", in: oauth) {
                settings.timestampSkew = value
            }
            if let value = file.boolean("RenewRefreshTokenForRefreshGrant", in: oauth) {
                settings.renewRefreshTokenForRefreshGrant = value
            }
            if let grants = oauth.child("SupportedGrantTypes") {
                settings.supportedGrantTypes = grants.childElements
                    .filter { $0.localName == "SupportedGrantType" }
                    .compactMap { file.text(of: "GrantTypeName", in: $0)?.text }
                    .filter { !$0.isEmpty }
            }
            if let openID = oauth.child("OpenIDConnect"), let issuer = file.text(of: "IDTokenIssuerID", in: openID)?.text,
                !issuer.isEmpty
            {
                settings.tokenIssuer = issuer
            }
        }
        try file.finish()
        return settings
    }
}
