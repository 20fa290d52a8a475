#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// `sluice-backend [--host 127.0.0.1] [--port 9000]`: the fixed backend of the samples and benchmarks. Its first
/// output line names the bound port (`--port 0` lets the system pick one).
@main
enum SampleBackendMain {
    static func main() async throws {
        var host = "127.0.0.1"
        var port = 9000
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--port":
                guard let value = arguments.next(), let parsed = Int(value) else { return usage() }
                port = parsed
            case "--host":
                guard let value = arguments.next() else { return usage() }
                host = value
            default:
                return usage()
            }
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(PizzaShackChannelHandler(firstOrderID: 1))
                }
            }
            .bind(host: host, port: port)
            .get()
        print("sluice-backend listening on \(host):\(channel.localAddress?.port ?? port)")
        // Files and pipes buffer standard output: whoever started the backend with port 0 needs the line now.
        fflush(nil)
        try await channel.closeFuture.get()
    }

    private static func usage() {
        print("usage: sluice-backend [--host 127.0.0.1] [--port 9000]")
    }
}
