import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<propertyGroup>`: several properties in one element, as WSO2's Synapse reads them.
@Suite struct PropertyGroupMediatorTests {
    static let group = """
        <propertyGroup description="request facts">
          <property name="kind" expression="json-eval($.kind)"/>
          <property name="count" value="3" type="INTEGER"/>
          <property name="X-Group" expression="fn:concat('k-', $ctx:kind)" scope="transport"/>
          <property name="REST_URL_POSTFIX" scope="axis2" action="remove"/>
        </propertyGroup>
        """

    @Test func roundTrips() throws {
        let read = try MediatorXML.roundTrip(Self.group)
        let group = try #require(read.first?.as(PropertyGroupMediator.self))
        #expect(group.description == "request facts")
        #expect(group.properties.count == 4)
        #expect(try MediatorXML.roundTrip("<propertyGroup/>").first?.as(PropertyGroupMediator.self)?.properties == [])
    }

    @Test(arguments: [
        (#"<propertyGroup><log/></propertyGroup>"#, "holds only <property> elements, not <log>"),
        (#"<propertyGroup><property value="1"/></propertyGroup>"#, "missing required attribute 'name'"),
    ])
    func badGroupsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func propertiesRunInOrderOnAJSONMessage() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"kind":"book"}"#)
        try Build.run(try MediatorXML.roundTrip(Self.group), on: &context)
        #expect(context[property: "kind"] == "book")
        #expect(context[property: "count"] == .integer(3))
        // The third property reads what the first set.
        #expect(context.headers.first(name: "X-Group") == "k-book")
    }

    @Test func propertiesRunOnAnXMLMessage() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>9</id></order>")
        let mediators = try MediatorXML.roundTrip(
            #"<propertyGroup><property name="id" expression="//id"/><property name="copy" expression="$ctx:id"/></propertyGroup>"#
        )
        try Build.run(mediators, on: &context)
        #expect(context[property: "copy"] == "9")
    }
}
