import AsyncHTTPClient
import Crypto
import Foundation
import NIOSSL
import SluiceTLS
import Synchronization

/// The HTTP client a node uses towards its key manager: `HTTPClient.shared` (the system's roots) when there is no
/// trust store, otherwise one client trusting the trust store too, so a split gateway reaches a key manager whose
/// certificate is self-signed once that certificate is in `client-truststore.pem`.
///
/// Clients live for the process, one per distinct trust store content: nodes started and stopped again (tests,
/// restarts in process) share them rather than leaving clients to be shut down.
enum TrustedHTTPClients {
    private static let clients = Mutex<[Data: HTTPClient]>([:])

    /// The client for a repository's trust store.
    /// - Throws: ``KeyStoreError`` for a trust store that cannot be read.
    static func client(repositoryPath: String) throws(KeyStoreError) -> HTTPClient {
        let path = URL(fileURLWithPath: repositoryPath).appendingPathComponent(BackendTrust.trustStoreFile).path
        guard let contents = FileManager.default.contents(atPath: path) else { return .shared }
        let tls = try BackendTrust.clientConfiguration(repositoryPath: repositoryPath)
        let digest = Data(SHA256.hash(data: contents))
        return clients.withLock { clients in
            if let client = clients[digest] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.tlsConfiguration = tls
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[digest] = client
            return client
        }
    }
}
