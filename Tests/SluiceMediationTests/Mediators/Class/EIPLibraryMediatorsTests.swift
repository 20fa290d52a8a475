import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Apache Synapse's EIP library class mediators, run by templates shaped as the library's own (each reads its
/// parameters from the calling template's `$func:` values).
@Suite struct EIPLibraryMediatorsTests {
    static let configuration = """
        <definitions xmlns="http://ws.apache.org/ns/synapse">
            <template name="cbr">
                <parameter name="routing_exp"/>
                <parameter name="match_content"/>
                <sequence><class name="org.apache.synapse.libraries.eip.ContentBasedRouterMediator"/></sequence>
            </template>
            <template name="router">
                <parameter name="conditions"/>
                <sequence><class name="org.apache.synapse.libraries.eip.DynamicRouterMediator"/></sequence>
            </template>
            <template name="block">
                <parameter name="service_URL"/>
                <parameter name="action" optional="true"/>
                <parameter name="source_xpath" xmlns:s11="http://schemas.xmlsoap.org/soap/envelope/" xmlns:s12="http://www.w3.org/2003/05/soap-envelope" default="{{s11:Body/child::*[fn:position()=1] | s12:Body/child::*[fn:position()=1]}}" optional="true"/>
                <parameter name="target_xpath" xmlns:s11="http://schemas.xmlsoap.org/soap/envelope/" xmlns:s12="http://www.w3.org/2003/05/soap-envelope" default="{{s11:Body/child::*[fn:position()=1] | s12:Body/child::*[fn:position()=1]}}" optional="true"/>
                <parameter name="source_key" optional="true"/>
                <parameter name="target_key" optional="true"/>
                <sequence><class name="org.apache.synapse.libraries.eip.CalloutBlockMediator"/></sequence>
            </template>
            <sequence name="ibm"><property name="trail" expression="concat(get-property('trail'), 'ibm,')"/></sequence>
            <sequence name="msft"><property name="trail" expression="concat(get-property('trail'), 'msft,')"/></sequence>
            <sequence name="other"><property name="trail" expression="concat(get-property('trail'), 'other,')"/></sequence>
            <sequence name="main"><property name="trail" expression="concat(get-property('trail'), 'main,')"/></sequence>
        </definitions>
        """

    static func program() throws -> MediationProgram {
        try MediationCompiler().compileProgram(SynapseParser().parse(xml: configuration, fileName: "eip.xml"))
    }

    /// Runs `call-template target=` with the parameters, then marks that the template went on.
    static func call(
        _ target: String,
        _ parameters: [(String, String)],
        on context: inout MessageContext
    ) throws -> MediationStep {
        let withParams = parameters.map { name, value in
            #"<with-param xmlns:q="urn:q" name="\#(name)" value="\#(value)"/>"#
        }.joined()
        let mediators = try MediatorXML.roundTrip(
            #"<call-template target="\#(target)">\#(withParams)</call-template><property name="after" value="yes"/>"#
        )
        let program = try program()
        var execution = SequenceExecution(sequence: try Build.sequence(mediators, program: program), program: program)
        return try execution.run(&context)
    }

    static func fault(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let fault as MediationFault {
            return fault.message
        } catch {
            return "\(error)"
        }
    }

    // MARK: - content_based_router

    @Test(arguments: [
        ("<quote><symbol>IBM</symbol></quote>", "application/xml", "ibm,"),
        ("<quote><symbol>MSFTX</symbol></quote>", "application/xml", "other,"),
        (#"{"symbol":"MSFT"}"#, "application/json", "msft,"),
        (#"{"symbol":"ORCL"}"#, "application/json", "other,"),
    ])
    func theContentBasedRouterRunsTheMatchingCaseOrTheDefault(body: String, contentType: String, trail: String) throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        context[property: "trail"] = .string("")
        _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "IBM:ibm, MS.T : msft ;other")], on: &context)
        #expect(context[property: "trail"]?.stringValue == trail)
        #expect(context[property: "after"]?.stringValue == "yes")
    }

    @Test func aCaseWithoutASequenceRunsMainAndNoMatchWithoutDefaultRunsNothing() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<q><symbol>IBM</symbol></q>")
        context[property: "trail"] = .string("")
        _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "I.M")], on: &context)
        #expect(context[property: "trail"]?.stringValue == "main,")
        context[property: "trail"] = .string("")
        _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "SUN:ibm")], on: &context)
        #expect(context[property: "trail"]?.stringValue == "")
        #expect(context[property: "after"]?.stringValue == "yes")
        // More than one ';': Synapse logs "Invalid match content" and routes nowhere.
        _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "IBM:ibm;other;msft")], on: &context)
        #expect(context[property: "trail"]?.stringValue == "")
    }

    @Test func theContentBasedRouterFaultsWithSynapsesMessages() throws {
        let xml = { Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<q><symbol>IBM</symbol></q>") }
        var context = xml()
        #expect(Self.fault { _ = try Self.call("cbr", [("match_content", "IBM:ibm")], on: &context) }
            == "A 'source' XPath attribute is required for a switch mediator")
        context = xml()
        #expect(Self.fault { _ = try Self.call("cbr", [("routing_exp", "//symbol"), ("match_content", "IBM:ibm")], on: &context) }
            == "Invalid XPath for attribute 'source'")
        context = xml()
        #expect(Self.fault { _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "IBM:ibm:x")], on: &context) }
            == "The 'regex' attribute is required for a switch case definition")
        context = xml()
        #expect(Self.fault { _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "IB(M:ibm")], on: &context) }
            == "Invalid Regular Expression for attribute 'regex' : IB(M")
        context = xml()
        #expect(Self.fault { _ = try Self.call("cbr", [("routing_exp", "{{//symbol}}"), ("match_content", "IBM:nothing")], on: &context) }
            == "Sequence named nothing cannot be found")
    }

    @Test func theLibraryMediatorsTakeNoProperties() throws {
        let sequence = try MediatorXML.roundTrip(
            #"<class name="org.apache.synapse.libraries.eip.DynamicRouterMediator"><property name="conditions" value="x"/></class>"#
        )
        #expect(throws: MediationCompileError.self) { try Build.sequence(sequence) }
    }

    // MARK: - dynamic_router

    @Test func theDynamicRouterRunsEveryRouteWhoseConditionHolds() throws {
        var context = Build.context(method: "POST", headers: [("X-Tier", "gold"), ("X-Region", "eu")], body: "<q/>")
        context[property: "trail"] = .string("")
        let conditions =
            "header=X-Tier:gold.*{AND}url=/api/.*;seq=ibm, header=X-Region:us{OR}header=X-Region:e.;seq=msft,"
            + "url=path:/other;seq=other,header=X-Tier:silver;seq=main"
        _ = try Self.call("router", [("conditions", conditions)], on: &context)
        #expect(context[property: "trail"]?.stringValue == "ibm,msft,")
        #expect(context[property: "after"]?.stringValue == "yes")
    }

    @Test(arguments: [
        ("header=X-Tier:gold", "Conditional Route is not defined"),
        ("foo=a:b;seq=ibm", "Unsupported evaluator:foo"),
        ("header=X-Tier:gold;queue=ibm", "Target Sequence has defined wrong"),
        ("header=a:b{AND}url=x{OR}url=y;seq=ibm", "Routing condition is wrong"),
        ("header=a:b{AND};seq=ibm", "Two or more expressions should be provided under And"),
        ("url=a:b:c;seq=ibm", "Unsupported conditiona:b:c"),
        ("url=scheme:http;seq=ibm", "No enum constant org.apache.synapse.commons.evaluators.EvaluatorConstants.URI_FRAGMENTS.scheme"),
        ("header=X-Tier:gold;seq=nothing", "Sequence named nothing cannot be found"),
    ])
    func theDynamicRouterFaultsOnBadRoutesWithSynapsesMessages(conditions: String, message: String) throws {
        var context = Build.context(method: "POST", headers: [("X-Tier", "gold")], body: "<q/>")
        #expect(Self.fault { _ = try Self.call("router", [("conditions", conditions)], on: &context) } == message)
    }

    // MARK: - callout_block

    static let soapRequest = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\
        <q:getQuote xmlns:q="urn:q"><q:symbol>IBM</q:symbol></q:getQuote></s:Body></s:Envelope>
        """

    @Test func theCalloutBlockCallsTheServiceAndPutsTheAnswerInPlaceOfTheRequest() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "text/xml; charset=UTF-8"), ("SOAPAction", "\"urn:mediate\"")],
            body: Self.soapRequest
        )
        let program = try Self.program()
        let mediators = try MediatorXML.roundTrip(
            #"<call-template target="block"><with-param name="service_URL" value="http://127.0.0.1:9/quotes"/>"#
                + #"<with-param name="action" value="urn:getQuote"/></call-template><property name="after" value="yes"/>"#
        )
        var execution = SequenceExecution(sequence: try Build.sequence(mediators, program: program), program: program)
        guard case .call(let endpoint) = try execution.run(&context), case .leaf(let leaf) = endpoint.kind else {
            Issue.record("the callout block should call the service")
            return
        }
        #expect(leaf.url(for: context) == "http://127.0.0.1:9/quotes")
        #expect(context.body.string?.contains(#"<soapenv:Body><q:getQuote xmlns:q="urn:q"><q:symbol>IBM</q:symbol></q:getQuote>"#) == true)
        #expect(context.headers.first(name: "SOAPAction") == "\"urn:getQuote\"")
        context.receiveResponse(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "text/xml")]),
            body: .text(
                #"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>"#
                    + #"<r:quote xmlns:r="urn:r"><r:last>12.5</r:last></r:quote></e:Body></e:Envelope>"#
            )
        )
        #expect(try execution.run(&context).name == "finished")
        let body = try #require(context.body.string)
        #expect(body.contains(#"<s:Body><r:quote xmlns:r="urn:r"><r:last>12.5</r:last></r:quote></s:Body>"#))
        #expect(context.headers.first(name: "SOAPAction") == "\"urn:mediate\"")
        #expect(context[property: "after"]?.stringValue == "yes")
        // The service's address pointed the call only.
        #expect(context[property: "To"]?.stringValue != "http://127.0.0.1:9/quotes")
    }

    @Test func theCalloutBlockTakesKeysWhenThePathsAreNotPaths() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order/>")
        context[property: "ask"] = .xml(#"<q:getQuote xmlns:q="urn:q">IBM</q:getQuote>"#)
        _ = try Self.call(
            "block",
            [("service_URL", "http://127.0.0.1:9/q"), ("source_xpath", "none"), ("source_key", "ask"),
             ("target_xpath", "none"), ("target_key", "answer")],
            on: &context
        )
        #expect(context.body.string == #"<q:getQuote xmlns:q="urn:q">IBM</q:getQuote>"#)
    }

    @Test func theCalloutBlockFaultsWithSynapsesMessages() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "text/xml")], body: Self.soapRequest)
        #expect(Self.fault { _ = try Self.call("block", [("action", "urn:a")], on: &context) }
            == "The 'serviceURL' attribute is required for the Callout mediator")
        #expect(Self.fault { _ = try Self.call("block", [("service_URL", "http://h/"), ("source_xpath", "x")], on: &context) }
            == "The message 'source' must be specified for a Callout mediator")
        #expect(Self.fault { _ = try Self.call("block", [("service_URL", "http://h/"), ("target_xpath", "x")], on: &context) }
            == "The message 'target' must be specified for a Callout mediator")
    }
}
