import ServiceLifecycle

/// Runs a node's services around `body` and always ends them with a graceful shutdown, also when `body` throws.
/// Cancelling them instead (what a throwing task group does to its children) cancels the management server's
/// accept loop, and NIO stops the whole test process when accepted connections are still queued there
/// ("Deinited NIOAsyncWriter without calling finish()", seen in whole-suite runs).
func withRunningServices<Value>(
    _ services: ServiceGroup,
    _ body: () async throws -> Value
) async throws -> Value {
    let running = Task { try await services.run() }
    let outcome: Result<Value, any Error>
    do {
        outcome = .success(try await body())
    } catch {
        outcome = .failure(error)
    }
    await services.triggerGracefulShutdown()
    // A service that failed (a port taken meanwhile) is the cause of whatever the body saw: report it first.
    try await running.result.get()
    return try outcome.get()
}
