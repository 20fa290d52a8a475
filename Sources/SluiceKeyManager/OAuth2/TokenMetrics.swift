import CoreMetrics
import Synchronization

/// Token endpoint outcomes by grant: `sluice_tokens_issued_total{grant}` and
/// `sluice_token_requests_refused_total{grant,error}` (the OAuth2 error code, or `server_error`). Counters are made
/// once per grant (and error) and kept, so an issued token costs a dictionary lookup and an increment.
final class TokenMetrics: Sendable {
    private let factory: any MetricsFactory
    private let issued = Mutex<[String: Counter]>([:])
    private let refused = Mutex<[String: Counter]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func recordIssued(grant: String) {
        let counter = issued.withLock { counters in
            if let counter = counters[grant] { return counter }
            let made = Counter(label: "sluice_tokens_issued_total", dimensions: [("grant", grant)], factory: factory)
            counters[grant] = made
            return made
        }
        counter.increment()
    }

    func recordRefused(grant: String, error: any Error) {
        let code = (error as? OAuth2Error)?.code.rawValue ?? OAuth2Error.Code.serverError.rawValue
        let key = grant + " " + code
        let counter = refused.withLock { counters in
            if let counter = counters[key] { return counter }
            let made = Counter(
                label: "sluice_token_requests_refused_total", dimensions: [("grant", grant), ("error", code)], factory: factory
            )
            counters[key] = made
            return made
        }
        counter.increment()
    }
}
