import SluiceModel
import Testing

@Suite struct HexEncodingTests {
    @Test func bytesRoundTripThroughLowerCaseHex() {
        let bytes: [UInt8] = [0x00, 0x0F, 0x10, 0xAB, 0xFF]
        #expect(HexEncoding.encode(bytes) == "000f10abff")
        #expect(HexEncoding.decode("000f10abff") == bytes)
        #expect(HexEncoding.decode("000F10ABFF") == bytes)
        #expect(HexEncoding.encode([UInt8]()) == "")
        #expect(HexEncoding.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "zz", "0g", " 0", "0x00"])
    func malformedHexIsRefused(_ text: String) {
        #expect(HexEncoding.decode(text) == nil)
    }
}
