import Foundation
import SluiceArtifacts
import SluiceStorage

/// What the management API keeps in ``APIRecord/definition``: the publisher's definition and whether its
/// artifact was pushed to the gateway (the publisher may publish without pushing).
package struct StoredAPI: Sendable, Codable {
    package var definition: APIDefinition
    /// Whether the gateway folder holds the API's artifact for its current state.
    package var gatewayDeployed: Bool
    /// The publisher's hand-edited Synapse source, deployed instead of the generated artifact while it exists
    /// (see ``APISourceService``); a definition edit drops it.
    var synapseSource: String? = nil

    /// Reads the stored document of `record`, falling back to a definition built from the record's columns.
    init(record: APIRecord) {
        if let data = record.definition, let stored = try? JSONDecoder().decode(StoredAPI.self, from: data) {
            self = stored
        } else {
            self.definition = APIDefinition(name: record.name, context: record.context, version: record.version)
            self.gatewayDeployed = false
        }
        // The record's columns are authoritative for identity and state.
        definition.id = record.id
        definition.provider = record.provider
        definition.name = record.name
        definition.version = record.version
        definition.lifeCycleStatus = record.lifecycleState
    }

    init(definition: APIDefinition, gatewayDeployed: Bool) {
        self.definition = definition
        self.gatewayDeployed = gatewayDeployed
    }

    /// The JSON stored in the record.
    func encoded() -> Data {
        // Every field of the definition is a string, number, boolean or list of them: encoding cannot fail.
        (try? JSONEncoder().encode(self)) ?? Data()
    }
}

extension APIRecord {
    /// The record's definition with identity and state filled in.
    package var stored: StoredAPI { StoredAPI(record: self) }
}
