import CoreMetrics
import SluiceAnalytics
import SluiceGateway
import SluiceGatewayHandlers

/// The gauges `/metrics` reads when it renders, rather than tracking them on every change: queue depths (the
/// usage batch writer's raw-event queue, the access log's buffer), what the gateway has deployed and what failed,
/// and the backend connection pools' use.
enum NodeMetrics {
    static func sample(
        into backend: PrometheusMetricsBackend,
        handlers: APIManagerGatewayHandlers,
        gateway: GatewayService,
        accessLog: GatewayAccessLog?
    ) {
        let factory = backend.factory
        func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> Gauge {
            Gauge(label: label, dimensions: dimensions, factory: factory)
        }
        if let queue = handlers.usageQueue {
            let depth = gauge("sluice_usage_queue_depth")
            let capacity = gauge("sluice_usage_queue_capacity")
            backend.addSampler {
                depth.record(queue.count)
                capacity.record(queue.capacity)
            }
        }
        if let buffer = accessLog?.buffer {
            let depth = gauge("sluice_access_log_queue_depth")
            let dropped = gauge("sluice_access_log_lines_dropped")
            backend.addSampler {
                depth.record(buffer.count)
                dropped.record(buffer.droppedCount)
            }
        }
        let upstream = gateway.upstreamMetrics
        backend.addSampler { upstream.sample() }
        let deployedAPIs = gauge("sluice_deployed_apis")
        let deployments = gauge("sluice_deployments")
        let failedFiles = gauge("sluice_deployment_failed_files")
        let deployer = gateway.deployer
        backend.addSampler {
            let status = deployer.status
            deployedAPIs.record(deployer.snapshots.current.apis.count)
            deployments.record(status.generation)
            failedFiles.record(status.files.filter { $0.state == .failed }.count + status.unreadable.count)
        }
    }
}
