import SluiceMediation
import SluiceModel
import SluiceXML

extension APIManagerConfigReader {
    /// `<OpenTelemetry>`:
    ///
    /// ```xml
    /// <OpenTelemetry>
    ///     <Enabled>true</Enabled>
    ///     <Endpoint>http://collector:4318/v1/traces</Endpoint>
    ///     <Protocol>http/protobuf</Protocol>        <!-- or http/json -->
    ///     <ServiceName>sluice-gateway-1</ServiceName>
    ///     <SamplingRatio>0.1</SamplingRatio>
    ///     <ParentBased>true</ParentBased>
    ///     <ExportDelayMillis>5000</ExportDelayMillis>
    /// </OpenTelemetry>
    /// ```
    static func readTracing(_ element: XMLElementNode, reader: ArtifactReader) -> TracingSettings {
        var settings = TracingSettings()
        for field in element.childElements {
            let text = field.textContent.trimmingSpaces()
            switch field.localName {
            case "Enabled": settings.enabled = reader.settingsFlag(field) ?? settings.enabled
            case "ParentBased": settings.parentBased = reader.settingsFlag(field) ?? settings.parentBased
            case "Endpoint":
                guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
                    reader.report("<Endpoint> must be an http:// or https:// URL, not '\(text)'", at: field)
                    continue
                }
                settings.endpoint = text
            case "Protocol":
                guard let value = TracingSettings.ExportProtocol(rawValue: text.lowercased()) else {
                    let allowed = TracingSettings.ExportProtocol.allCases.map(\.rawValue).joined(separator: " or ")
                    reader.report("<Protocol> must be \(allowed), not '\(text)'", at: field)
                    continue
                }
                settings.exportProtocol = value
            case "ServiceName":
                guard !text.isEmpty else {
                    reader.report("<ServiceName> must not be empty", at: field)
                    continue
                }
                settings.serviceName = text
            case "SamplingRatio":
                guard let ratio = Double(text), (0...1).contains(ratio) else {
                    reader.report("<SamplingRatio> must be a number from 0 to 1, not '\(text)'", at: field)
                    continue
                }
                settings.samplingRatio = ratio
            case "ExportDelayMillis":
                guard let millis = Int(text), (1...600_000).contains(millis) else {
                    reader.report("<ExportDelayMillis> must be a whole number from 1 to 600000, not '\(text)'", at: field)
                    continue
                }
                settings.exportDelayMillis = millis
            default: reader.reportUnknown(field, in: element)
            }
        }
        return settings
    }
}
