import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Starts the process without handing it this process's open descriptors, as far as a sweep can.
    ///
    /// NIO opens and accepts sockets without close-on-exec (`accept4` with only `SOCK_NONBLOCK`), and Foundation's
    /// `Process` does not close what a child inherits: a `sluice server` started by one test kept copies of other
    /// tests' gateway connections, so the gateway's close sent no FIN until that child exited (a live idle-timeout
    /// test then saw its connection open for 30 s, in two whole-suite runs of four). Every descriptor above
    /// standard error is marked close-on-exec first; `Process` gives the child its standard streams by `dup2`,
    /// which clears the flag on those. A socket another test opens between the sweep and the spawn still leaks,
    /// to that child only.
    public func runWithoutInheritedDescriptors() throws {
        Self.markDescriptorsCloseOnExec()
        try run()
    }

    static func markDescriptorsCloseOnExec() {
        #if os(Linux)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
        #endif
    }
}
