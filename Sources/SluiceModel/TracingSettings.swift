/// Distributed tracing of gateway and management requests (`<OpenTelemetry>` in `api-manager.xml`), off by
/// default: spans exported over OTLP/HTTP to a collector (Jaeger, Tempo, the OpenTelemetry Collector...).
public struct TracingSettings: Sendable, Hashable {
    /// How spans are encoded for the collector.
    public enum ExportProtocol: String, Sendable, Hashable, CaseIterable {
        /// OTLP/HTTP with binary protobuf bodies (`http/protobuf`), what collectors expect by default.
        case protobuf = "http/protobuf"
        /// OTLP/HTTP with JSON bodies (`http/json`).
        case json = "http/json"
    }

    /// The OTLP/HTTP traces endpoint of a local collector, as the OpenTelemetry specification names it.
    public static let defaultEndpoint = "http://localhost:4318/v1/traces"

    /// Whether requests are traced at all (`<Enabled>`).
    public var enabled: Bool
    /// The full URL spans are posted to (`<Endpoint>`).
    public var endpoint: String
    /// The body encoding (`<Protocol>`).
    public var exportProtocol: ExportProtocol
    /// The `service.name` resource attribute (`<ServiceName>`).
    public var serviceName: String
    /// The share of new traces sampled, 0 to 1 (`<SamplingRatio>`).
    public var samplingRatio: Double
    /// Whether a request carrying a `traceparent` follows its caller's sampling decision instead of the ratio
    /// (`<ParentBased>`).
    public var parentBased: Bool
    /// Milliseconds finished spans wait to be exported in a batch (`<ExportDelayMillis>`).
    public var exportDelayMillis: Int

    /// Creates settings; tracing is off unless `enabled`.
    public init(
        enabled: Bool = false,
        endpoint: String = TracingSettings.defaultEndpoint,
        exportProtocol: ExportProtocol = .protobuf,
        serviceName: String = "sluice",
        samplingRatio: Double = 1,
        parentBased: Bool = true,
        exportDelayMillis: Int = 5_000
    ) {
        self.enabled = enabled
        self.endpoint = endpoint
        self.exportProtocol = exportProtocol
        self.serviceName = serviceName
        self.samplingRatio = samplingRatio
        self.parentBased = parentBased
        self.exportDelayMillis = exportDelayMillis
    }
}
