#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port no one listens on right now (the kernel's pick for a socket bound to port 0), for a program that
/// can only be told a fixed port (the walk-through script). Another socket may take it before it is used, the
/// client end of any loopback connection included: a test using it must detect that and go again on other ports.
/// Servers that can bind port 0 should, and report what they got (`gateway.boundPort`,
/// `node.boundManagementPort`, `sluice server --ports-file`, `sluice-backend`'s first output line).
public enum FreePort {
    /// Why no port could be had.
    public struct Failure: Error, CustomStringConvertible {
        public let call: String
        public let errno: Int32
        public var description: String { "\(call) failed with errno \(errno)" }
    }

    /// Binds an ephemeral loopback port, reads its number and closes the socket.
    public static func next() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(call: "socket", errno: errno) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard named else { throw Failure(call: "bind", errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
