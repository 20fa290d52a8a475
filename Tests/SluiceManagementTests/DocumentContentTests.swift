import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceManagement
import Testing

/// `POST /apis/{apiId}/documents/{documentId}/content`: files for FILE documents, inline text for INLINE and
/// MARKDOWN ones, as WSO2's multipart form; the content is read back from `GET .../content`.
@Suite(.timeLimit(.minutes(1))) struct DocumentContentTests {
    static let boundary = "sluice-test-boundary"

    private func upload(
        _ client: Client,
        _ uri: String,
        as user: String = "chris",
        parts: [(name: String, fileName: String?, type: String?, body: Data)]
    ) async throws -> Answer {
        var body = Data()
        for part in parts {
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { disposition += "; filename=\"\(fileName)\"" }
            body.append(Data("--\(Self.boundary)\r\n\(disposition)\r\n".utf8))
            if let type = part.type { body.append(Data("Content-Type: \(type)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(part.body)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(Self.boundary)--\r\n".utf8))
        let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
        let response = try await client.client.execute(
            uri: uri,
            method: .post,
            headers: [
                .authorization: "Basic \(credentials)",
                .contentType: "multipart/form-data; boundary=\(Self.boundary)",
            ],
            body: ByteBuffer(data: body)
        )
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    private func document(_ client: Client, _ apiID: String, _ name: String, sourceType: String) async throws
        -> String
    {
        let answer = try await client.post(
            "\(Client.publisher)/apis/\(apiID)/documents",
            as: "chris",
            json: #"{"name": "\#(name)", "type": "HOWTO", "sourceType": "\#(sourceType)"}"#
        )
        #expect(answer.status == .created, "\(answer.text)")
        return try #require(try answer.object["documentId"] as? String)
    }

    @Test func aFileIsUploadedAndServedBack() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let documentID = try await document(client, apiID, "Guide", sourceType: "FILE")
            let content = "\(Client.publisher)/apis/\(apiID)/documents/\(documentID)/content"
            #expect(try await client.get(content, as: "chris").status == .notFound)

            let pdf = Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x00, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A])
            let uploaded = try await upload(
                client, content, parts: [("file", "../../guide\".pdf", "application/pdf", pdf)])
            #expect(uploaded.status == .ok, "\(uploaded.text)")

            let served = try await client.get(content, as: "pat")
            #expect(served.status == .ok)
            #expect(served.data == pdf)
            #expect(served.headers[.contentType] == "application/pdf")
            #expect(served.headers[.contentDisposition] == "attachment; filename=\"guide.pdf\"")
            let store = try await client.get("\(Client.devportal)/apis/\(apiID)/documents/\(documentID)/content")
            #expect(store.data == pdf)

            // Editing the metadata keeps the file.
            let edited = try await client.put(
                "\(Client.publisher)/apis/\(apiID)/documents/\(documentID)",
                as: "chris",
                json: #"{"name": "Guide", "type": "HOWTO", "sourceType": "FILE", "summary": "PDF"}"#
            )
            #expect(edited.status == .ok)
            #expect(try await client.get(content, as: "pat").data == pdf)
        }
    }

    @Test func inlineContentIsReplaced() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let documentID = try await document(client, apiID, "Readme", sourceType: "MARKDOWN")
            let content = "\(Client.publisher)/apis/\(apiID)/documents/\(documentID)/content"
            let answer = try await upload(client, content, parts: [("inlineContent", nil, nil, Data("# Menu\n".utf8))])
            #expect(answer.status == .ok, "\(answer.text)")
            let served = try await client.get(content, as: "pat")
            #expect(served.text == "# Menu\n")
            #expect(served.headers[.contentType]?.hasPrefix("text/markdown") == true)
        }
    }

    @Test func contentThatDoesNotFitIsRefused() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let file = try await document(client, apiID, "Guide", sourceType: "FILE")
            let inline = try await document(client, apiID, "Notes", sourceType: "INLINE")
            func uri(_ id: String) -> String { "\(Client.publisher)/apis/\(apiID)/documents/\(id)/content" }
            let bytes = Data("x".utf8)

            let textIntoFile = try await upload(client, uri(file), parts: [("inlineContent", nil, nil, bytes)])
            #expect(textIntoFile.status == .badRequest)
            #expect(textIntoFile.errorDescription.contains("Only INLINE and MARKDOWN"))
            let fileIntoInline = try await upload(client, uri(inline), parts: [("file", "a.txt", "text/plain", bytes)])
            #expect(fileIntoInline.status == .badRequest)
            #expect(fileIntoInline.errorDescription.contains("Only FILE documents take a file"))
            let both = try await upload(
                client, uri(file), parts: [("file", "a.txt", nil, bytes), ("inlineContent", nil, nil, bytes)])
            #expect(both.status == .badRequest)
            let empty = try await upload(client, uri(file), parts: [("file", "a.txt", nil, Data())])
            #expect(empty.errorDescription.contains("The file is empty"))
            let json = try await client.post(uri(inline), as: "chris", json: #"{"inlineContent": "x"}"#)
            #expect(json.status == .badRequest)
            #expect(try await upload(client, uri(file), as: "alice", parts: [("file", "a", nil, bytes)]).status == .forbidden)
            #expect(try await upload(client, uri("no-such-doc"), parts: [("file", "a", nil, bytes)]).status == .notFound)

            let unterminated = try await client.client.execute(
                uri: uri(file),
                method: .post,
                headers: [
                    .authorization: "Basic " + Data("chris:\(ManagementFixture.password("chris"))".utf8).base64EncodedString(),
                    .contentType: "multipart/form-data; boundary=b",
                ],
                body: ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhalf a part")
            )
            #expect(unterminated.status == .badRequest)
        }
    }
}
