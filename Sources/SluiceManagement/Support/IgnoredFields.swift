import HTTPTypes
import Synchronization

/// A request body type that WSO2 clients send with fields Sluice has no use for.
///
/// Such fields are accepted, left out of the value, and named in the answer's `Sluice-Ignored-Fields` header; a
/// field unknown to both WSO2 and Sluice is still refused with its name (typo protection).
protocol WSO2RequestBody {
    /// Paths of WSO2's request schema properties the DTO does not read: `accessControl`, nested with dots
    /// (`defaultLimit.aiApiQuota`), list elements as `[]` (`operations[].amznResourceName`).
    static var wso2OnlyFields: Set<String> { get }
}

/// The WSO2 fields a request's body carried that Sluice ignored, collected while the request is handled
/// (``RouteRegistrar`` binds one per request and turns it into the `Sluice-Ignored-Fields` header).
final class IgnoredFields: Sendable {
    @TaskLocal static var current: IgnoredFields?

    /// The response header naming them.
    static let header = HTTPField.Name("Sluice-Ignored-Fields")!

    private let paths = Mutex<[String]>([])

    func record(_ path: String) {
        paths.withLock { if !$0.contains(path) { $0.append(path) } }
    }

    /// The header's value: the paths in the order met, comma separated; nil when nothing was ignored.
    var headerValue: String? {
        let all = paths.withLock { $0 }
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }

    /// `operations[2].amznResourceName` → `operations[].amznResourceName`: the form ``WSO2RequestBody`` lists.
    static func pattern(of path: String) -> String {
        path.replacing(/\[\d+\]/, with: "[]")
    }
}
