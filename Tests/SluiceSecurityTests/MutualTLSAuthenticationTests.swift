import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSecurity

/// Mutual TLS at the authentication handler (WSO2's `MutualSSLAuthenticator` with `APIAuthenticationHandler`'s
/// mandatory/optional rules): which certificate is accepted, alone or with a token, and what is refused.
@Suite struct MutualTLSAuthenticationTests {
    typealias Tests = APIAuthenticationHandlerTests

    static let uploaded = String(repeating: "ab", count: 32)
    static let sandbox = String(repeating: "cd", count: 32)
    static let information = "{sha256:\(uploaded)=Gold:PRODUCTION, sha256:\(sandbox.uppercased())=Silver:SANDBOX}"

    static func handler(_ schemes: String, information: String = Self.information) throws -> APIAuthenticationHandler {
        Tests.handler(
            answer: { $0.accessToken == "good" ? Tests.authorized() : .denied(.invalidCredentials) },
            configuration: try APIKeyAuthenticationTests.configuration([
                ("APISecurity", schemes), ("certificateInformation", information),
            ])
        )
    }

    static func request(certificate: String?, headers: HTTPHeaders = [:]) -> MessageContext {
        var context = Tests.request(headers)
        context.clientCertificate = certificate.map {
            ClientCertificate(fingerprint: $0, subject: "CN=orders-client,O=Shop", commonName: "orders-client")
        }
        return context
    }

    static func proceeds(_ handler: APIAuthenticationHandler, _ context: inout MessageContext) -> Bool {
        if case .proceed = handler.handleRequest(&context, resource: Tests.resource) { return true }
        return false
    }

    @Test func mutualSSLAloneAcceptsOnlyAnUploadedCertificate() throws {
        let handler = try Self.handler("mutualssl")
        var known = Self.request(certificate: Self.uploaded)
        #expect(Self.proceeds(handler, &known))
        #expect(known[property: "api.ut.userId"] == "orders-client")
        #expect(known[property: "api.ut.tier"] == "Gold")
        #expect(known[property: "api.ut.application.id"] == .string("mutualssl:" + Self.uploaded))
        #expect(known[property: "AM_KEY_TYPE"] == "PRODUCTION")
        // Matched case-insensitively as written; the key type comes from the upload.
        var sandbox = Self.request(certificate: Self.sandbox)
        #expect(Self.proceeds(handler, &sandbox))
        #expect(sandbox[property: "AM_KEY_TYPE"] == "SANDBOX")

        for certificate in [nil, String(repeating: "ef", count: 32)] {
            // A valid token does not stand in for the certificate.
            var refused = Self.request(certificate: certificate, headers: ["Authorization": "Bearer good"])
            #expect(!Self.proceeds(handler, &refused))
            #expect(refused.statusCode == 401)
            #expect(APIKeyAuthenticationTests.code(refused) == "900901")
            #expect(refused.headers.first(name: "WWW-Authenticate") == #"Mutual SSL realm="WSO2 API Manager""#)
        }
    }

    @Test func withOAuthTheMandatoryFlagsDecideWhatIsNeeded() throws {
        // No flag: the certificate is needed (as WSO2 effectively does), a token alone is not enough.
        let unflagged = try Self.handler("mutualssl,oauth2")
        var certificateOnly = Self.request(certificate: Self.uploaded)
        #expect(Self.proceeds(unflagged, &certificateOnly))
        var tokenOnly = Self.request(certificate: nil, headers: ["Authorization": "Bearer good"])
        #expect(!Self.proceeds(unflagged, &tokenOnly))
        #expect(APIKeyAuthenticationTests.code(tokenOnly) == "900901")

        // Token mandatory, certificate optional: the token decides, with or without a certificate.
        let tokenMandatory = try Self.handler("mutualssl,oauth2,oauth_basic_auth_api_key_mandatory")
        var token = Self.request(certificate: nil, headers: ["Authorization": "Bearer good"])
        #expect(Self.proceeds(tokenMandatory, &token))
        #expect(token[property: "api.ut.application.id"] == "app-1")
        var certificateWithoutToken = Self.request(certificate: Self.uploaded)
        #expect(!Self.proceeds(tokenMandatory, &certificateWithoutToken))
        #expect(APIKeyAuthenticationTests.code(certificateWithoutToken) == "900902")

        // Both mandatory: both must pass, and the token names the caller.
        let both = try Self.handler("mutualssl,mutualssl_mandatory,oauth2,oauth_basic_auth_api_key_mandatory")
        var complete = Self.request(certificate: Self.uploaded, headers: ["Authorization": "Bearer good"])
        #expect(Self.proceeds(both, &complete))
        #expect(complete[property: "api.ut.application.id"] == "app-1")
        var badToken = Self.request(certificate: Self.uploaded, headers: ["Authorization": "Bearer bad"])
        #expect(!Self.proceeds(both, &badToken))
        #expect(APIKeyAuthenticationTests.code(badToken) == "900901")
        var noCertificate = Self.request(certificate: nil, headers: ["Authorization": "Bearer good"])
        #expect(!Self.proceeds(both, &noCertificate))
        #expect(noCertificate.headers.first(name: "WWW-Authenticate")?.hasPrefix("Mutual SSL") == true)
    }

    @Test func certificateInformationIsReadStrictlyAndWSO2EntriesNeverMatch() throws {
        let wso2 = try MutualTLSPolicy.certificates(from: "{12345_CN=ca#O=Shop=Gold}")
        #expect(wso2.isEmpty)
        let read = try MutualTLSPolicy.certificates(from: "sha256:\(Self.uploaded)=Gold")
        #expect(read[Self.uploaded]?.keyType == .production)
        for bad in ["{sha256:abc=Gold}", "{sha256:\(Self.uploaded)}", "{sha256:\(Self.uploaded)=Gold:TEST}", "{=Gold}"] {
            #expect(throws: MutualTLSPolicyError.self, "\(bad)") { try MutualTLSPolicy.certificates(from: bad) }
            #expect(throws: MediationCompileError.self) { try Self.handler("mutualssl", information: bad) }
        }
        // An API whose only scheme Sluice does not enforce is refused at deploy, not left open.
        #expect(throws: MediationCompileError.self) {
            try APIKeyAuthenticationTests.configuration([("APISecurity", "basic_auth")])
        }
        // Resources without authentication need no certificate either (WSO2 skips every authenticator).
        let handler = try Self.handler("mutualssl")
        var open = Self.request(certificate: nil)
        let resource = DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
            methods: ["GET"], authType: .none
        )
        guard case .proceed = handler.handleRequest(&open, resource: resource) else {
            Issue.record("an auth-type None resource must pass without a certificate")
            return
        }
    }
}
