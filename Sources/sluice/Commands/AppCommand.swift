import ArgumentParser
import Foundation
import Logging
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// `sluice app create|list|keys|regenerate-secret`: applications and their consumer keys, worked on the
/// repository's database directly. New secrets are printed once; only their hashes are stored.
/// `sluice app list|create --remote` work instead on the logged-in user's applications on the server that
/// `sluice login` chose.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Manage applications in the repository's database, or on the server with --remote.",
        subcommands: [Create.self, List.self, Keys.self, RegenerateSecret.self]
    )

    /// Options shared by the subcommands.
    struct RepositoryOptions: ParsableArguments {
        @Option(name: .long, help: "The repository folder (its database is database/sluice.db).")
        var repository: String = "./repository"

        func keyManager() async throws -> KeyManager {
            let storage = try SQLiteStorage(repository: repository)
            // A one-shot command: only problems are worth a log line.
            var logger = Logger(label: "sluice.app")
            logger.logLevel = .warning
            return try await KeyManager(storage: storage, configuration: KeyManagerConfiguration(logger: logger))
        }
    }

    /// Finds an application by id, or by name for an owner.
    struct ApplicationOptions: ParsableArguments {
        @Option(name: .long, help: "The application id, or its name together with --owner.")
        var app: String

        @Option(name: .long, help: "The owner, when --app is a name.")
        var owner: String?

        func resolve(_ keyManager: KeyManager) async throws -> ApplicationRecord {
            if let application = try await keyManager.application(id: app) { return application }
            let candidates = try await keyManager.applications(owner: owner).filter { $0.name == app }
            guard let application = candidates.first else { throw ValidationError("no application \(app)") }
            guard candidates.count == 1 else {
                throw ValidationError("several owners have an application named \(app): add --owner")
            }
            return application
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an application (in the database, or with --remote for the logged-in user)."
        )

        @OptionGroup var repository: RepositoryOptions

        @Flag(name: .long, help: "Create it on the server `sluice login` chose, owned by the logged-in user.")
        var remote = false

        @OptionGroup var target: EnvironmentOption

        @Option(name: .long, help: "The application name (unique per owner).")
        var name: String

        @Option(name: .long, help: "The subscriber who owns it (not with --remote).")
        var owner: String?

        @Option(name: .long, help: "The application throttling tier (app-tiers.xml).")
        var tier: String = "Unlimited"

        @Option(name: .long, help: "A description.")
        var description: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if remote && owner != nil { throw ValidationError("--owner is the logged-in user with --remote") }
            if !remote && owner == nil { throw ValidationError("--owner is required (or use --remote)") }
            if !remote && target.environment != nil { throw ValidationError("--environment goes with --remote") }
        }

        func run() async throws {
            if remote {
                return try await RemoteApplications.create(
                    name: name,
                    tier: tier,
                    description: description,
                    output: output,
                    target: target
                )
            }
            let keyManager = try await repository.keyManager()
            let application = try await keyManager.createApplication(
                name: name,
                owner: owner ?? "",
                throttlingTier: tier,
                description: description
            )
            print("Created application \(application.name) (\(application.id)) owned by \(application.owner)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applications (in the database, or with --remote the logged-in user's)."
        )

        @OptionGroup var repository: RepositoryOptions

        @Flag(name: .long, help: "List the logged-in user's applications on the server `sluice login` chose.")
        var remote = false

        @OptionGroup var target: EnvironmentOption

        @Option(name: .long, help: "Only this owner's applications (not with --remote).")
        var owner: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if remote && owner != nil { throw ValidationError("--remote lists the logged-in user's applications") }
            if !remote && target.environment != nil { throw ValidationError("--environment goes with --remote") }
        }

        func run() async throws {
            if remote { return try await RemoteApplications.list(output: output, target: target) }
            let keyManager = try await repository.keyManager()
            for application in try await keyManager.applications(owner: owner) {
                print("\(application.id)\t\(application.owner)\t\(application.name)\t\(application.throttlingTier)")
            }
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an application's consumer keys, or generate a key pair with --generate."
        )

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var application: ApplicationOptions

        @Option(name: .long, help: "Generate keys of this type: PRODUCTION or SANDBOX.")
        var generate: KeyType?

        @Option(name: .long, parsing: .upToNextOption, help: "Grant types of the generated keys.")
        var grantTypes: [String] = []

        func run() async throws {
            let keyManager = try await repository.keyManager()
            let record = try await application.resolve(keyManager)
            if let generate {
                let keys = try await keyManager.generateKeys(
                    applicationID: record.id,
                    keyType: generate,
                    grantTypes: grantTypes.isEmpty ? nil : grantTypes
                )
                AppCommand.printOnce(keys)
                return
            }
            for key in try await keyManager.keys(applicationID: record.id) {
                let grants = key.grantTypes.joined(separator: " ")
                print("\(key.keyType.rawValue)\t\(key.consumerKey)\t\(key.state)\t\(grants)")
            }
        }
    }

    struct RegenerateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "regenerate-secret",
            abstract: "Replace the consumer secret of an application's key; the old secret stops working."
        )

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var application: ApplicationOptions

        @Option(name: .long, help: "PRODUCTION or SANDBOX.")
        var keyType: KeyType = .production

        @Flag(name: .long, help: "On the server `sluice login` chose, for one of the logged-in user's applications.")
        var remote = false

        @OptionGroup var target: EnvironmentOption

        func run() async throws {
            if remote { return try await regenerateOnServer() }
            let keyManager = try await repository.keyManager()
            let record = try await application.resolve(keyManager)
            AppCommand.printOnce(try await keyManager.regenerateSecret(applicationID: record.id, keyType: keyType))
        }

        private func regenerateOnServer() async throws {
            var session = try target.session()
            let found = try await RemoteApplications.resolve(application.app, in: &session)
            let body = try await session.call(
                .POST,
                RemoteApplications.base + "/\(found.applicationId)/keys/\(keyType.rawValue)/regenerate-secret",
                doing: "regenerating the consumer secret of \(found.name)"
            )
            let keys = try RemoteDTOs.decode([String: String].self, body, what: "the regenerated secret")
            guard let consumerKey = keys["consumerKey"], let secret = keys["consumerSecret"] else {
                throw CLIError("the server sent no new secret")
            }
            print("Consumer key:    \(consumerKey)")
            print("Consumer secret: \(secret)")
            print("The old secret no longer works; the new one is shown only now.")
        }
    }

    static func printOnce(_ keys: GeneratedKeys) {
        print("Key type:        \(keys.keyType.rawValue)")
        print("Consumer key:    \(keys.consumerKey)")
        print("Consumer secret: \(keys.consumerSecret)")
        print("Grant types:     \(keys.grantTypes.joined(separator: " "))")
        print("The secret is shown only now: Sluice keeps its hash.")
    }
}

extension KeyType: ExpressibleByArgument {}
