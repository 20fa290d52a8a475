import SluiceMediation
import SluiceModel
import SluiceXML

extension APIManagerConfigReader {
    /// WSO2 elements of `<JWTConfiguration>` that choose Java classes or user-store claims; accepted and ignored
    /// (Sluice has one generator, and claims come from the key validation).
    static let ignoredJWTElements: Set<String> = [
        "JWTGeneratorImpl", "GatewayJWTGeneratorImpl", "ClaimsRetrieverImplClass", "EnableUserClaims",
        "EnableUserClaimRetrievalFromUserStore", "UseSHA256Hash", "UseKid", "JWTExcludedClaims", "ConvertDialect",
        "Encoding",
    ]

    /// `<JWTConfiguration>`: WSO2's backend JWT settings (`EnableJWTGeneration`, `JWTHeader`, `ConsumerDialectURI`,
    /// `SignatureAlgorithm`), and Sluice's `<TTL>` in seconds.
    static func readJWTConfiguration(_ element: XMLElementNode, reader: ArtifactReader) -> BackendJWTSettings {
        var settings = BackendJWTSettings()
        for field in element.childElements {
            let text = field.textContent.trimmingSpaces()
            switch field.localName {
            case "EnableJWTGeneration":
                switch text.lowercased() {
                case "true": settings.isEnabled = true
                case "false": settings.isEnabled = false
                default: reader.report("<EnableJWTGeneration> must be true or false, not '\(text)'", at: field)
                }
            case "JWTHeader":
                if text.isEmpty || text.contains(where: { $0 == " " || $0 == ":" }) {
                    reader.report("<JWTHeader> must be a header name, not '\(text)'", at: field)
                } else {
                    settings.header = String(text)
                }
            case "ConsumerDialectURI":
                settings.claimDialect = String(text)
            case "SignatureAlgorithm":
                // The key store's key decides (RS256 for RSA); WSO2's NONE (unsigned JWTs) is refused.
                if !["SHA256withRSA", "SHA256withECDSA", "RS256", "ES256"].contains(String(text)) {
                    reader.report("<SignatureAlgorithm> '\(text)' is not offered: JWTs are signed with the key store's key (SHA256withRSA)", at: field)
                }
            case "TTL":
                guard let seconds: Int64 = reader.integer(text, named: "TTL", in: field) else { continue }
                guard seconds >= 60 else {
                    reader.report("<TTL> must be at least 60 seconds", at: field)
                    continue
                }
                settings.validitySeconds = seconds
            case let name where ignoredJWTElements.contains(name):
                continue
            default:
                reader.reportUnknown(field, in: element)
            }
        }
        return settings
    }
}
