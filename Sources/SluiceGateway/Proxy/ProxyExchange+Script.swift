import NIOCore
import NIOPosix
import SluiceMediation
import SluiceScript

extension ProxyExchange {
    /// Runs a `<script>` on the script pool, off the event loop, then makes the context it leaves the current one
    /// and resumes the sequence (or acts on the step it returns, or on its fault). The event loop serves other
    /// exchanges meanwhile; this one waits, as it waits for a backend.
    func runScript(_ invocation: ScriptInvocation) {
        ScriptPool.run(invocation, with: context, limits: runtime.scriptLimits, on: connection.eventLoop)
            .assumeIsolated().whenSuccess { [self] finished in
                guard !state.isFinished else { return }
                self.context = finished.context
                switch finished.outcome {
                case .success(nil): drive()
                case .success(let step?): act(on: .success(step))
                case .failure(let fault): act(on: .failure(fault))
                }
            }
    }
}

/// What a script run hands back to the event loop: the context the script left and what the sequence does next.
struct ScriptResult: Sendable {
    var context: MessageContext
    var outcome: Result<MediationStep?, MediationFault>
}

/// The threads scripts run on: a script blocks its thread for up to its time limit, which must never be an event
/// loop. One thread per core, started once for the process (like NIO's singletons); each thread keeps its own
/// engine heap.
enum ScriptPool {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs `invocation` on a copy of `context` on the pool; the future completes on `eventLoop`, with a fault
    /// (and the context unchanged) when the pool is not running.
    static func run(
        _ invocation: ScriptInvocation,
        with context: MessageContext,
        limits: ScriptLimits,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ScriptResult> {
        run(on: eventLoop) { () -> ScriptResult in
            var context = context
            do throws(MediationFault) {
                let step = try invocation.run(&context, limits: limits)
                return ScriptResult(context: context, outcome: .success(step))
            } catch {
                return ScriptResult(context: context, outcome: .failure(error))
            }
        }.recover { _ in
            ScriptResult(
                context: context,
                outcome: .failure(.mediatorFailed("script", "the script threads are not running"))
            )
        }
    }

    static func run<Value: Sendable>(
        on eventLoop: any EventLoop,
        _ body: @escaping @Sendable () -> Value
    ) -> EventLoopFuture<Value> {
        pool.runIfActive(eventLoop: eventLoop, body)
    }
}
