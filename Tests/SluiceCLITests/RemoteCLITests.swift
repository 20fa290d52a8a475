import Foundation
import SluiceTesting
import Testing

extension CLIProcessTests {
    /// The remote commands (`sluice login`, `api`, `app --remote`, `subscribe`, `token`, `logout`) as processes against
    /// a real `sluice server`, and their error paths.
    @Suite(.serialized, .timeLimit(.minutes(2)))
    struct RemoteCLITests {
        /// Runs `sluice` with its own credentials folder.
        private struct CLI {
            let server: SluiceServerProcess
            let configHome: String

            init(_ server: SluiceServerProcess) {
                self.server = server
                configHome = server.workspace + "/config-" + UUID().uuidString
            }

            var credentialsPath: String { configHome + "/credentials.json" }

            func run(_ arguments: [String], password: String? = nil, input: String? = nil) async throws
                -> (status: Int32, output: String, error: String)
            {
                var environment = ["SLUICE_CONFIG_HOME": configHome]
                environment["SLUICE_PASSWORD"] = password
                return try await server.execute(SluiceServerProcess.sluice, arguments, environment: environment, input: input)
            }

            /// Runs a command that must succeed and returns its standard output.
            func succeed(_ arguments: [String], password: String? = nil) async throws -> String {
                let result = try await run(arguments, password: password)
                try #require(result.status == 0, "sluice \(arguments.joined(separator: " ")) failed: \(result.error)")
                return result.output
            }

            func json(_ arguments: [String]) async throws -> [String: Any] {
                let text = try await succeed(arguments + ["--output", "json"])
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                return try #require(object, "not a JSON object: \(text)")
            }
        }

        private func apiDefinition(_ server: SluiceServerProcess, name: String = "Orders", context: String = "/orders")
            throws -> String
        {
            let path = server.workspace + "/\(name).json"
            try """
            {"name": "\(name)", "context": "\(context)", "version": "1.0.0", "policies": ["Gold", "Unlimited"],
             "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(server.backendURL)"}},
             "operations": [{"target": "/menu", "verb": "GET", "authType": "Application & Application User",
                             "throttlingPolicy": "Unlimited"}]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func loginCreatePublishSubscribeTokenAndCallTheGateway() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let admin = CLI(server)

            // The password from standard input, as a script or a terminal gives it.
            let login = try await admin.run(["login", server.managementURL, "--username", "admin"], input: SluiceServerProcess.adminPassword + "\n")
            #expect(login.status == 0, "\(login.error)")
            #expect(login.output.contains("Logged in to \(server.managementURL) as admin"))
            #expect(login.output.contains("apim:api_publish"))
            let attributes = try FileManager.default.attributesOfItem(atPath: admin.credentialsPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let stored = try String(contentsOfFile: admin.credentialsPath, encoding: .utf8)
            #expect(!stored.contains(SluiceServerProcess.adminPassword))
            #expect(stored.contains("refreshToken"))

            let created = try await admin.json(["api", "create", "--file", try apiDefinition(server)])
            let apiID = try #require(created["id"] as? String)
            #expect(created["lifeCycleStatus"] as? String == "CREATED")
            // YAML definitions are read too.
            let yaml = server.workspace + "/kitchen.yaml"
            try """
            name: Kitchen
            context: /kitchen
            version: "1.0.0"
            endpointConfig:
              endpoint_type: http
              production_endpoints: {url: "\(server.backendURL)"}
            operations:
              - {target: /menu, verb: GET}
            """.write(toFile: yaml, atomically: true, encoding: .utf8)
            #expect(try await admin.succeed(["api", "create", "--file", yaml]).contains("Created API Kitchen 1.0.0 at /kitchen"))
            let listed = try await admin.succeed(["api", "list", "--query", "name:Orders"])
            #expect(listed.contains(apiID))
            #expect(listed.contains("CREATED"))
            #expect(try await admin.succeed(["api", "publish", "Orders"]).contains("CREATED -> PUBLISHED"))
            let shown = try await admin.json(["api", "show", apiID])
            #expect(shown["lifeCycleStatus"] as? String == "PUBLISHED")
            #expect(shown["gatewayDeployed"] as? Bool == true)

            // A subscriber signs up and works through the store.
            let signup = try await HTTP.send(
                "POST", server.managementURL + "/api/am/devportal/v3/self-signup",
                headers: ["Content-Type": "application/json"],
                body: #"{"username": "sam", "password": "Sam-password-1", "email": "sam@example.com", "firstName": "Sam", "lastName": "Ple"}"#)
            #expect(signup.status == 201)
            let subscriber = CLI(server)
            _ = try await subscriber.succeed(["login", server.managementURL, "-u", "sam"], password: "Sam-password-1")
            #expect(try await subscriber.succeed(["app", "create", "--remote", "--name", "Shop"]).contains("Created application Shop"))
            #expect(try await subscriber.succeed(["app", "list", "--remote"]).contains("Shop"))
            let subscribed = try await subscriber.succeed(["subscribe", "--app", "Shop", "--api", "Orders:1.0.0", "--tier", "Gold"])
            #expect(subscribed.contains("Subscribed Shop to Orders 1.0.0 with tier Gold"))
            let tokenRun = try await subscriber.run(["token", "--app", "Shop"])
            #expect(tokenRun.status == 0, "\(tokenRun.error)")
            #expect(tokenRun.error.contains("Consumer secret (shown only now)"))
            let token = tokenRun.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.count >= 32)

            let menu = server.gatewayURL + "/orders/1.0.0/menu"
            var answer = try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(token)"])
            let deadline = Date().addingTimeInterval(10)
            while answer.status != 200 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                answer = try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(token)"])
            }
            #expect(answer.status == 200)
            #expect(answer.body.contains("Chicken Parmesan"))

            // Existing keys: the owner's login is enough for another token; the secret is neither asked nor changed.
            let secret = try #require(
                tokenRun.error.split(separator: "\n").first { $0.contains("Consumer secret (shown only now)") }?
                    .split(separator: " ").last.map(String.init))
            let second = try await subscriber.run(["token", "--app", "Shop", "--output", "json"])
            #expect(second.status == 0, "\(second.error)")
            #expect(!second.error.contains("secret"))
            let secondToken = try #require(
                (try JSONSerialization.jsonObject(with: Data(second.output.utf8)) as? [String: Any])?["accessToken"] as? String)
            #expect(secondToken != token)
            #expect(try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(secondToken)"]).status == 200)
            let withSecret = try await subscriber.run(["token", "--app", "Shop", "--consumer-secret", secret])
            #expect(withSecret.status == 0, "\(withSecret.error)")

            // The secret rotates only when asked: the old one is refused afterwards, the new one works.
            let rotated = try await subscriber.succeed(["app", "regenerate-secret", "--remote", "--app", "Shop"])
            let newSecret = try #require(
                rotated.split(separator: "\n").first { $0.hasPrefix("Consumer secret:") }?.split(separator: " ").last
                    .map(String.init))
            #expect(newSecret != secret)
            let old = try await subscriber.run(["token", "--app", "Shop", "--consumer-secret", secret])
            #expect(old.status != 0)
            #expect(old.error.contains("Client authentication failed"), "\(old.error)")
            // A generated secret starts with "-" one time in 64: it is still read as the secret, not as an option.
            let dashed = try await subscriber.run(["token", "--app", "Shop", "--consumer-secret", "-" + secret])
            #expect(dashed.error.contains("Client authentication failed"), "\(dashed.error)")
            let renewed = try await subscriber.run(["token", "--app", "Shop", "--consumer-secret", newSecret])
            #expect(renewed.status == 0, "\(renewed.error)")

            // The subscriber may not create APIs: the server's 403 is shown.
            let refused = try await subscriber.run(["api", "create", "--file", try apiDefinition(server, name: "Mine", context: "/mine")])
            #expect(refused.status != 0)
            #expect(refused.error.contains("HTTP 403 Forbidden"))

            #expect(try await subscriber.succeed(["logout"]).contains("Logged out"))
            #expect(!FileManager.default.fileExists(atPath: subscriber.credentialsPath))
            server.stop()
        }

        @Test func errorsAreClear() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let cli = CLI(server)

            let notLoggedIn = try await cli.run(["api", "list"])
            #expect(notLoggedIn.status != 0)
            #expect(notLoggedIn.error.contains("not logged in"))

            let wrong = try await cli.run(["login", server.managementURL, "-u", "admin"], password: "not-the-password")
            #expect(wrong.status != 0)
            #expect(wrong.error.contains("wrong user name or password"))
            #expect(!FileManager.default.fileExists(atPath: cli.credentialsPath))

            let unreachable = try await cli.run(["login", "http://127.0.0.1:\(try FreePort.next())", "-u", "admin"], password: "x")
            #expect(unreachable.status != 0)
            #expect(unreachable.error.contains("cannot reach the Sluice server"))
            #expect(unreachable.error.contains("connection refused"))

            let badURL = try await cli.run(["login", "localhost:9763"], password: "x")
            #expect(badURL.status != 0)
            #expect(badURL.error.contains("is not a server URL"))

            _ = try await cli.succeed(["login", server.managementURL, "-u", "admin"], password: SluiceServerProcess.adminPassword)
            let unknown = try await cli.run(["api", "show", "NoSuchAPI"])
            #expect(unknown.status != 0)
            #expect(unknown.error.contains("no API has the id or name 'NoSuchAPI'"))
            let unknownApp = try await cli.run(["subscribe", "--app", "Nope", "--api", "NoSuchAPI"])
            #expect(unknownApp.error.contains("no application with the id or name 'Nope'"))

            let definition = try apiDefinition(server)
            _ = try await cli.succeed(["api", "create", "--file", definition])
            let duplicate = try await cli.run(["api", "create", "--file", definition])
            #expect(duplicate.status != 0)
            #expect(duplicate.error.contains("creating the API failed: HTTP 400 Bad Request"))
            #expect(duplicate.error.contains("already exists"))
            let illegal = try await cli.run(["api", "lifecycle", "Orders", "--action", "Retire"])
            #expect(illegal.error.contains("HTTP 400 Bad Request"))
            #expect(illegal.error.contains("Retire"))

            let broken = server.workspace + "/broken.json"
            try #"{"name": "Broken", "context": 7}"#.write(toFile: broken, atomically: true, encoding: .utf8)
            let invalid = try await cli.run(["api", "create", "--file", broken])
            #expect(invalid.status != 0)
            #expect(invalid.error.contains("broken.json"))

            // The server goes away: commands say so instead of hanging.
            server.stop()
            let gone = try await cli.run(["api", "list"])
            #expect(gone.status != 0)
            #expect(gone.error.contains("cannot reach the Sluice server at \(server.managementURL)"))
        }

        /// Each machine registers its own OAuth client, so a login on one does not replace the secret another
        /// renews its tokens with; and the clients are not among the user's applications.
        @Test func loginsOnTwoMachinesBothKeepWorking() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let laptop = CLI(server)
            let buildBox = CLI(server)
            _ = try await laptop.succeed(["login", server.managementURL, "-u", "admin"], password: SluiceServerProcess.adminPassword)
            _ = try await buildBox.succeed(
                ["login", server.managementURL, "-u", "admin", "--client-name", "sluice-cli-build-box"],
                password: SluiceServerProcess.adminPassword)
            func stored(_ cli: CLI) throws -> [String: Any] {
                let data = try Data(contentsOf: URL(fileURLWithPath: cli.credentialsPath))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
            #expect(try stored(laptop)["clientID"] as? String != stored(buildBox)["clientID"] as? String)
            // The laptop's login must renew with its own client secret after the build box logged in.
            for cli in [laptop, buildBox] {
                var object = try stored(cli)
                object["accessToken"] = "no-such-token"
                try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: cli.credentialsPath))
                let listed = try await cli.run(["app", "list", "--remote"])
                #expect(listed.status == 0, "\(listed.error)")
                #expect(!listed.output.contains("sluice-cli"))
            }
        }

        @Test func anExpiredLoginIsRenewedWithTheRefreshToken() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let cli = CLI(server)
            _ = try await cli.succeed(["login", server.managementURL, "-u", "admin"], password: SluiceServerProcess.adminPassword)

            func edit(_ change: (inout [String: Any]) -> Void) throws {
                let data = try Data(contentsOf: URL(fileURLWithPath: cli.credentialsPath))
                var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                change(&object)
                try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: cli.credentialsPath))
            }
            func stored(_ key: String) throws -> String? {
                let data = try Data(contentsOf: URL(fileURLWithPath: cli.credentialsPath))
                return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?[key] as? String
            }

            // Expired by the clock: renewed before the request.
            try edit { $0["expiresAt"] = "2000-01-01T00:00:00Z" }
            let before = try stored("accessToken")
            #expect(try await cli.run(["api", "list"]).status == 0)
            #expect(try stored("accessToken") != before)

            // Refused by the server (revoked or unknown): renewed after the 401, then the request is repeated.
            try edit { $0["accessToken"] = "no-such-token" }
            #expect(try await cli.run(["api", "list"]).status == 0)
            #expect(try stored("accessToken") != "no-such-token")

            // Nothing left to renew with: the user is told to log in again.
            try edit {
                $0["accessToken"] = "no-such-token"
                $0["refreshToken"] = "no-such-refresh-token"
            }
            let expired = try await cli.run(["api", "list"])
            #expect(expired.status != 0)
            #expect(expired.error.contains("your login has expired"))
            #expect(expired.error.contains("sluice login \(server.managementURL)"))
        }
    }
}
