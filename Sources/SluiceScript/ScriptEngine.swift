internal import CDuktape
#if canImport(Glibc)
import Glibc
#endif

/// Runs compiled scripts on the calling thread, in that thread's engine heap (created on first use, replaced after
/// a call that ran out of time or memory, and after it has loaded `maximumScriptsPerHeap` scripts, so heaps do not
/// grow with redeployments).
///
/// Calls block their thread for as long as the script runs (at most `ScriptLimits.timeLimit`): the gateway runs
/// them on a thread pool of their own, never on an event loop.
public enum ScriptEngine {
    /// What the script asked for when it finished.
    public enum Completion: Sendable, Equatable {
        case proceed
        /// The script's result was `false`: Synapse stops mediating the message.
        case returnedFalse
    }

    /// Scripts one heap loads before it is replaced.
    static let maximumScriptsPerHeap = 64

    /// Runs `script` with `host` behind `mc` and `print`.
    /// - Throws: `ScriptError` when the script throws, runs too long or allocates too much.
    public static func run(
        _ script: CompiledScript,
        host: any ScriptHost,
        limits: ScriptLimits
    ) throws(ScriptError) -> Completion {
        let heap = try ScriptHeap.current(for: limits, loading: script.id)
        return try heap.run(script, host: host, limits: limits)
    }
}

/// One thread's duktape heap.
final class ScriptHeap {
    private let handle: OpaquePointer
    let memoryLimit: Int
    private var loaded: Set<UInt64> = []
    /// Read by the engine's timeout check while a call runs.
    private var clock = ScriptClock.monotonic
    /// Set when a call failed in a way that leaves the heap suspect.
    private(set) var isSpent = false

    private init?(memoryLimit: Int) {
        self.memoryLimit = memoryLimit
        var created: OpaquePointer?
        // The clock context is this object, set right after creation (the heap makes no timeout checks before).
        created = sluice_js_new(memoryLimit, hostCall, readClock, nil)
        guard let created else { return nil }
        handle = created
    }

    deinit {
        sluice_js_free(handle)
    }

    // MARK: - The thread's heap

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ScriptHeap>.fromOpaque(pointer).release()
        }
        return key
    }()

    /// This thread's heap, new when there is none, the old one is spent, its memory limit differs, or it has loaded
    /// too many scripts.
    static func current(for limits: ScriptLimits, loading id: UInt64) throws(ScriptError) -> ScriptHeap {
        if let pointer = pthread_getspecific(key) {
            let heap = Unmanaged<ScriptHeap>.fromOpaque(pointer).takeUnretainedValue()
            let full = !heap.loaded.contains(id) && heap.loaded.count >= ScriptEngine.maximumScriptsPerHeap
            if !heap.isSpent && heap.memoryLimit == limits.memoryLimit && !full { return heap }
            pthread_setspecific(key, nil)
            Unmanaged<ScriptHeap>.fromOpaque(pointer).release()
        }
        guard let heap = ScriptHeap(memoryLimit: limits.memoryLimit) else {
            throw ScriptError(.outOfMemory, "cannot create a JavaScript heap within \(limits.memoryLimit) bytes")
        }
        pthread_setspecific(key, Unmanaged.passRetained(heap).toOpaque())
        return heap
    }

    // MARK: - Calls

    func run(_ script: CompiledScript, host: any ScriptHost, limits: ScriptLimits) throws(ScriptError) -> ScriptEngine.Completion {
        clock = limits.clock
        let box = HostBox(host: host, heap: self)
        let retained = Unmanaged.passRetained(box)
        defer { retained.release() }
        let nanoseconds = limits.timeLimit.components.seconds * 1_000_000_000
            + limits.timeLimit.components.attoseconds / 1_000_000_000
        let deadline = limits.clock.nanoseconds() &+ UInt64(max(1, nanoseconds))
        var returnedFalse: Int32 = 0
        var error: UnsafeMutablePointer<CChar>?
        loaded.insert(script.id)
        let status = script.bytecode.withUnsafeBytes { bytes in
            withClockContext {
                sluice_js_run(
                    handle, script.id, bytes.baseAddress, bytes.count, script.functionName, deadline,
                    retained.toOpaque(), &returnedFalse, &error
                )
            }
        }
        defer { free(error) }
        let message = error.map { String(cString: $0) } ?? "the script failed"
        switch Int(status) {
        case SLUICE_JS_OK:
            return returnedFalse != 0 ? .returnedFalse : .proceed
        case SLUICE_JS_TIMEOUT:
            isSpent = true
            throw ScriptError(.timeout, "the script ran longer than \(limits.timeLimit) and was stopped")
        case SLUICE_JS_OUT_OF_MEMORY:
            isSpent = true
            throw ScriptError(.outOfMemory, "the script needed more than \(limits.memoryLimit) bytes and was stopped (\(message))")
        default:
            return try rethrow(message)
        }
    }

    private func rethrow(_ message: String) throws(ScriptError) -> ScriptEngine.Completion {
        throw ScriptError(.runtime, message)
    }

    /// Points the engine's clock callback at this heap for the duration of `body`.
    private func withClockContext<Result>(_ body: () -> Result) -> Result {
        sluice_js_set_clock_context(handle, Unmanaged.passUnretained(self).toOpaque())
        defer { sluice_js_set_clock_context(handle, nil) }
        return body()
    }

    fileprivate func now() -> UInt64 { clock.nanoseconds() }
}

/// The host of one call, with the heap whose clock the engine reads.
private final class HostBox {
    let host: any ScriptHost
    let heap: ScriptHeap

    init(host: any ScriptHost, heap: ScriptHeap) {
        self.host = host
        self.heap = heap
    }
}

private func readClock(_ context: UnsafeMutableRawPointer?) -> UInt64 {
    guard let context else { return 0 }
    return Unmanaged<ScriptHeap>.fromOpaque(context).takeUnretainedValue().now()
}

/// The engine's host function: decodes the arguments, asks the host, encodes the answer ("v" + JSON or "e" +
/// message) in a malloc'd buffer the engine frees.
private func hostCall(
    _ host: UnsafeMutableRawPointer?,
    _ argc: Int32,
    _ argv: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
    _ lengths: UnsafePointer<Int>?,
    _ resultLength: UnsafeMutablePointer<Int>?
) -> UnsafeMutablePointer<CChar>? {
    guard let host, let argv, let lengths, argc > 0 else { return nil }
    let box = Unmanaged<HostBox>.fromOpaque(host).takeUnretainedValue()
    var arguments: [String?] = []
    for index in 0..<Int(argc) {
        arguments.append(
            argv[index].map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: lengths[index]), as: UTF8.self)
            }
        )
    }
    let operation = arguments.removeFirst() ?? ""
    let encoded: String
    switch box.host.perform(operation, arguments) {
    case .value(let json): encoded = "v" + (json ?? "")
    case .error(let message): encoded = "e" + message
    }
    var utf8 = Array(encoded.utf8)
    guard let buffer = malloc(max(1, utf8.count))?.assumingMemoryBound(to: CChar.self) else { return nil }
    utf8.withUnsafeMutableBytes { bytes in
        if let base = bytes.baseAddress { memcpy(buffer, base, bytes.count) }
    }
    resultLength?.pointee = utf8.count
    return buffer
}
