import Foundation

/// An operation policy as WSO2's policy archives hold it (`GET /operation-policies/export`, `.../content`,
/// `POST /operation-policies/import`, apictl's `export policy api`): a folder `name_version/` with the
/// specification `name_version.yaml` (or `.json`: `{type: operation_policy_specification, version, data}`) and
/// the Synapse definition `name_version.j2`.
package enum OperationPolicyArchive {
    /// The archive's file name, `name_version.zip`.
    package static func fileName(of policy: OperationPolicyService.Policy) -> String { policy.fileStem + ".zip" }

    /// The policy as a zip archive.
    /// - Throws: ``APIProjectError`` when it cannot be written.
    package static func zip(_ policy: OperationPolicyService.Policy, format: APIProject.Format = .yaml) throws -> Data {
        let spec = try APIProject.encode(
            APIProject.Envelope(type: "operation_policy_specification", version: APIProject.envelopeVersion, data: policy.spec),
            format
        )
        return try APIProjectArchive.zip(
            [policy.fileStem + "." + format.fileExtension: spec, policy.fileStem + ".j2": Data(policy.definition.utf8)],
            rootFolder: policy.fileStem
        )
    }

    /// The specification and Synapse definition of an archive: its one `.yaml`/`.yml`/`.json` file and its one
    /// `.j2` file, in any folder (a choreo-connect `.gotmpl` is ignored).
    /// - Throws: ``ManagementError`` 400 naming what is missing.
    package static func read(_ data: Data) throws -> (spec: OperationPolicySpec, definition: String) {
        let files: [String: Data]
        do { files = try APIProjectArchive.files(inZip: data) } catch {
            throw ManagementError.badRequest("The policy archive cannot be read: \(error)")
        }
        let specs = files.keys.filter { [".yaml", ".yml", ".json"].contains(where: $0.lowercased().hasSuffix) }.sorted()
        let definitions = files.keys.filter { $0.lowercased().hasSuffix(".j2") }.sorted()
        guard specs.count == 1, definitions.count == 1 else {
            throw ManagementError.badRequest(
                "A policy archive holds one specification (.yaml, .yml or .json) and one Synapse definition (.j2); "
                    + "this one has \(specs.count) and \(definitions.count)"
            )
        }
        guard let definition = String(data: files[definitions[0]]!, encoding: .utf8) else {
            throw ManagementError.badRequest("\(definitions[0]): not UTF-8 text")
        }
        return (try OperationPolicySpec.read([UInt8](files[specs[0]]!), file: specs[0]), definition)
    }
}
