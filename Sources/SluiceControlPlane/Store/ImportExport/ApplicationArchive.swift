import Foundation

/// An application as WSO2's devportal exports it (`GET /applications/export`, `apictl export app`): a zip archive
/// `owner_Name.zip` holding `owner-Name/application.yaml` (or `.json`), apictl's envelope (`type: application`)
/// around `applicationInfo` (the devportal's application, with `keys` when exported with keys) and `subscribedAPIs`
/// (each API by provider, name and version, with the subscription's tier).
///
/// Keys travel without their secret: Sluice keeps only a secret's SHA-256, which it exports as `consumerSecretHash`
/// so another Sluice can take the same client credentials. WSO2's archives carry `consumerSecret` base64-encoded;
/// an import hashes it at once and never stores it.
package struct ApplicationArchive: Sendable {
    /// The envelope's `data`: WSO2's `ExportedApplication`.
    package struct Contents: Codable, Sendable {
        package var applicationInfo: ApplicationInfo
        package var subscribedAPIs: [SubscribedAPI]?
    }

    /// The application (WSO2's devportal `ApplicationDTO`, the fields an import uses).
    package struct ApplicationInfo: Codable, Sendable {
        package var applicationId: String?
        package var name: String
        package var throttlingPolicy: String
        package var description: String?
        package var tokenType: String?
        package var status: String?
        package var owner: String?
        package var subscriptionCount: Int?
        package var keys: [Key]?
    }

    /// One of the application's keys.
    package struct Key: Codable, Sendable {
        package var keyType: String
        package var consumerKey: String
        /// WSO2's: the secret base64-encoded. Read on import, never written.
        package var consumerSecret: String?
        /// Sluice's: the secret's SHA-256, base64-encoded.
        package var consumerSecretHash: String?
        package var supportedGrantTypes: [String]?
        package var callbackUrl: String?
        package var keyManager: String?
    }

    /// A subscription: WSO2's `ExportedSubscribedAPI`.
    package struct SubscribedAPI: Codable, Sendable {
        package var apiId: APIIdentifier
        package var throttlingPolicy: String
        package var subscriber: Subscriber?
    }

    /// WSO2's `APIIdentifier` as it serialises.
    package struct APIIdentifier: Codable, Sendable, Hashable {
        package var providerName: String?
        package var apiName: String
        package var version: String
    }

    /// WSO2's `Subscriber` (its name).
    package struct Subscriber: Codable, Sendable {
        package var name: String?
    }

    package var contents: Contents

    /// Creates an archive's contents.
    package init(contents: Contents) {
        self.contents = contents
    }

    /// The archive name WSO2 gives an exported application, `owner_Name.zip`.
    package var fileName: String {
        "\(contents.applicationInfo.owner ?? "")_\(contents.applicationInfo.name).zip"
    }

    /// The zip archive with `owner-Name/application.yaml` (or `.json`).
    /// - Throws: ``APIProjectError`` when it cannot be written.
    package func zip(format: APIProject.Format) throws(APIProjectError) -> Data {
        let bytes = try APIProject.encode(
            APIProject.Envelope(type: "application", version: APIProject.envelopeVersion, data: contents),
            format
        )
        let folder = APIProject.safeFileName("\(contents.applicationInfo.owner ?? "")-\(contents.applicationInfo.name)")
        return try APIProjectArchive.zip(["application.\(format.fileExtension)": bytes], rootFolder: folder)
    }

    /// Reads an archive (or a bare `application.yaml`/`.json`, or the same without apictl's envelope).
    /// - Throws: ``APIProjectError`` naming the file and what is wrong.
    package init(archive: Data) throws(APIProjectError) {
        let files: [String: Data]
        if APIProjectArchive.isZip(archive) {
            files = APIProject.withoutTopFolder(try APIProjectArchive.files(inZip: archive))
        } else {
            files = ["application.yaml": archive]
        }
        guard let path = ["application.yaml", "application.yml", "application.json"].first(where: { files[$0] != nil })
        else { throw APIProjectError(path: "", message: "no application.yaml or application.json: not an application") }
        let json = try APIProject.payload(of: files[path]!, path: path, type: "application")
        do {
            contents = try JSONDecoder().decode(Contents.self, from: Data(json))
        } catch let error as DecodingError {
            throw APIProjectError(path: path, message: PublisherAPIService.describe(error))
        } catch {
            throw APIProjectError(path: path, message: "\(error)")
        }
    }
}
