/// One libFuzzer target: a name for `scripts/fuzz` and the function each input goes through.
///
/// A target must never crash, trap or leak on any input; everything it calls is expected to refuse bad input
/// with an error. ASan and libFuzzer catch what does not.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([UInt8]) -> Void

    /// Every target, in the order `scripts/fuzz` runs them.
    static let all: [FuzzTarget] = [
        ArtifactXMLTarget.target,
        URITemplateTarget.target,
        RequestHeadTarget.target,
        JSONTargets.parser,
        JSONTargets.path,
        FormTargets.urlEncoded,
        FormTargets.multipart,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }

    /// Splits an input at its first newline: many targets take two texts (a template and a path, a JSONPath
    /// and a document, a content type and a body).
    static func split(_ bytes: [UInt8]) -> (String, [UInt8]) {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return (String(decoding: bytes, as: UTF8.self), []) }
        return (String(decoding: bytes[..<newline], as: UTF8.self), Array(bytes[(newline + 1)...]))
    }
}
