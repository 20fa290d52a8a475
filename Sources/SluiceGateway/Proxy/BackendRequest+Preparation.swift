import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

extension BackendRequest {
    /// Why no request could be made for a leaf.
    enum PreparationFailure: Error {
        /// The message could not be written as the leaf asks (a body that does not convert).
        case fault(MediationFault)
        /// The leaf's URL cannot be used (invalid, or a scheme the gateway does not speak).
        case unusable(UpstreamError)
    }

    /// Writes the message as the leaf asks (axis2 `messageType`, the endpoint's `format` and WS-Addressing) and builds the request
    /// for it; the body must not be streaming when the format converts it.
    /// - Parameters:
    ///   - leaf: The endpoint leaf chosen.
    ///   - context: The message; its body and headers become what is sent.
    ///   - clientRequest: The client's request head (version, headers the backend request keeps).
    ///   - clientAddress: The client's address for `X-Forwarded-For`.
    ///   - defaultTimeout: The timeout when the leaf sets none.
    static func prepare(
        for leaf: EndpointLeaf,
        context: inout MessageContext,
        clientRequest: HTTPRequestHead,
        clientAddress: String?,
        defaultTimeout: TimeAmount
    ) -> Result<BackendRequest, PreparationFailure> {
        let formatting: MessageContext.EndpointFormatting
        do throws(MediationFault) {
            // An endpoint format decides the outgoing message; without one, axis2 `messageType` does.
            if leaf.format == nil || leaf.format == .rest { try context.applyMessageType() }
            formatting = try context.applyEndpointFormat(leaf.format)
            if let credentials = leaf.credentials { try context.applyEndpointCredentials(credentials) }
        } catch {
            return .failure(.fault(error))
        }
        let url: UpstreamURL
        if formatting.queryParameters.isEmpty, leaf.addressing == nil, let parsed = leaf.parsedURL(for: context) {
            // Parsed when the endpoint deployed: nothing to build or parse per request.
            url = parsed
        } else {
            switch textURL(for: leaf, formatting: formatting, context: &context) {
            case .success(let parsed): url = parsed
            case .failure(let failure): return .failure(failure)
            }
        }
        let head = UpstreamRequestBuilder.head(
            for: context,
            request: clientRequest,
            method: formatting.method ?? leaf.method(for: context),
            url: url,
            clientAddress: clientAddress
        )
        let body: BackendRequest.Body =
            switch context.body {
            case .buffered(let body) where head.method != .GET && head.method != .HEAD: .whole(body)
            case .streaming: .streamed
            case .buffered, .empty: .none
            }
        return .success(
            BackendRequest(
                leaf: leaf,
                key: UpstreamKey(host: url.host, port: url.port, isTLS: url.scheme == "https"),
                head: head,
                timeout: leaf.timeout(for: &context, default: defaultTimeout),
                body: body
            )
        )
    }

    /// The leaf's URL built as text for this message (query parameters of `format="get"` appended, WS-Addressing
    /// applied with it) and parsed.
    private static func textURL(
        for leaf: EndpointLeaf,
        formatting: MessageContext.EndpointFormatting,
        context: inout MessageContext
    ) -> Result<UpstreamURL, PreparationFailure> {
        let urlText = ProxyExchange.appending(formatting.queryParameters, to: leaf.url(for: context))
        if let addressing = leaf.addressing {
            do throws(MediationFault) {
                try context.applyEndpointAddressing(addressing, url: urlText)
            } catch {
                return .failure(.fault(error))
            }
        }
        guard let url = UpstreamURL(urlText) else {
            let reason =
                if urlText.isEmpty, case .messageTo = leaf.target {
                    "the default endpoint found no WS-Addressing To address (an HTTP URL) on the message"
                } else {
                    "invalid URL \(urlText)"
                }
            return .failure(.unusable(.connectionFailed(reason)))
        }
        return .success(url)
    }
}
