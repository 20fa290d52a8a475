import Foundation
import SluiceTesting
import Testing

extension CLIProcessTests {
    /// `sluice env`, `sluice api export` and `sluice api import` as processes against two real servers: an API
    /// exported from one is served by the other the same way.
    @Suite(.serialized, .timeLimit(.minutes(3)))
    struct ExportImportCLITests {
        /// Runs `sluice` with one configuration folder for both environments.
        private struct CLI {
            let server: SluiceServerProcess
            let configHome: String

            func run(_ arguments: [String], password: String? = nil) async throws -> (status: Int32, output: String, error: String) {
                var environment = ["SLUICE_CONFIG_HOME": configHome]
                environment["SLUICE_PASSWORD"] = password
                return try await server.execute(SluiceServerProcess.sluice, arguments, environment: environment)
            }

            func succeed(_ arguments: [String], password: String? = nil) async throws -> String {
                let result = try await run(arguments, password: password)
                try #require(result.status == 0, "sluice \(arguments.joined(separator: " ")) failed: \(result.error)")
                return result.output
            }
        }

        /// The menu through a gateway, once the API is live there.
        private func menu(_ gateway: String) async throws -> (status: Int, body: String) {
            let url = gateway + "/menus/1.0.0/menu"
            var answer = try await HTTP.send("GET", url)
            let deadline = Date().addingTimeInterval(20)
            while answer.status != 200 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                answer = try await HTTP.send("GET", url)
            }
            return (answer.status, answer.body)
        }

        @Test func anAPIExportedFromDevIsServedTheSameByProd() async throws {
            let dev = try SluiceServerProcess()
            let prod = try SluiceServerProcess()
            try await dev.start()
            defer { dev.stop() }
            try await prod.start()
            defer { prod.stop() }
            let cli = CLI(server: dev, configHome: dev.workspace + "/config")
            let password = SluiceServerProcess.adminPassword

            #expect(try await cli.succeed(["env", "add", "dev", dev.managementURL]).contains("Environment dev at"))
            _ = try await cli.succeed(["env", "add", "prod", prod.managementURL + "/"])
            let unknown = try await cli.run(["api", "list", "--environment", "qa"])
            #expect(unknown.status != 0)
            #expect(unknown.error.contains("not logged in to environment qa"))
            _ = try await cli.succeed(["login", "--environment", "dev", "-u", "admin"], password: password)
            _ = try await cli.succeed(["login", "-e", "prod", "-u", "admin"], password: password)
            let environments = try await cli.succeed(["env", "list"])
            #expect(environments.contains("dev") && environments.contains(prod.managementURL))
            // The environment file holds names and URLs only; each login sits in its own mode-0600 file.
            let stored = try String(contentsOfFile: cli.configHome + "/environments.json", encoding: .utf8)
            #expect(!stored.contains("Token") && !stored.contains("secret"))
            let prodLogin = cli.configHome + "/credentials-prod.json"
            let attributes = try FileManager.default.attributesOfItem(atPath: prodLogin)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            // A project from an OpenAPI document, imported into dev and published there.
            let document = dev.workspace + "/menus.yaml"
            try """
            openapi: 3.0.3
            info: {title: Menus, version: 1.0.0}
            servers: [{url: "\(dev.backendURL)"}]
            paths:
              /menu:
                get:
                  security: []
                  responses: {"200": {description: OK}}
            """.write(toFile: document, atomically: true, encoding: .utf8)
            let project = dev.workspace + "/Menus"
            #expect(try await cli.succeed(["init", project, "--oas", document, "--context", "/menus"]).contains("1 resources"))
            #expect(try await cli.succeed(["api", "import", project, "-e", "dev"]).contains("Imported API Menus 1.0.0 (CREATED)"))
            #expect(try await cli.succeed(["api", "publish", "Menus", "-e", "dev"]).contains("CREATED -> PUBLISHED"))
            let fromDev = try await menu(dev.gatewayURL)
            #expect(fromDev.status == 200)

            // Export from dev (a zip and a folder), import into prod: the same API answers the same.
            let archive = dev.workspace + "/Menus_1.0.0.zip"
            let exported = try await cli.succeed(["api", "export", "Menus", "--version", "1.0.0", "-e", "dev", "-o", archive])
            #expect(exported.contains("Exported Menus 1.0.0 to \(archive)"))
            let folder = dev.workspace + "/Menus-1.0.0"
            _ = try await cli.succeed(["api", "export", "Menus", "--version", "1.0.0", "-e", "dev", "--format", "folder", "-o", folder])
            #expect(FileManager.default.fileExists(atPath: folder + "/api.yaml"))
            #expect(FileManager.default.fileExists(atPath: folder + "/Definitions/swagger.json"))
            #expect(try await cli.succeed(["api", "import", archive, "-e", "prod"]).contains("Imported API Menus 1.0.0 (PUBLISHED)"))
            let fromProd = try await menu(prod.gatewayURL)
            #expect(fromProd.status == 200)
            #expect(fromProd.body == fromDev.body)
            let devAPI = try await cli.succeed(["api", "show", "Menus", "-e", "dev", "--output", "json"])
            let prodAPI = try await cli.succeed(["api", "show", "Menus", "-e", "prod", "--output", "json"])
            #expect(try Self.resources(devAPI) == Self.resources(prodAPI))

            // Again: refused without --update; with it the folder updates prod's API in place.
            let again = try await cli.run(["api", "import", archive, "-e", "prod"])
            #expect(again.status != 0)
            #expect(again.error.contains("409"))
            #expect(try await cli.succeed(["api", "import", folder, "--update", "-e", "prod"]).contains("Updated API Menus 1.0.0"))
            let notAProject = try await cli.run(["api", "import", dev.workspace, "-e", "prod"])
            #expect(notAProject.status != 0)
            #expect(notAProject.error.contains("no api.yaml or api.json"))

            #expect(try await cli.succeed(["logout", "-e", "prod"]).contains("Logged out"))
            #expect(try await cli.succeed(["env", "remove", "prod"]).contains("Removed environment prod"))
            #expect(!FileManager.default.fileExists(atPath: prodLogin))
        }

        /// `VERB target` of each operation of an API shown as JSON.
        static func resources(_ json: String) throws -> [String] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let operations = try #require(object["operations"] as? [[String: Any]])
            return operations.map { "\($0["verb"] ?? "") \($0["target"] ?? "") \($0["authType"] ?? "")" }.sorted()
        }
    }
}
