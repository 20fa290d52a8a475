#if canImport(Glibc)
import Glibc

/// Linux inotify over a few folders: cheap to ask "did anything change since last time?".
///
/// Events are only a trigger here; the watcher rescans the folders to learn what changed, which also covers
/// events lost to a queue overflow.
final class InotifyMonitor {
    private let descriptor: Int32

    /// Watches `directories` (those that exist) for file creation, change, removal and renames.
    /// - Returns: nil when inotify is unavailable (then the caller polls).
    init?(directories: [String]) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB)
        var watched = 0
        for directory in directories where inotify_add_watch(descriptor, directory, mask) >= 0 {
            watched += 1
        }
        guard watched > 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Drains pending events; true when there was at least one (or the queue overflowed).
    func consumeEvents() -> Bool {
        var sawEvent = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                sawEvent = true
                continue
            }
            return sawEvent
        }
    }
}
#else
/// inotify is Linux only; elsewhere the watcher polls.
final class InotifyMonitor {
    init?(directories: [String]) { return nil }
    func consumeEvents() -> Bool { false }
}
#endif
