import SluiceMediation
import SluiceModel
import SluiceXML

extension APIManagerConfigReader {
    /// `<AccessLog>`:
    ///
    /// ```xml
    /// <AccessLog>
    ///     <Enabled>true</Enabled>
    ///     <CorrelationIDs>true</CorrelationIDs>              <!-- also without the log; on with it -->
    ///     <File>repository/logs/http_access.log</File>       <!-- or stdout (the default) -->
    ///     <MaxFileSizeMB>100</MaxFileSizeMB><MaxFiles>5</MaxFiles>
    ///     <Format>%h %t "%r" %s %b %D %{activityid}x</Format>
    ///     <BufferSize>10000</BufferSize>
    /// </AccessLog>
    /// ```
    static func readAccessLog(_ element: XMLElementNode, reader: ArtifactReader) -> AccessLogSettings {
        var settings = AccessLogSettings()
        var file: String?
        var maxFileBytes = 100 * 1024 * 1024
        var maxFiles = 5
        let flag = reader.settingsFlag
        func count(_ field: XMLElementNode, _ range: ClosedRange<Int>) -> Int? {
            let text = field.textContent.trimmingSpaces()
            guard let value = Int(text), range.contains(value) else {
                reader.report(
                    "<\(field.localName)> must be a whole number from \(range.lowerBound) to \(range.upperBound), "
                        + "not '\(text)'",
                    at: field
                )
                return nil
            }
            return value
        }
        for field in element.childElements {
            switch field.localName {
            case "Enabled": settings.enabled = flag(field) ?? settings.enabled
            case "CorrelationIDs": settings.correlationIDs = flag(field) ?? settings.correlationIDs
            case "File":
                let path = field.textContent.trimmingSpaces()
                file = path.isEmpty || path == "stdout" ? nil : path
            case "MaxFileSizeMB": maxFileBytes = (count(field, 1...100_000) ?? 100) * 1024 * 1024
            case "MaxFiles": maxFiles = count(field, 0...1_000) ?? maxFiles
            case "BufferSize": settings.bufferSize = count(field, 1...10_000_000) ?? settings.bufferSize
            case "Format":
                let format = field.textContent.trimmingSpaces()
                if let problem = AccessLogFormat.problem(in: format) {
                    reader.report("<Format>: \(problem)", at: field)
                } else {
                    settings.format = format
                }
            default: reader.reportUnknown(field, in: element)
            }
        }
        if let file { settings.destination = .file(path: file, maxFileBytes: maxFileBytes, maxFiles: maxFiles) }
        return settings
    }
}

extension ArtifactReader {
    /// The `true`/`false` text of a settings element; anything else is reported.
    func settingsFlag(_ field: XMLElementNode) -> Bool? {
        switch field.textContent.trimmingSpaces().lowercased() {
        case "true": return true
        case "false": return false
        default:
            report("<\(field.localName)> must be true or false", at: field)
            return nil
        }
    }
}
