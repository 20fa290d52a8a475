import Foundation
import SluiceKeyManager
import Testing

/// The token identifiers made without Foundation's `/dev/urandom` reads.
@Suite struct RandomUUIDTests {
    @Test func versionFourUUIDsOfTheRFCVariantThatDiffer() {
        let made = (0..<256).map { _ in SecretGenerator.randomUUID() }
        for uuid in made {
            let text = uuid.uuidString
            let version = text[text.index(text.startIndex, offsetBy: 14)]
            let variant = text[text.index(text.startIndex, offsetBy: 19)]
            #expect(version == "4", "\(text)")
            #expect("89AB".contains(variant), "\(text)")
        }
        #expect(Set(made).count == made.count)
    }
}
