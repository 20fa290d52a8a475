import SluiceMediation
import SluiceModel
import Testing

/// `<loopback/>`: the message, as the in flow left it, becomes the response and goes to the out flow; nothing after
/// it in the in flow runs.
@Suite struct LoopbackMediatorTests {
    @Test func roundTrips() throws {
        #expect(try MediatorXML.roundTrip("<loopback/>") == [.loopback])
    }

    @Test(arguments: [
        ("application/json", #"{"order":7}"#, #"{"looped":7}"#),
        ("application/xml", "<order>7</order>", #"<looped xmlns="">7</looped>"#),
    ])
    func theBuiltPayloadIsWhatLoopsBack(contentType: String, body: String, expected: String) throws {
        let mediators = contentType.hasSuffix("json")
            ? #"<payloadFactory media-type="json"><format>{"looped":$1}</format><args><arg expression="json-eval($.order)"/></args></payloadFactory>"#
            : #"<payloadFactory media-type="xml"><format><looped xmlns="">$1</looped></format><args><arg expression="//order"/></args></payloadFactory>"#
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        let step = try Build.run(
            try MediatorXML.roundTrip(mediators + #"<loopback/><property name="after" value="ran"/>"#),
            on: &context
        )
        #expect(step.name == "loopback")
        #expect(context.body.text == expected)
        #expect(context[property: "after"] == nil)
    }

    @Test func childrenAreRefused() {
        #expect(MediatorXML.problems("<loopback/>").isEmpty)
        #expect(!MediatorXML.problems("<loopback><drop/></loopback>").isEmpty)
    }
}
