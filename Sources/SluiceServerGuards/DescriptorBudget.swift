#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's file-descriptor limit and how it is shared between the servers of a node.
///
/// Every connection costs a descriptor, and a gateway connection usually one more towards its backend. The
/// default connection caps leave a reserve for everything else the process opens (deployment scans, the
/// database, inotify, logs, key-manager calls), so a flood of connections is refused at the door instead of
/// starving the rest of the node.
public struct DescriptorBudget: Sendable, Hashable {
    /// The soft `RLIMIT_NOFILE` the budget is computed from.
    public var limit: Int

    /// - Parameter limit: Descriptors the process may hold.
    public init(limit: Int) {
        self.limit = limit
    }

    /// Descriptors kept for everything but client connections: a tenth of the limit, at least 256, at most 4,096.
    public var reserve: Int { min(max(256, limit / 10), 4096) }

    /// The default caps of the servers this node runs: the management server (one descriptor per connection)
    /// takes an eighth of what is left after the reserve, the gateway half of the rest (two per connection).
    /// A server the node does not run leaves its share to the other. Never below 16.
    public func defaultCaps(runsGateway: Bool, runsManagement: Bool) -> (gateway: Int, management: Int) {
        let available = max(0, limit - reserve)
        let management = runsManagement ? (runsGateway ? available / 8 : available) : 0
        let gateway = runsGateway ? (available - management) / 2 : 0
        return (max(16, gateway), max(16, management))
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (as servers such as nginx and Java's launcher do), so
    /// the caps have room; returns the budget of the limit in force afterwards.
    public static func raisingSoftLimit() -> DescriptorBudget {
        var limits = rlimit()
        guard getrlimit(resourceKind, &limits) == 0 else { return DescriptorBudget(limit: 1024) }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            #if canImport(Darwin)
            // macOS refuses more than OPEN_MAX for the soft limit even when the hard one is unlimited.
            raised.rlim_cur = min(raised.rlim_cur, rlim_t(OPEN_MAX))
            #endif
            if setrlimit(resourceKind, &raised) == 0 { limits = raised }
        }
        return DescriptorBudget(limit: limits.rlim_cur == rlim_t.max ? Int(Int32.max) : Int(clamping: limits.rlim_cur))
    }

    /// The budget of the current soft limit, unchanged.
    public static var current: DescriptorBudget {
        var limits = rlimit()
        guard getrlimit(resourceKind, &limits) == 0 else { return DescriptorBudget(limit: 1024) }
        return DescriptorBudget(limit: limits.rlim_cur == rlim_t.max ? Int(Int32.max) : Int(clamping: limits.rlim_cur))
    }

    #if canImport(Glibc)
    private static let resourceKind = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceKind = RLIMIT_NOFILE
    #endif
}
