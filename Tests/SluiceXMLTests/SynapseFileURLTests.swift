import SluiceXML
import Testing

/// The order in which a relative `file:` URL of an artifact is looked for.
@Suite struct SynapseFileURLTests {
    @Test func absolutePathsAreTakenAsTheyAre() {
        #expect(SynapseFileURL.candidates(for: "file:/etc/x.xsd", artifact: "/r/a.xml") == ["/etc/x.xsd"])
        #expect(SynapseFileURL.candidates(for: "file:///etc/x.xsd", artifact: nil) == ["/etc/x.xsd"])
    }

    @Test func relativePathsTryTheWorkingDirectoryTheProductHomeThenTheArtifactFolder() {
        let artifact = "/opt/wso2/repository/deployment/server/synapse-configs/default/local-entries/e.xml"
        #expect(
            SynapseFileURL.candidates(for: "file:samples/t.xslt", artifact: artifact) == [
                "samples/t.xslt",
                "/opt/wso2/samples/t.xslt",
                "/opt/wso2/repository/deployment/server/synapse-configs/default/local-entries/samples/t.xslt",
            ]
        )
    }

    @Test func theProductHomeHoldsTheRepositoryFolderWhateverItsName() {
        #expect(SynapseFileURL.productHome(of: "/srv/gw/repo/deployment/server/synapse-configs/default/api/a.xml") == "/srv/gw")
        #expect(SynapseFileURL.productHome(of: "/repository/deployment/server/synapse-configs/default/api/a.xml") == "")
        #expect(SynapseFileURL.productHome(of: "/opt/wso2/repository/conf/sample/synapse_sample_1.xml") == "/opt/wso2")
        // A repository named relative to the working directory: its home is the working directory, tried first.
        #expect(SynapseFileURL.productHome(of: "repository/deployment/server/synapse-configs/default/api/a.xml") == nil)
        #expect(SynapseFileURL.productHome(of: "/work/a.xml") == nil)
    }

    @Test func withoutARepositoryThereIsNoHome() {
        #expect(SynapseFileURL.candidates(for: "t.wsdl", artifact: "/work/a.xml") == ["t.wsdl", "/work/t.wsdl"])
        #expect(SynapseFileURL.candidates(for: "t.wsdl", artifact: nil) == ["t.wsdl"])
    }

    @Test func aMissingFileSaysWhereItWasLookedFor() throws {
        let artifact = "/nonexistent-sluice/repository/deployment/server/synapse-configs/default/local-entries/e.xml"
        let failure = #expect(throws: FileBytes.Failure.self) {
            try SynapseFileURL.contents(of: "file:samples/t.xslt", artifact: artifact, limit: 1024)
        }
        #expect(
            failure?.message == "cannot open file: No such file or directory (looked for "
                + "samples/t.xslt (from the working directory), /nonexistent-sluice/samples/t.xslt, "
                + "/nonexistent-sluice/repository/deployment/server/synapse-configs/default/local-entries/samples/t.xslt)"
        )
    }
}
