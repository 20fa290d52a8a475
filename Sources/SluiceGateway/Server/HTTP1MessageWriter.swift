import NIOCore
import NIOHTTP1

/// The HTTP/1.1 encoding both gateway encoders share (`GatewayResponseEncoder` toward clients,
/// `UpstreamRequestEncoder` toward backends): a head written into one buffer kept per connection, and a body framed
/// as its head announced (chunked, or passed through as it is).
///
/// NIO's encoders allocate a buffer for every head (its storage object and its bytes) and grow it once for a
/// request head with a dozen headers. The buffer here is recycled: once the socket has written the previous head,
/// nothing else holds it and `clear()` reuses it as it is; only while a head is still queued does `clear()` make a
/// new one. The heads arrive framed (`MessageFraming`), so nothing here changes a header.
struct HTTP1MessageWriter {
    /// The head buffer is dropped, not kept, when a head grew it past this (a rare huge head stays rare).
    static let retainedHeadCapacity = 16 * 1024
    private static let lastChunk = ByteBuffer(string: "0\r\n\r\n")
    private static let chunkEnd = ByteBuffer(string: "\r\n")
    private static let empty = ByteBuffer()

    private var headBuffer = ByteBuffer()
    /// The message being written announced `Transfer-Encoding: chunked`, so its body parts are framed as chunks.
    private(set) var isChunked = false

    /// Writes a request head; the body that follows is chunked when the head says so.
    mutating func writeHead(_ head: HTTPRequestHead, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        recycleHeadBuffer()
        headBuffer.writeString(head.method.rawValue)
        headBuffer.writeInteger(UInt8(ascii: " "))
        headBuffer.writeString(head.uri)
        headBuffer.writeInteger(UInt8(ascii: " "))
        Self.write(head.version, into: &headBuffer)
        headBuffer.writeStaticString("\r\n")
        finishHead(head.headers, version: head.version, bodyless: false, context: context, promise: promise)
    }

    /// Writes a response head; `bodyless` (the answer to a HEAD or CONNECT request) writes no body after it
    /// whatever its headers announce.
    mutating func writeHead(
        _ head: HTTPResponseHead,
        bodyless: Bool,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        recycleHeadBuffer()
        Self.write(head.version, into: &headBuffer)
        headBuffer.writeInteger(UInt8(ascii: " "))
        Self.writeDecimal(head.status.code, into: &headBuffer)
        headBuffer.writeInteger(UInt8(ascii: " "))
        headBuffer.writeString(head.status.reasonPhrase)
        headBuffer.writeStaticString("\r\n")
        finishHead(head.headers, version: head.version, bodyless: bodyless, context: context, promise: promise)
    }

    /// Writes a part of the body: as a chunk when the head announced chunking (an empty part is no chunk, since it
    /// would end the body), else as it is.
    mutating func writeBodyPart(_ part: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let length = part.readableBytes
        guard isChunked, length > 0 else {
            context.write(NIOAny(part), promise: promise)
            return
        }
        var sizeLine = context.channel.allocator.buffer(capacity: 18)
        Self.writeHexadecimal(length, into: &sizeLine)
        sizeLine.writeStaticString("\r\n")
        // The three writes complete in order, so the last one's promise stands for all of them.
        context.write(NIOAny(IOData.byteBuffer(sizeLine)), promise: nil)
        context.write(NIOAny(part), promise: nil)
        context.write(NIOAny(IOData.byteBuffer(Self.chunkEnd)), promise: promise)
    }

    /// Ends the message: the last chunk (with any trailers) when chunked; else nothing, or an empty write when a
    /// promise must complete in order after what went before.
    mutating func writeEnd(_ trailers: HTTPHeaders?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        defer { isChunked = false }
        if isChunked {
            guard let trailers, !trailers.isEmpty else {
                context.write(NIOAny(IOData.byteBuffer(Self.lastChunk)), promise: promise)
                return
            }
            var buffer = context.channel.allocator.buffer(capacity: 256)
            buffer.writeStaticString("0\r\n")
            Self.write(trailers, into: &buffer)
            context.write(NIOAny(IOData.byteBuffer(buffer)), promise: promise)
        } else if let promise {
            context.write(NIOAny(IOData.byteBuffer(Self.empty)), promise: promise)
        }
    }

    // MARK: - Private

    private mutating func recycleHeadBuffer() {
        if headBuffer.capacity > Self.retainedHeadCapacity { headBuffer = ByteBuffer() }
        headBuffer.clear()
    }

    private mutating func finishHead(
        _ headers: HTTPHeaders,
        version: HTTPVersion,
        bodyless: Bool,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        Self.write(headers, into: &headBuffer)
        isChunked =
            !bodyless && version.major == 1 && version.minor >= 1
            && headers.first(name: "transfer-encoding") == "chunked"
        context.write(NIOAny(IOData.byteBuffer(headBuffer)), promise: promise)
    }

    private static func write(_ headers: HTTPHeaders, into buffer: inout ByteBuffer) {
        for (name, value) in headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    private static func write(_ version: HTTPVersion, into buffer: inout ByteBuffer) {
        switch (version.major, version.minor) {
        case (1, 1): buffer.writeStaticString("HTTP/1.1")
        case (1, 0): buffer.writeStaticString("HTTP/1.0")
        default:
            buffer.writeStaticString("HTTP/")
            writeDecimal(version.major, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "."))
            writeDecimal(version.minor, into: &buffer)
        }
    }

    /// Digits written straight into the buffer (a `String(code)` per head would be built and copied).
    static func writeDecimal(_ value: some BinaryInteger, into buffer: inout ByteBuffer) {
        writeDigits(UInt64(value), radix: 10, into: &buffer)
    }

    static func writeHexadecimal(_ value: Int, into buffer: inout ByteBuffer) {
        writeDigits(UInt64(value), radix: 16, into: &buffer)
    }

    private static func writeDigits(_ value: UInt64, radix: UInt64, into buffer: inout ByteBuffer) {
        var divisor: UInt64 = 1
        while value / divisor >= radix { divisor *= radix }
        var rest = value
        while divisor > 0 {
            let digit = UInt8(rest / divisor)
            buffer.writeInteger(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            rest %= divisor
            divisor /= radix
        }
    }
}
