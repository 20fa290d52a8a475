import SluiceModel

/// Why an operation target cannot become a resource dispatcher.
struct OperationTargetError: Error {
    var reason: String
}

extension ResourceDispatcher {
    /// The dispatcher WSO2's velocity template writes for an operation target: `uri-template` when the target has
    /// `{` or a `*` other than a trailing `/*`, `url-mapping` otherwise.
    static func wso2(target: String) -> Result<ResourceDispatcher, OperationTargetError> {
        let needsTemplate =
            target.contains("{") || (target.contains("*") && !target.hasSuffix("/*"))
            || target.dropLast(2).contains("*")
        // Synapse reads a `*` before the end of a template as a literal character, which a publisher who writes
        // `/a/*/b` does not mean.
        if target.dropLast().contains("*") {
            return .failure(
                OperationTargetError(
                    reason: "invalid target '\(target)': '*' is allowed only as the last segment (the gateway would match it literally)"
                )
            )
        }
        do {
            if needsTemplate {
                return .success(.uriTemplate(try URITemplate(target)))
            }
            return .success(.urlMapping(try URLMapping(target)))
        } catch let error as URITemplateError {
            return .failure(OperationTargetError(reason: error.description))
        } catch let error as URLMappingError {
            return .failure(OperationTargetError(reason: error.description))
        } catch {
            return .failure(OperationTargetError(reason: "\(error)"))
        }
    }
}
