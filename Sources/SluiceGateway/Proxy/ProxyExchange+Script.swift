import NIOCore
import NIOPosix
import SluiceMediation
import SluiceScript

extension ProxyExchange {
    /// Runs a `<script>` on the script pool, off the event loop, then makes the context it leaves the current one
    /// and resumes the sequence (or acts on the step it returns, or on its fault). The event loop serves other
    /// exchanges meanwhile; this one waits, as it waits for a backend.
    func runScript(_ invocation: ScriptInvocation) {
        let context = self.context
        let limits = runtime.scriptLimits
        let future = ScriptPool.run(on: connection.eventLoop) { () -> ScriptResult in
            var context = context
            do throws(MediationFault) {
                let step = try invocation.run(&context, limits: limits)
                return ScriptResult(context: context, outcome: .success(step))
            } catch {
                return ScriptResult(context: context, outcome: .failure(error))
            }
        }
        future.assumeIsolated().whenComplete { [self] result in
            guard !state.isFinished else { return }
            switch result {
            case .success(let finished):
                self.context = finished.context
                switch finished.outcome {
                case .success(nil): drive()
                case .success(let step?): act(on: .success(step))
                case .failure(let fault): act(on: .failure(fault))
                }
            case .failure:
                act(on: .failure(.mediatorFailed("script", "the script threads are not running")))
            }
        }
    }
}

/// What a script run hands back to the event loop.
private struct ScriptResult: Sendable {
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

    static func run<Value: Sendable>(
        on eventLoop: any EventLoop,
        _ body: @escaping @Sendable () -> Value
    ) -> EventLoopFuture<Value> {
        pool.runIfActive(eventLoop: eventLoop, body)
    }
}
