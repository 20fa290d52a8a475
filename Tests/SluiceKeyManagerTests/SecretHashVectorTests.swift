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

    /// Random values have the asked number of bytes (filled eight at a time, including a partial last word), in
    /// base64url without padding, and do not repeat.
    @Test(arguments: [0, 1, 5, 8, 13, 32, 64])
    func randomValuesHaveTheirLengthAndDiffer(byteCount: Int) throws {
        let values = (0..<16).map { _ in SecretGenerator.randomValue(byteCount: byteCount) }
        var decoded: [Data] = []
        for value in values {
            #expect(value.utf8.count == (byteCount * 4 + 2) / 3)
            var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            decoded.append(try #require(Data(base64Encoded: base64)))
            #expect(decoded.last?.count == byteCount)
        }
        guard byteCount >= 8 else { return }
        #expect(Set(values).count == values.count)
        // No byte position is stuck: across the values every position takes more than one value.
        for position in 0..<byteCount {
            #expect(Set(decoded.map { $0[position] }).count > 1, "byte \(position)")
        }
    }
}
