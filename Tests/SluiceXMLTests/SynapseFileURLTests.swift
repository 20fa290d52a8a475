import SluiceXML
import Testing

/// The order in which a relative `file:` URL of an artifact is looked for.
@Suite struct SynapseFileURLTests {
    @Test func absolutePathsAreTakenAsTheyAre() {
        #expect(SynapseFileURL.candidates(for: "file:/etc/x.xsd", artifact: "/r/a.xml") == ["/etc/x.xsd"])
        #expect(SynapseFileURL.candidates(for: "file:///etc/x.xsd", artifact: nil) == ["/etc/x.xsd"])
    }

    @Test func relativePathsTryTheArtifactFolderTheCurrentFolderThenTheHome() {
        let artifact = "/opt/wso2/repository/deployment/server/synapse-configs/default/local-entries/e.xml"
        #expect(
            SynapseFileURL.candidates(for: "file:samples/t.xslt", artifact: artifact) == [
                "/opt/wso2/repository/deployment/server/synapse-configs/default/local-entries/samples/t.xslt",
                "samples/t.xslt",
                "/opt/wso2/samples/t.xslt",
            ]
        )
    }

    @Test func withoutARepositoryThereIsNoHome() {
        #expect(SynapseFileURL.candidates(for: "t.wsdl", artifact: "/work/a.xml") == ["/work/t.wsdl", "t.wsdl"])
        #expect(SynapseFileURL.candidates(for: "t.wsdl", artifact: nil) == ["t.wsdl"])
    }

    @Test func aMissingFileSaysWhereItWasLookedFor() throws {
        let artifact = "/nonexistent-sluice/repository/deployment/server/synapse-configs/default/local-entries/e.xml"
        let failure = #expect(throws: FileBytes.Failure.self) {
            try SynapseFileURL.contents(of: "file:samples/t.xslt", artifact: artifact, limit: 1024)
        }
        #expect(
            failure?.message == "cannot open file: No such file or directory (looked for "
                + "/nonexistent-sluice/repository/deployment/server/synapse-configs/default/local-entries/samples/t.xslt, "
                + "samples/t.xslt (from the working directory), /nonexistent-sluice/samples/t.xslt)"
        )
    }
}
