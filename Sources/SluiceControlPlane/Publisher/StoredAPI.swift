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
    /// What the gateway serves while a user without the publisher role has edited the live API: the definition
    /// and source as they were before the first such edit. Nil when the gateway serves ``definition`` itself.
    /// A user with the publisher role deploys the edits (an edit of theirs, a lifecycle action, or
    /// `POST /apis/{apiId}/redeploy`), which clears it.
    var deployed: Revision? = nil
    /// The client certificates uploaded for the API (mutual TLS); they apply to the deployed revision as well.
    var clientCertificates: [StoredClientCertificate]? = nil
    /// The revisions deployed to gateway environments (WSO2's revision deployments), at most one per environment.
    /// While the `Default` environment has one, ``deployed`` holds that revision and the gateway serves it: edits
    /// of the working copy and lifecycle changes do not change what it serves (see ``APIRevisionService``).
    var revisionDeployments: [RevisionDeployment]? = nil

    /// Set for an API product (WSO2's `APIProduct`): which API each of the definition's operations comes from, in
    /// the operations' order; the product's artifact is kept in ``synapseSource`` (see ``APIProductService``).
    var productParts: [ProductPart]? = nil

    /// An API operation a product offers.
    struct ProductPart: Sendable, Codable, Hashable {
        var apiID: String
        var target: String
        var verb: String
    }

    /// Whether this is an API product rather than an API.
    package var isProduct: Bool { productParts != nil }

    /// A definition with its hand-edited source, as deployed; also the snapshot a revision keeps.
    struct Revision: Sendable, Codable {
        var definition: APIDefinition
        var synapseSource: String?
    }

    /// The revision of the API that the `Default` environment serves, if one is deployed there.
    var defaultEnvironmentDeployment: RevisionDeployment? {
        revisionDeployments?.first { $0.environment == GatewayEnvironments.defaultName }
    }

    /// Whether edits wait for a user with the publisher role (not when a deployed revision is what the gateway
    /// serves: a new revision deploys edits then).
    package var hasPendingChanges: Bool { deployed != nil && defaultEnvironmentDeployment == nil }

    /// Whether the gateway serves the working copy itself (nothing staged, no revision deployed).
    var servesWorkingCopy: Bool { deployed == nil }

    /// The API as the gateway serves it: the deployed revision while edits are pending, else the working copy.
    var live: StoredAPI {
        guard let deployed else { return self }
        var live = self
        live.definition = deployed.definition
        // Identity and state follow the record, as for the working copy.
        live.definition.id = definition.id
        live.definition.provider = definition.provider
        live.definition.name = definition.name
        live.definition.version = definition.version
        live.definition.lifeCycleStatus = definition.lifeCycleStatus
        live.definition.clientCertificates = definition.clientCertificates
        live.synapseSource = deployed.synapseSource
        live.deployed = nil
        return live
    }

    /// Records the current definition and source as the deployed revision, unless one is recorded already (later
    /// edits pile up on the same pending change).
    mutating func keepDeployedRevision() {
        if deployed == nil { deployed = Revision(definition: definition, synapseSource: synapseSource) }
    }

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
        definition.clientCertificates = (clientCertificates ?? []).map(\.entry)
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
