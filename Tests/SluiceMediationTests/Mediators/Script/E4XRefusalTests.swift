import SluiceMediation
import SluiceModel
import Testing

/// A script written with E4X (Rhino's XML extension, which Synapse ran) is refused with that reason; other syntax
/// errors keep the engine's message.
@Suite struct E4XRefusalTests {
    @Test(arguments: [
        "var symbol = mc.getPayloadXML()..*::Code.toString();",
        "mc.setPayloadXML(\n  <m:getQuote xmlns:m=\"urn:q\"><m:symbol>{symbol}</m:symbol></m:getQuote>);",
    ])
    func e4xIsRefusedWithItsName(source: String) throws {
        let escaped = source.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        let mediators = try MediatorXML.roundTrip(#"<script language="js">\#(escaped)</script>"#)
        let error = #expect(throws: MediationCompileError.self) { try Build.sequence(mediators) }
        #expect(error?.description.contains("uses E4X") == true, "\(String(describing: error))")
    }

    @Test func anotherSyntaxErrorKeepsTheEnginesMessage() throws {
        let mediators = try MediatorXML.roundTrip(#"<script language="js">var x = ;</script>"#)
        let error = #expect(throws: MediationCompileError.self) { try Build.sequence(mediators) }
        #expect(error?.description.contains("SyntaxError") == true)
        #expect(error?.description.contains("E4X") == false)
    }
}
