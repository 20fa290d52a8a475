import Foundation
import HTTPTypes
import NIOCore
import SluiceControlPlane
import Testing

/// WSO2 v4's operation policies: built-in and added common policies, an API's own, attached to operations and
/// rendered into the resource's mediation in the gateway artifact.
@Suite(.timeLimit(.minutes(1))) struct OperationPolicyTests {
    static let common = "\(Client.publisher)/operation-policies"

    static let stampSpec = """
        type: operation_policy_specification
        version: v4.2.0
        data:
          category: Mediation
          name: stamp
          version: v1
          displayName: Stamp
          description: Sets a property and a header
          applicableFlows: [request, response]
          supportedGateways: [Synapse]
          supportedApiTypes: [HTTP]
          policyAttributes:
            - name: mark
              displayName: Mark
              type: String
              required: true
              validationRegex: "/^[a-z0-9<>&-]{1,20}$/i"
            - name: level
              type: Integer
              required: false
              defaultValue: "3"
        """
    static let stampDefinition = #"<property name="stamp" value="{{ mark }}"/><header name="X-Level" value="{{level}}" scope="transport"/>"#

    /// Sends WSO2's policy form (multipart) as `user`.
    static func upload(
        _ client: Client, _ uri: String, parts: [(name: String, file: String, body: String)], as user: String = "admin"
    ) async throws -> Answer {
        let boundary = "policy-boundary"
        var body = ""
        for part in parts {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(part.file)\"\r\n"
            body += "Content-Type: application/octet-stream\r\n\r\n\(part.body)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await uploadBytes(client, uri, boundary: boundary, body: Data(body.utf8), as: user)
    }

    static func uploadBytes(_ client: Client, _ uri: String, boundary: String, body: Data, as user: String) async throws -> Answer {
        let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
        return try await client.send(
            .post, uri,
            headers: [.authorization: "Basic \(credentials)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body)
        )
    }

    static func stamp(_ client: Client, _ uri: String = common) async throws -> Answer {
        try await upload(client, uri, parts: [("policySpecFile", "stamp_v1.yaml", stampSpec), ("synapsePolicyDefinitionFile", "stamp_v1.j2", stampDefinition)])
    }

    /// An API whose `GET /menu` carries `policies` (a JSON `operationPolicies` object).
    static func api(policies: String) -> String {
        """
        {"name": "Policies", "context": "/policies", "version": "1.0.0", "policies": ["Unlimited"],
         "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "http://localhost:9080/x"}},
         "operations": [{"target": "/menu", "verb": "GET", "operationPolicies": \(policies)}]}
        """
    }

    @Test func builtInPoliciesAreListedAndServedAsWSO2Archives() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let list = try await client.get(Self.common, as: "chris")
            #expect(list.status == .ok, "\(list.text)")
            let names = try list.list.compactMap { $0["name"] as? String }
            #expect(names.starts(with: ["addHeader", "removeHeader", "changeHTTPMethod", "jsonToXML", "xmlToJSON"]))
            #expect(try await client.get("\(Self.common)?query=name:header", as: "chris").list.count == 2)
            #expect(try await client.get(Self.common, as: "alice").status == .forbidden)
            let addHeader = try #require(try list.list.first)
            let id = try #require(addHeader["id"] as? String)
            #expect((addHeader["policyAttributes"] as? [[String: Any]])?.map { $0["name"] as? String } == ["headerName", "headerValue"])
            let one = try await client.get("\(Self.common)/\(id)", as: "pat")
            #expect(try one.object["isAPISpecific"] as? Bool == false)
            #expect(try one.object["supportedApiTypes"] as? [[String: String]] == [["apiType": "HTTP"]])
            let missing = try await client.get("\(Self.common)/nope", as: "pat")
            #expect(missing.status == .notFound)
            #expect(try missing.object["code"] as? Int == 902010)

            let content = try await client.get("\(Self.common)/\(id)/content", as: "pat")
            #expect(content.headers[.contentType] == "application/zip")
            let files = try APIProjectArchive.files(inZip: content.data)
            #expect(Set(files.keys) == ["addHeader_v1/addHeader_v1.yaml", "addHeader_v1/addHeader_v1.j2"])
            #expect(String(decoding: files["addHeader_v1/addHeader_v1.yaml"]!, as: UTF8.self).contains("type: operation_policy_specification"))
            let exported = try await client.get("\(Self.common)/export?name=addHeader&version=v1", as: "admin")
            #expect(exported.status == .ok)
            #expect(try await client.get("\(Self.common)/export?name=nope", as: "admin").status == .notFound)
            #expect(try await client.delete("\(Self.common)/\(id)", as: "admin").status == .badRequest, "built in")
        }
    }

    @Test func commonPoliciesAreAddedCheckedDeletedAndImported() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            #expect(try await Self.upload(client, Self.common, parts: [], as: "chris").status == .forbidden)
            let added = try await Self.stamp(client)
            #expect(added.status == .created, "\(added.text)")
            let id = try #require(try added.object["id"] as? String)
            #expect(added.headers[.location] == "\(Self.common)/\(id)")
            #expect(try await Self.stamp(client).status == .conflict)

            let refusals: [(String, String, String)] = [
                ("a Jinja statement", Self.stampSpec, "{% if mark %}<log/>{% endif %}"),
                ("an unknown attribute", Self.stampSpec, #"<property name="x" value="{{ other }}"/>"#),
                ("not Synapse", Self.stampSpec, "<notAMediator/>"),
                ("not XML", Self.stampSpec, "<property name="),
                ("Choreo Connect only", Self.stampSpec.replacingOccurrences(of: "[Synapse]", with: "[ChoreoConnect]"), Self.stampDefinition),
                ("another flow", Self.stampSpec.replacingOccurrences(of: "[request, response]", with: "[in]"), Self.stampDefinition),
                ("a built-in name", Self.stampSpec.replacingOccurrences(of: "name: stamp", with: "name: addHeader"), "<log/>"),
            ]
            for (what, spec, definition) in refusals {
                let answer = try await Self.upload(
                    client, Self.common, parts: [("policySpecFile", "s.yaml", spec), ("synapsePolicyDefinitionFile", "s.j2", definition)]
                )
                #expect([.badRequest, .conflict].contains(answer.status), "\(what): \(answer.text)")
            }
            let noDefinition = try await Self.upload(client, Self.common, parts: [("policySpecFile", "s.yaml", Self.stampSpec)])
            #expect(noDefinition.status == .badRequest)

            // Exported, deleted, imported again: the same policy under a new id.
            let archive = try await client.get("\(Self.common)/export?name=stamp&version=v1&format=JSON", as: "admin")
            #expect(try APIProjectArchive.files(inZip: archive.data).keys.contains("stamp_v1/stamp_v1.json"))
            #expect(try await client.delete("\(Self.common)/\(id)", as: "admin").status == .ok)
            #expect(try await client.get("\(Self.common)/\(id)", as: "admin").status == .notFound)
            var form = Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stamp_v1.zip\"\r\n\r\n".utf8)
            form.append(archive.data)
            form.append(Data("\r\n--b--\r\n".utf8))
            let imported = try await Self.uploadBytes(client, "\(Self.common)/import", boundary: "b", body: form, as: "admin")
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(try imported.object["name"] as? String == "stamp")
            #expect(try await Self.uploadBytes(client, "\(Self.common)/import", boundary: "b", body: form, as: "admin").status == .conflict)
        }
    }

    @Test func operationsCarryTheirPoliciesIntoTheArtifact() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            #expect(try await Self.stamp(client).status == .created)
            let policies = """
                {"request": [{"policyName": "addHeader", "policyVersion": "v1", "parameters": {"headerName": "X-Tenant", "headerValue": "a\\"<b>"}},
                             {"policyName": "stamp", "parameters": {"mark": "m<1>"}}],
                 "response": [{"policyName": "removeHeader", "parameters": {"headerName": "Server"}}],
                 "fault": [{"policyName": "addHeader", "parameters": {"headerName": "X-Fault", "headerValue": "1"}}]}
                """
            let apiID = try await client.publishedAPI(Self.api(policies: policies))
            let stored = try await client.get("\(Client.publisher)/apis/\(apiID)", as: "chris")
            let operation = try #require((try stored.object["operations"] as? [[String: Any]])?.first)
            let request = try #require((operation["operationPolicies"] as? [String: Any])?["request"] as? [[String: Any]])
            #expect(request.map { $0["policyType"] as? String } == ["common", "common"])
            #expect(request.first?["policyId"] as? String != nil)

            let artifact = try fixture.artifact("chris--Policies_v1.0.0.xml")
            // Request policies first in the inSequence, values escaped; the default of `level` filled in.
            let header = try #require(artifact.range(of: #"<header name="X-Tenant" scope="transport" value="a&quot;&lt;b&gt;"/>"#)
                ?? artifact.range(of: #"<header name="X-Tenant" value="a&quot;&lt;b&gt;" scope="transport"/>"#), "\(artifact)")
            let backendTime = try #require(artifact.range(of: "api.ut.backendRequestTime"))
            #expect(header.lowerBound < backendTime.lowerBound)
            #expect(artifact.contains("X-Level"))
            #expect(artifact.contains(#"value="3""#))
            #expect(artifact.contains("m&lt;1&gt;"))
            #expect(artifact.contains(#"<header name="Server""#))
            #expect(artifact.contains("<faultSequence>"))
            #expect(artifact.contains("X-Fault"))

            let refusals: [(String, String)] = [
                ("a missing attribute", #"{"request": [{"policyName": "addHeader", "parameters": {"headerName": "X"}}]}"#),
                ("an unknown attribute", #"{"request": [{"policyName": "removeHeader", "parameters": {"headerName": "X", "nope": "1"}}]}"#),
                ("a value the regex refuses", #"{"request": [{"policyName": "stamp", "parameters": {"mark": "a b"}}]}"#),
                ("an Integer that is not one", #"{"request": [{"policyName": "stamp", "parameters": {"mark": "a", "level": "x"}}]}"#),
                ("an enum value", #"{"request": [{"policyName": "changeHTTPMethod", "parameters": {"updatedMethod": "FETCH"}}]}"#),
                ("a flow it does not apply to", #"{"fault": [{"policyName": "changeHTTPMethod", "parameters": {"updatedMethod": "POST"}}]}"#),
                ("an unknown policy", #"{"request": [{"policyName": "nope"}]}"#),
            ]
            for (what, policies) in refusals {
                let answer = try await client.put("\(Client.publisher)/apis/\(apiID)", as: "admin", json: Self.api(policies: policies))
                #expect(answer.status == .badRequest, "\(what): \(answer.text)")
                #expect(answer.errorDescription.contains("operations[0].operationPolicies"), "\(what): \(answer.text)")
            }
        }
    }

    @Test func anAPIsOwnPolicyIsUsedByNameAndKeptWhileUsed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.createAPI(Self.api(policies: "{}"))
            let base = "\(Client.publisher)/apis/\(apiID)/operation-policies"
            let added = try await Self.stamp(client, base)
            #expect(added.status == .created, "\(added.text)")
            let id = try #require(try added.object["id"] as? String)
            #expect(try added.object["isAPISpecific"] as? Bool == true)
            #expect(try await client.get(base, as: "pat").list.map { $0["name"] as? String } == ["stamp"])
            #expect(try await client.get("\(base)/\(id)", as: "pat").status == .ok)
            #expect(try await client.get("\(base)/\(id)/content", as: "pat").headers[.contentType] == "application/zip")
            #expect(try await client.get("\(Self.common)/\(id)", as: "pat").status == .notFound, "not a common policy")
            #expect(try await client.get("\(Client.publisher)/apis/nope/operation-policies", as: "pat").status == .notFound)

            let used = try await client.put(
                "\(Client.publisher)/apis/\(apiID)", as: "chris",
                json: Self.api(policies: #"{"request": [{"policyName": "stamp", "policyVersion": "v1", "parameters": {"mark": "x"}}]}"#)
            )
            #expect(used.status == .ok, "\(used.text)")
            #expect(try await client.delete("\(base)/\(id)", as: "chris").status == .conflict)
            #expect(try await client.put("\(Client.publisher)/apis/\(apiID)", as: "chris", json: Self.api(policies: "{}")).status == .ok)
            #expect(try await client.delete("\(base)/\(id)", as: "chris").status == .ok)
        }
    }
}
