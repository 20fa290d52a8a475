import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Plain HTTP calls to a Sluice management server (AsyncHTTPClient; Foundation's URLSession hangs on Linux).
/// Failures to connect become a ``CLIError`` naming the server; HTTP errors are returned for the caller to word.
struct ManagementClient: Sendable {
    /// A request body.
    enum Body: Sendable {
        case json([UInt8])
        case form([(String, String)])
        /// A multipart/form-data form: parts with a name, an optional file name, and content.
        case multipart([(name: String, fileName: String?, content: [UInt8])])
    }

    /// A response.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]

        var isSuccess: Bool { (200..<300).contains(status) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One client for the process, never shut down (like `HTTPClient.shared`), with a short connect timeout:
    /// AsyncHTTPClient retries a refused connection until that timeout instead of failing at once
    /// (swift-server/async-http-client#743), and the shared client's is 90 s.
    private static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(3), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The server's base URL without a trailing slash.
    let server: String
    var timeout: TimeAmount = .seconds(30)

    /// Checks and normalizes a server URL given on the command line.
    /// - Throws: ``CLIError`` for anything but an absolute http(s) URL.
    init(server text: String) throws {
        var server = text.trimmingCharacters(in: .whitespaces)
        while server.hasSuffix("/") { server.removeLast() }
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw CLIError("'\(text)' is not a server URL; use e.g. http://localhost:9763")
        }
        self.server = server
    }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        authorization: String? = nil,
        body: Body? = nil
    ) async throws -> Reply {
        var url = server + path
        if !query.isEmpty { url += "?" + Self.formEncoded(query) }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sluice/\(SluiceVersion.current)")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        switch body {
        case .json(let bytes):
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        case .form(let fields):
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncoded(fields)))
        case .multipart(let parts):
            let boundary = "sluice-" + UUID().uuidString
            request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
            var buffer = ByteBuffer()
            for part in parts {
                buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"")
                if let fileName = part.fileName { buffer.writeString("; filename=\"\(fileName)\"") }
                buffer.writeString("\r\n\r\n")
                buffer.writeBytes(part.content)
                buffer.writeString("\r\n")
            }
            buffer.writeString("--\(boundary)--\r\n")
            request.body = .bytes(buffer)
        case nil:
            break
        }
        do {
            let response = try await Self.http.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 32 << 20)
            return Reply(status: Int(response.status.code), body: Array(buffer: bytes))
        } catch {
            throw CLIError("cannot reach the Sluice server at \(server): \(Self.reason(error))")
        }
    }

    /// HTTP Basic credentials, each part form-encoded first as RFC 6749 §2.3.1 wants for OAuth clients.
    static func basic(_ username: String, _ password: String, formEncoded: Bool = false) -> String {
        let user = formEncoded ? percentEncoded(username) : username
        let pass = formEncoded ? percentEncoded(password) : password
        return "Basic " + Data("\(user):\(pass)".utf8).base64EncodedString()
    }

    static func formEncoded(_ fields: [(String, String)]) -> String {
        fields.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        // alphanumerics includes non-ASCII letters; restrict to ASCII so every other byte is escaped.
        return text.unicodeScalars.map { scalar in
            if scalar.isASCII && allowed.contains(scalar) { return String(scalar) }
            return String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
    }

    /// A short reason for a transport failure (connection refused, timeout...).
    private static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        for (needle, reason) in [
            ("refused", "connection refused (is `sluice server` running there?)"),
            ("connectTimeout", "the connection timed out"),
            ("deadlineExceeded", "the server did not answer in time"),
            ("readTimeout", "the server did not answer in time"),
            ("NXDOMAIN", "unknown host"), ("unknownHost", "unknown host"),
        ] where text.contains(needle) {
            return reason
        }
        return text
    }
}
