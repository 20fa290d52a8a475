public import Logging
public import ServiceLifecycle

/// Watches `synapse-configs/default/{api,sequences,endpoints}` and redeploys changed files: inotify where it
/// works, polling otherwise; a burst of events is debounced into one redeploy.
///
/// Events only trigger a rescan; the rescan compares file signatures (inode, size, modification time), so a
/// lost event or an overflowed queue never leaves a change undeployed for longer than the next event or poll.
/// When a scan could not read a folder or file (descriptors exhausted, permissions), it is retried with
/// exponential backoff (`RetryBackoff`) until it reads again.
///
/// `GatewayService` runs one itself; it is a `Service` so a node that deploys without serving can run it alone.
public struct DeploymentWatcher: Service {
    private let deployer: GatewayDeployer
    private let debounce: Duration
    private let pollInterval: Duration
    private let forcePolling: Bool
    private let logger: Logger

    /// - Parameters:
    ///   - deployer: Rescans and swaps the snapshot.
    ///   - configuration: Supplies the debounce, poll interval and `forcePolling`.
    ///   - logger: Where deployments and errors are reported.
    public init(deployer: GatewayDeployer, configuration: GatewayConfiguration, logger: Logger) {
        self.deployer = deployer
        self.debounce = configuration.deploymentDebounce
        self.pollInterval = configuration.deploymentPollInterval
        self.forcePolling = configuration.forcePolling
        self.logger = logger
    }

    /// Watches until the task is cancelled or graceful shutdown begins.
    public func run() async {
        await cancelWhenGracefulShutdown {
            await watch()
        }
    }

    private func watch() async {
        let monitor = forcePolling ? nil : InotifyMonitor(directories: deployer.watchedDirectories)
        logger.debug(
            "Watching artifacts",
            metadata: ["sluice.deploy.mode": .string(monitor == nil ? "polling" : "inotify")]
        )
        // Changes made between the first deployment and the watch being set up raised no event.
        deployer.redeployChangedFiles()
        var backoff = RetryBackoff()
        var retryAt = backoff.next(after: ContinuousClock.now, needed: deployer.needsRetry)
        var lastFullScan = ContinuousClock.now
        while !Task.isCancelled {
            if let retryDue = retryAt, ContinuousClock.now >= retryDue {
                deployer.redeployChangedFiles()
                retryAt = backoff.next(after: ContinuousClock.now, needed: deployer.needsRetry)
            }
            if let monitor {
                // inotify gives us a cheap non-blocking "anything new?", so we check often.
                guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return }
                guard monitor.consumeEvents() else {
                    // A slow safety net for what inotify cannot see (a watched folder replaced, network mounts).
                    if ContinuousClock.now - lastFullScan > .seconds(5) {
                        lastFullScan = ContinuousClock.now
                        deployer.redeployChangedFiles()
                    }
                    continue
                }
                // Let a burst of writes (editor saves, `cp` of many files) settle before reading.
                var quietRounds = 0
                while quietRounds < 10 {
                    guard (try? await Task.sleep(for: debounce)) != nil else { return }
                    if !monitor.consumeEvents() { break }
                    quietRounds += 1
                }
            } else {
                guard (try? await Task.sleep(for: pollInterval)) != nil else { return }
            }
            deployer.redeployChangedFiles()
            retryAt = backoff.next(after: ContinuousClock.now, needed: deployer.needsRetry)
        }
    }
}

/// When to scan again after a scan that could not read everything: 100 ms, doubling up to 10 s, and back to
/// the start once a scan reads everything.
struct RetryBackoff {
    static let first: Duration = .milliseconds(100)
    static let longest: Duration = .seconds(10)
    private(set) var delay = RetryBackoff.first

    /// The time of the next retry, nil when none is `needed` (which also resets the delay).
    mutating func next<Instant: InstantProtocol>(after now: Instant, needed: Bool) -> Instant?
    where Instant.Duration == Duration {
        guard needed else {
            delay = Self.first
            return nil
        }
        defer { delay = min(delay * 2, Self.longest) }
        return now.advanced(by: delay)
    }
}
