/// The gateway environments revisions are deployed to. `Default` is this deployment's gateways: the node's own
/// gateway when it runs one (SQLite, all in one), every gateway node of the cluster on PostgreSQL (artifacts reach
/// them through the database).
package enum GatewayEnvironments {
    /// WSO2's name of the environment every API Manager has.
    package static let defaultName = "Default"
}
