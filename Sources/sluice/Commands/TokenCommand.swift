import ArgumentParser
import Foundation
import SluiceModel

/// `sluice token --app APP`: an access token of one of the user's applications, generating its keys first when
/// it has none. Standard output gets only the token, so `token=$(sluice token --app Demo)` works.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print an application access token, generating the application's keys if needed.",
        discussion: """
            A new key pair's consumer secret is shown once on standard error. When the keys exist, the logged-in \
            owner of the application gets a token without the secret (as in WSO2's Devportal); a secret given with \
            --consumer-secret (or SLUICE_CONSUMER_SECRET) is checked. The secret never changes here: \
            `sluice app regenerate-secret` rotates it when asked.
            """
    )

    @Option(name: .long, help: "The application id or name.")
    var app: String

    @Option(name: .long, help: "PRODUCTION or SANDBOX.")
    var keyType: KeyType = .production

    // Unconditional: a generated secret is base64url and starts with "-" one time in 64, which the parser would
    // otherwise read as the next option ("Missing value for '--consumer-secret'").
    @Option(
        name: .long,
        parsing: .unconditional,
        help: "The consumer secret of existing keys (prefer SLUICE_CONSUMER_SECRET)."
    )
    var consumerSecret: String?

    @Option(name: .long, help: "Token validity in seconds (the server's default otherwise).")
    var validity: Int64?

    @Option(name: .long, parsing: .upToNextOption, help: "Scopes to request.")
    var scope: [String] = []

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        let application = try await RemoteApplications.resolve(app, in: &session)
        let keysPath = RemoteApplications.base + "/\(application.applicationId)/keys/\(keyType.rawValue)"
        let existing = try await session.send(.GET, keysPath)
        let token: RemoteDTOs.Token
        switch existing.status {
        case 404:
            token = try await generateKeys(application, &session)
        case 200..<300:
            token = try await tokenForExistingKeys(application, keysPath, &session)
        default:
            throw ServerFailure.error(existing, doing: "reading the keys of \(application.name)")
        }
        if output.isJSON { return try output.printJSON(encoding: token) }
        print(token.accessToken)
    }

    private func generateKeys(_ application: RemoteDTOs.Application, _ session: inout RemoteSession) async throws
        -> RemoteDTOs.Token
    {
        struct Request: Encodable {
            var keyType: String
            var grantTypesToBeSupported: [String]
            var validityTime: Int64?
            var scopes: [String]?
        }
        let request = Request(
            keyType: keyType.rawValue,
            grantTypesToBeSupported: ["client_credentials", "password", "refresh_token"],
            validityTime: validity,
            scopes: scope.isEmpty ? nil : scope
        )
        let body = try await session.call(
            .POST,
            RemoteApplications.base + "/\(application.applicationId)/generate-keys",
            body: .json(Array(try JSONEncoder().encode(request))),
            doing: "generating \(keyType.rawValue) keys for \(application.name)"
        )
        let keys = try RemoteDTOs.decode(RemoteDTOs.Keys.self, body, what: "the generated keys")
        Self.note("Generated \(keys.keyType) keys for \(application.name): consumer key \(keys.consumerKey)")
        if let secret = keys.consumerSecret { Self.note("Consumer secret (shown only now): \(secret)") }
        guard let token = keys.token else {
            throw CLIError("the keys were generated but the server issued no token (client_credentials disabled?)")
        }
        return token
    }

    private func tokenForExistingKeys(
        _ application: RemoteDTOs.Application,
        _ keysPath: String,
        _ session: inout RemoteSession
    ) async throws -> RemoteDTOs.Token {
        // Without a secret, the login's user (the application's owner) is what authorises the token, as in WSO2's
        // Devportal; nothing is regenerated.
        let secret = consumerSecret ?? ProcessInfo.processInfo.environment["SLUICE_CONSUMER_SECRET"]
        struct Request: Encodable {
            var consumerSecret: String?
            var validityPeriod: Int64?
            var scopes: [String]?
        }
        let request = Request(
            consumerSecret: secret?.isEmpty == false ? secret : nil,
            validityPeriod: validity,
            scopes: scope.isEmpty ? nil : scope
        )
        let body = try await session.call(
            .POST,
            keysPath + "/generate-token",
            body: .json(Array(try JSONEncoder().encode(request))),
            doing: "getting a token for \(application.name)"
        )
        return try RemoteDTOs.decode(RemoteDTOs.Token.self, body, what: "the token")
    }

    private static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
