import Foundation
import Testing

extension CLIProcessTests {
    /// Runs `samples/walkthrough.sh` as a new user would, on free ports: the script finds no server there, starts
    /// its own `sluice server` and `sluice-backend`, walks sign-up → publish → subscribe → token → call → statistics,
    /// and stops them by PID.
    @Suite(.serialized, .timeLimit(.minutes(1)))
    struct WalkthroughScriptTests {
        @Test func theWalkthroughRunsFromSignUpToStatistics() throws {
            let ports = try SluiceServerProcess()
            let script = SluiceServerProcess.packageRoot + "/samples/walkthrough.sh"
            let result = try ports.run(
                "/bin/bash",
                [script],
                environment: [
                    "SLUICE_MANAGEMENT_URL": ports.managementURL,
                    "SLUICE_GATEWAY_URL": ports.gatewayURL,
                    "SLUICE_BACKEND_URL": ports.backendURL,
                    "SLUICE_BIN": SluiceServerProcess.sluice,
                    "SLUICE_BACKEND_BIN": SluiceServerProcess.binaries + "/sluice-backend",
                    "SLUICE_ADMIN_PASSWORD": "",
                    "TMPDIR": ports.workspace,
                ]
            )
            #expect(result.status == 0, "walkthrough failed:\n\(result.output)\n\(result.error)")
            for step in ["Sign up", "Create an API", "Publish it", "Subscribe", "access token", "Call the API", "usage statistics"] {
                #expect(result.output.contains(step), "missing step: \(step)")
            }
            #expect(result.output.contains("-> 200"))
            #expect(result.output.contains("\"requestCount\""))
            #expect(result.output.contains("walkthrough OK"))
            // The script stopped what it started: nothing answers on its ports any more.
            #expect(try ports.run("/usr/bin/env", ["curl", "-s", "-m", "1", ports.managementURL + "/api/am/openapi.json"]).status != 0)
        }

        @Test func theWalkthroughFailsLoudlyWithAWrongAdminPassword() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let result = try server.run(
                "/bin/bash",
                [SluiceServerProcess.packageRoot + "/samples/walkthrough.sh"],
                environment: [
                    "SLUICE_MANAGEMENT_URL": server.managementURL,
                    "SLUICE_GATEWAY_URL": server.gatewayURL,
                    "SLUICE_BACKEND_URL": server.backendURL,
                    "SLUICE_BIN": SluiceServerProcess.sluice,
                    "SLUICE_ADMIN_PASSWORD": "not-the-admin-password",
                    "TMPDIR": server.workspace,
                ]
            )
            #expect(result.status != 0)
            #expect(result.output.contains("A server is running."))
            #expect(result.error.contains("wrong user name or password"))
            #expect(!result.output.contains("walkthrough OK"))
        }
    }
}
