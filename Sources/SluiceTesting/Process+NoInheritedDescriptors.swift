import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Serialises every sweep-and-spawn of ``Process/runWithoutInheritedDescriptors()`` (see there).
private let spawnLock = NSLock()

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
    ///
    /// Sweep and spawn hold one lock. Foundation learns that a child ended from a socket pair it makes inside
    /// `run()`: the child inherits one end, and when that end reaches EOF, Foundation's single monitor thread calls
    /// a blocking `waitpid` on the child. A sweep by another thread between that socket pair and the spawn marked
    /// the child's end close-on-exec, so the end closed at once while the child ran on: the monitor thread then
    /// blocked in `waitpid` on a live `sluice-backend`, no other child's exit was seen again, `waitUntilExit`
    /// never returned and the whole suite hung (seen in stacks at stop 32).
    public func runWithoutInheritedDescriptors() throws {
        try spawnLock.withLock {
            Self.markDescriptorsCloseOnExec()
            try run()
        }
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
