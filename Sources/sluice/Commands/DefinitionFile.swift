import SluiceControlPlane

/// API definition files as `sluice api emit` and `sluice api create` read them: JSON, or YAML turned into JSON.
enum DefinitionFile {
    /// The definition as JSON: YAML files are converted, JSON ones returned as they are.
    /// - Throws: ``CLIError`` naming the file and line of a YAML problem.
    static func json(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        guard YAMLReader.looksLikeYAML(bytes, path: path) else { return bytes }
        do throws(YAMLReader.Failure) {
            return try YAMLReader.json(fromYAML: bytes)
        } catch {
            throw CLIError("\(path): \(error.description)")
        }
    }
}
