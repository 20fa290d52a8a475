public import Tracing

/// Tracing of one gateway, decided at start: with none configured (`GatewayConfiguration.tracing` nil) no span
/// handler is installed and exchanges make no span objects. Any swift-distributed-tracing `Tracer` plugs in; the
/// node gives it swift-otel's OTLP exporter.
public final class GatewayTracing: Sendable {
    /// Where spans go.
    public let tracer: any Tracer

    /// Traces with `tracer`.
    public init(tracer: any Tracer) {
        self.tracer = tracer
    }
}
