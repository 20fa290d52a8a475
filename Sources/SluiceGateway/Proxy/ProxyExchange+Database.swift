import NIOCore
import SluiceMediation

extension ProxyExchange {
    /// Runs a `dblookup`/`dbreport`'s statements on its pool, then applies what they returned and resumes the
    /// sequence (or runs the fault sequence). The event loop serves other exchanges meanwhile; this one waits, as it
    /// waits for a backend.
    func queryDatabase(_ call: DatabaseCall) {
        call.start(on: connection.eventLoop).assumeIsolated().whenComplete { [self] result in
            guard !state.isFinished else { return }
            do throws(MediationFault) {
                try call.resume(with: result, &context)
            } catch {
                return act(on: .failure(error))
            }
            drive()
        }
    }
}
