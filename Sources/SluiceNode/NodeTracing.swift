import Logging
import OTel
import ServiceLifecycle
import SluiceModel
import Tracing

/// The node's tracer when `<OpenTelemetry>` is on: swift-otel's, exporting batches of spans over OTLP/HTTP. The
/// tracer is handed to the gateway and the management app (never bootstrapped process-wide, so nodes in one
/// process keep their own); its service flushes what is left at shutdown. The exporter also reads the usual
/// `OTEL_*` environment variables, which override the file.
enum NodeTracing {
    static func make(
        _ settings: TracingSettings,
        logger: Logger
    ) throws(NodeAssemblyError) -> (tracer: any Tracer, service: any Service)? {
        guard settings.enabled else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.propagators = [.traceContext]
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = settings.endpoint
        configuration.traces.otlpExporter.protocol = settings.exportProtocol == .json ? .httpJSON : .httpProtobuf
        let sampler =
            settings.parentBased
            ? OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(ratio: settings.samplingRatio)
            : .traceIDRatio(ratio: settings.samplingRatio)
        guard let sampler else {
            throw .invalidConfiguration("<OpenTelemetry><SamplingRatio> must be from 0 to 1")
        }
        configuration.traces.sampler = sampler
        configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(settings.exportDelayMillis)
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            return (backend.factory, backend.service)
        } catch {
            throw .invalidConfiguration("<OpenTelemetry>: \(error)")
        }
    }
}
