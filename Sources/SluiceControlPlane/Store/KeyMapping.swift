import Foundation
package import SluiceModel

/// WSO2's `keyMappingId`: the id of an application's keys of one type with one key manager. Sluice has one key
/// manager, so the pair (application, key type) names the keys; the id is a name-based UUID of that pair, the same
/// on every node and after every restart, with nothing stored.
package enum KeyMapping {
    /// The one key manager's name, as WSO2 calls its built-in one.
    package static let keyManagerName = "Resident Key Manager"

    /// The UUID (version 5 layout, SHA-256 based) of the keys of `keyType` of `applicationID`.
    package static func id(applicationID: String, keyType: KeyType) -> String {
        NameBasedUUID.make("sluice-key-mapping:\(applicationID):\(keyType.rawValue)")
    }

    /// The key type whose mapping id is `keyMappingID` in `applicationID`, if any.
    package static func keyType(of keyMappingID: String, applicationID: String) -> KeyType? {
        KeyType.allCases.first { id(applicationID: applicationID, keyType: $0) == keyMappingID.lowercased() }
    }
}
