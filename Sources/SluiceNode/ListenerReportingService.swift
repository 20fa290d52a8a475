import ServiceLifecycle

/// Runs a server and, when it ends, releases whoever still waits for one of its listeners' ports: the server
/// itself reports the ports it binds (Hummingbird's `onServerRunning`), but says nothing when binding fails.
struct ListenerReportingService: Service {
    let server: any Service
    let listeners: [BoundListenerPort]

    func run() async throws {
        do {
            try await server.run()
        } catch {
            for listener in listeners { listener.serverEnded("its server failed: \(error)") }
            throw error
        }
        for listener in listeners { listener.serverEnded("its server stopped") }
    }
}
