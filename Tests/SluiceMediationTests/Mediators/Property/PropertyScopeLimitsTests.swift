import Foundation
import SluiceMediation
import SluiceModel
import Testing

/// The scopes Sluice does not write or read: `<property scope="registry|system|env">` fails the deployment, and
/// `get-property('env'|'system', ...)` reads nothing, so an artifact cannot read the server's environment.
@Suite struct PropertyScopeLimitsTests {
    @Test(arguments: ["registry", "system", "env"])
    func writingTheScopeFailsTheDeployment(scope: String) throws {
        let nodes = try MediatorXML.roundTrip(#"<property name="p" value="1" scope="\#(scope)"/>"#)
        #expect(throws: MediationCompileError.self) { try Build.sequence(nodes) }
    }

    @Test func theEnvironmentAndSystemScopesReadNothing() throws {
        #expect(ProcessInfo.processInfo.environment["PATH"] != nil)
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip("""
                <property name="path" expression="get-property('env', 'PATH')"/>
                <property name="home" expression="get-property('system', 'user.home')"/>
                """),
            on: &context
        )
        #expect(context[property: "path"]?.stringValue ?? "" == "")
        #expect(context[property: "home"]?.stringValue ?? "" == "")
    }

    @Test func theRegistryScopeReadsLocalEntries() throws {
        let program = try Build.program(localEntries: ["conf:/tiers/gold": "5000"])
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(#"<property name="limit" expression="get-property('registry', 'conf:/tiers/gold')"/>"#),
            on: &context,
            program: program
        )
        #expect(context[property: "limit"] == "5000")
    }
}
