extension APIDefinition {
    /// A new version of the API, as WSO2's `POST /apis/copy-api?newVersion=` creates it: the same definition
    /// with the new version, no id, in state `CREATED`, and the default version only when asked.
    /// - Parameters:
    ///   - version: The new version; it must differ from this one and be a valid version.
    ///   - makeDefault: Whether the new version becomes the default version.
    /// - Throws: `APIValidationError` for an empty, invalid or unchanged version.
    public func copying(
        asVersion version: String,
        makeDefault: Bool = false
    ) throws(APIValidationError)
        -> APIDefinition
    {
        guard version != self.version else {
            throw APIValidationError(issues: [
                APIValidationError.Issue(field: "newVersion", message: "version \(version) already exists")
            ])
        }
        var copy = self
        copy.id = nil
        copy.version = version
        copy.lifeCycleStatus = .created
        copy.isDefaultVersion = makeDefault
        let problems = copy.validationIssues().filter { $0.field == "version" }
        guard problems.isEmpty else {
            throw APIValidationError(
                issues: problems.map { APIValidationError.Issue(field: "newVersion", message: $0.message) }
            )
        }
        return copy
    }
}
