import Foundation
import SluiceTesting
import Testing

extension CLIProcessTests {
    /// Runs `samples/walkthrough.sh` as a new user would, on free ports: the script finds no server there, starts
    /// its own `sluice server` and `sluice-backend`, walks sign-up → publish → subscribe → token → call → statistics,
    /// and stops them by PID.
    @Suite(.serialized, .timeLimit(.minutes(3)))
    struct WalkthroughScriptTests {
        /// The URLs the script is given: it starts its own servers there, so the ports must be picked beforehand.
        private struct ScriptPorts {
            let management: Int
            let gateway: Int
            let backend: Int

            init(management: Int? = nil) throws {
                self.management = try management ?? FreePort.next()
                gateway = try FreePort.next()
                backend = try FreePort.next()
            }
        }

        private func walkthrough(
            _ workspace: SluiceServerProcess,
            on ports: ScriptPorts
        ) async throws -> (status: Int32, output: String, error: String) {
            try await workspace.execute(
                "/bin/bash",
                [SluiceServerProcess.packageRoot + "/samples/walkthrough.sh"],
                environment: [
                    "SLUICE_MANAGEMENT_URL": "http://127.0.0.1:\(ports.management)",
                    "SLUICE_GATEWAY_URL": "http://127.0.0.1:\(ports.gateway)",
                    "SLUICE_BACKEND_URL": "http://127.0.0.1:\(ports.backend)/pizzashack",
                    "SLUICE_BIN": SluiceServerProcess.sluice,
                    "SLUICE_BACKEND_BIN": SluiceServerProcess.binaries + "/sluice-backend",
                    "SLUICE_ADMIN_PASSWORD": "",
                    "TMPDIR": workspace.workspace,
                ]
            )
        }

        /// Whether the script failed because a server of its own could not bind its port.
        private static func lostAPort(_ result: (status: Int32, output: String, error: String)) -> Bool {
            result.status != 0 && result.error.contains("Address already in use")
        }

        @Test func theWalkthroughRunsFromSignUpToStatistics() async throws {
            let workspace = try SluiceServerProcess()
            // A port picked free can be taken (by any test's client socket) before the script's server binds it;
            // the script then fails saying so, and runs again on other ports. The first attempt is made to lose
            // that race on purpose, with its management port held, so every run proves the retry.
            let held = try DeadPort()
            let first = try await walkthrough(workspace, on: try ScriptPorts(management: held.port))
            #expect(Self.lostAPort(first), "a taken port must fail the script loudly:\n\(first.output)\n\(first.error)")
            #expect(first.error.contains("sluice server exited"))
            var ports = try ScriptPorts()
            var result = try await walkthrough(workspace, on: ports)
            for _ in 1..<3 where Self.lostAPort(result) {
                ports = try ScriptPorts()
                result = try await walkthrough(workspace, on: ports)
            }
            #expect(result.status == 0, "walkthrough failed:\n\(result.output)\n\(result.error)")
            for step in ["Sign up", "Create an API", "Publish it", "Subscribe", "access token", "Call the API", "usage statistics"] {
                #expect(result.output.contains(step), "missing step: \(step)")
            }
            #expect(result.output.contains("-> 200"))
            #expect(result.output.contains("\"requestCount\""))
            #expect(result.output.contains("walkthrough OK"))
            // The script stopped what it started: nothing answers on its ports any more.
            let after = try await workspace.execute(
                "/usr/bin/env", ["curl", "-s", "-m", "1", "http://127.0.0.1:\(ports.management)/api/am/openapi.json"]
            )
            #expect(after.status != 0)
        }

        @Test func theWalkthroughFailsLoudlyWithAWrongAdminPassword() async throws {
            let server = try SluiceServerProcess()
            try await server.start()
            defer { server.stop() }
            let result = try await server.execute(
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
