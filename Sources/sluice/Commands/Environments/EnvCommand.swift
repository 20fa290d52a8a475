import ArgumentParser
import Foundation

/// `sluice env add|list|remove`: named management servers (apictl's `add env`), so one project moves from dev to
/// prod with `--environment`.
struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Name the management servers the remote commands work against (--environment NAME).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an environment, or change its server.",
            discussion: "Then `sluice login --environment NAME` logs in there; its login is kept apart from the others."
        )

        @Argument(help: "The environment's name (letters, digits, '.', '_', '-').")
        var name: String

        @Argument(help: "Its management server, e.g. https://prod.example.com:9443.")
        var server: String

        func run() async throws {
            guard EnvironmentStore.isValidName(name) else {
                throw ValidationError("'\(name)' is not an environment name (letters, digits, '.', '_', '-')")
            }
            let url = try ManagementClient(server: server).server
            let store = EnvironmentStore.standard()
            var environments = try store.load()
            let previous = environments.updateValue(url, forKey: name)
            try store.save(environments)
            if let previous, previous != url {
                // A login belongs to one server: the old one's tokens mean nothing to the new.
                try CredentialStore.standard(environmentName: name).remove()
                print("Environment \(name) now at \(url) (was \(previous); log in again)")
            } else {
                print("Environment \(name) at \(url)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the environments and who is logged in to each.")

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let environments = try EnvironmentStore.standard().load()
            let rows = try environments.keys.sorted().map { name in
                let login = try CredentialStore.standard(environmentName: name).load()
                return ["name": name, "server": environments[name]!, "user": login?.username ?? ""]
            }
            if output.isJSON { return try output.printJSON(encoding: rows) }
            output.printTable(["NAME", "SERVER", "LOGGED IN AS"], rows.map { [$0["name"]!, $0["server"]!, $0["user"]!] })
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an environment and forget its login.")

        @Argument(help: "The environment's name.")
        var name: String

        func run() async throws {
            let store = EnvironmentStore.standard()
            var environments = try store.load()
            guard environments.removeValue(forKey: name) != nil else { _ = try store.server(of: name); return }
            try store.save(environments)
            try CredentialStore.standard(environmentName: name).remove()
            print("Removed environment \(name)")
        }
    }
}
