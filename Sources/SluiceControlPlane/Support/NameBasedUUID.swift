import Foundation
import SluiceKeyManager

/// A UUID derived from a name (version 5 layout, SHA-256 based): the same on every node and after every restart,
/// with nothing stored.
package enum NameBasedUUID {
    /// The lower-case UUID string of `name`.
    package static func make(_ name: String) -> String {
        var bytes = [UInt8](SecretGenerator.hash(name).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )).uuidString.lowercased()
    }
}
