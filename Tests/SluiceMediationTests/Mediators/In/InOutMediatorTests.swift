import SluiceMediation
import SluiceModel
import Testing

@Suite struct InOutMediatorTests {
    static let xml = """
        <in><property name="direction" value="in"/></in>\
        <out><property name="direction" value="out"/><drop/></out>\
        <property name="after" value="yes"/>
        """

    @Test func roundTrips() throws {
        let mediators = try MediatorXML.roundTrip(Self.xml)
        #expect(mediators.first?.as(InMediator.self)?.mediators.count == 1)
        #expect(mediators[1].as(OutMediator.self)?.mediators.count == 2)
        #expect(try MediatorXML.roundTrip("<in/><out/>") == [MediatorNode.in([]), .out([])])
    }

    @Test(arguments: [
        (#"{"a":1}"#, "application/json"),
        ("<a>1</a>", "application/xml"),
    ])
    func requestRunsOnlyTheInBranch(body: String, contentType: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        let step = try Build.run(try MediatorXML.roundTrip(Self.xml), on: &context)
        #expect(step.name == "finished")
        #expect(context[property: "direction"] == "in")
        #expect(context[property: "after"] == "yes")
    }

    @Test(arguments: [
        (#"{"a":1}"#, "application/json"),
        ("<a>1</a>", "application/xml"),
    ])
    func responseRunsOnlyTheOutBranch(body: String, contentType: String) throws {
        var context = Build.context()
        context.receiveResponse(status: 200, headers: ["Content-Type": contentType], body: .text(body))
        let step = try Build.run(try MediatorXML.roundTrip(Self.xml), on: &context)
        #expect(step.name == "drop")
        #expect(context[property: "direction"] == "out")
        #expect(context[property: "after"] == nil)
    }

    @Test func unknownChildIsReported() {
        #expect(MediatorXML.problems("<in><nonsense/></in>") == ["unknown mediator 'nonsense'"])
    }
}
