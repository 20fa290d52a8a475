import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// The documents artifact files name by http(s) URL (`<localEntry src=>`, `<wsdl uri=>`), fetched when the file
/// deploys, as Synapse fetches them when it deploys the artifact; never on the request path.
///
/// Each file's documents are kept for its current version: a new version of the file (an edit) fetches them again,
/// a deleted file drops them, and a failed fetch is the file's deployment error until the file is deployed again.
/// A lookup of a document not fetched yet answers `.pending` and records it; the deployer then runs
/// ``fetchWanted()`` off the deployment pass and deploys the files that asked once the fetches end.
final class NetworkSourceStore: NetworkSources {
    private struct Key: Hashable {
        let file: String
        let url: String
    }

    private enum Entry {
        // Asked for by a deployment pass; the next `fetchWanted` takes it.
        case wanted
        // Taken by a running `fetchWanted`.
        case fetching
        // Fetched (or failed) for the file's current version.
        case done(NetworkDocument)
    }

    private let limits: NetworkFetchLimits
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])

    init(limits: NetworkFetchLimits) {
        self.limits = limits
    }

    func document(at url: String, for file: String) -> NetworkDocument {
        if limits.offline { return .offline }
        return entries.withLockedValue { entries in
            let key = Key(file: file, url: url)
            switch entries[key] {
            case .done(let document):
                return document
            case .wanted, .fetching:
                return .pending
            case nil:
                entries[key] = .wanted
                return .pending
            }
        }
    }

    /// Drops what was fetched for `file`: its next version fetches its documents again.
    func forget(file: String) {
        entries.withLockedValue { entries in
            for key in entries.keys where key.file == file { entries.removeValue(forKey: key) }
        }
    }

    /// True when a pass asked for documents nobody fetches yet.
    var hasWanted: Bool {
        entries.withLockedValue { entries in entries.values.contains { if case .wanted = $0 { true } else { false } } }
    }

    /// Fetches every wanted document (each URL once, a few at a time).
    /// - Returns: The files that asked for them.
    func fetchWanted() async -> Set<String> {
        let taken: [Key] = entries.withLockedValue { entries in
            let keys = entries.compactMap { key, entry in if case .wanted = entry { key } else { nil } }
            for key in keys { entries[key] = .fetching }
            return keys
        }
        let urls = Array(Set(taken.map(\.url))).sorted()
        var fetched: [String: NetworkDocument] = [:]
        await withTaskGroup(of: (String, NetworkDocument).self) { group in
            var next = 0
            // A handful at a time: a folder naming a hundred URLs does not open a hundred connections at once.
            while next < min(urls.count, 4) {
                let url = urls[next]
                group.addTask { (url, await Self.fetch(url, limits: self.limits)) }
                next += 1
            }
            while let (url, document) = await group.next() {
                fetched[url] = document
                if next < urls.count {
                    let url = urls[next]
                    group.addTask { (url, await Self.fetch(url, limits: self.limits)) }
                    next += 1
                }
            }
        }
        entries.withLockedValue { entries in
            // A key forgotten meanwhile (its file changed again) stays forgotten; the new version asks again.
            for key in taken {
                guard case .fetching = entries[key], let document = fetched[key.url] else { continue }
                entries[key] = .done(document)
            }
        }
        return Set(taken.map(\.file))
    }

    // MARK: - Fetching

    /// One GET, bounded in time (redirects included) and size; any answer but 2xx with a body is a failure.
    static func fetch(_ url: String, limits: NetworkFetchLimits) async -> NetworkDocument {
        guard NetworkDocument.isNetworkURL(url) else { return .failed("only http: and https: URLs are fetched") }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/xml, text/xml, application/wsdl+xml, */*")
        do {
            let response = try await networkSourceClient.execute(request, timeout: limits.timeout)
            guard (200..<300).contains(response.status.code) else {
                return .failed("the server answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBytes {
                return .failed(Self.tooLarge(limits))
            }
            let body = try await response.body.collect(upTo: limits.maxBytes)
            return .fetched(Array(body.readableBytesView))
        } catch is NIOTooManyBytesError {
            return .failed(Self.tooLarge(limits))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failed("no complete answer within \(Self.seconds(limits.timeout)) s")
        } catch let error as HTTPClientError where error == .connectTimeout {
            return .failed("could not connect within the connect timeout")
        } catch {
            return .failed(String(describing: error))
        }
    }

    private static func tooLarge(_ limits: NetworkFetchLimits) -> String {
        "the document is over the limit of \(limits.maxBytes) bytes"
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)
    }
}

/// The client of deploy-time fetches: follows up to 5 redirects between http and https (never to another scheme,
/// never in a cycle), decompresses nothing. It lives as long as the process, as AsyncHTTPClient's shared client
/// does, so it is never shut down.
private let networkSourceClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
    configuration.decompression = .disabled
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
