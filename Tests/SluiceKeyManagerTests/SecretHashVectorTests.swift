import Foundation
import SluiceKeyManager
import Testing

/// The stored form of secrets is plain SHA-256 (FIPS 180-2 test vectors), including for non-ASCII and empty input.
@Suite struct SecretHashVectorTests {
    private func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    @Test func knownVectors() {
        #expect(hex(SecretGenerator.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SecretGenerator.hash("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SecretGenerator.hash("é") == SecretGenerator.hash(String(decoding: [0xC3, 0xA9], as: UTF8.self)))
        #expect(SecretGenerator.hash("é").count == 32)
    }
}
