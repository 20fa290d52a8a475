internal import CDuktape
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// JavaScript compiled once, at deploy time, to duktape bytecode; every engine heap that runs it loads the bytecode
/// once into a global environment of its own, so scripts never see each other's globals.
public final class CompiledScript: Sendable {
    /// Where the source came from (a local entry's key, or `inline`), used in messages.
    public let name: String
    /// nil: the global code runs for every message (inline scripts); else the global code runs once per heap and
    /// this function is called with `mc` for every message (`<script key= function=>`).
    public let functionName: String?
    let bytecode: [UInt8]
    /// Identifies the script inside heaps that cache it.
    let id: UInt64

    private static let nextID = Atomic<UInt64>(1)

    /// Compiles `source`.
    /// - Throws: `ScriptError` (`.syntax`) with the engine's message and line.
    public init(source: String, name: String, functionName: String? = nil) throws(ScriptError) {
        self.name = name
        self.functionName = functionName
        id = Self.nextID.add(1, ordering: .relaxed).oldValue
        guard let heap = sluice_js_new(64 << 20, { _, _, _, _, _ in nil }, { _ in 0 }, nil) else {
            throw ScriptError(.outOfMemory, "cannot create a JavaScript heap")
        }
        defer { sluice_js_free(heap) }
        var output: UnsafeMutablePointer<CChar>?
        var length = 0
        var source = source
        let status = source.withUTF8 { text in
            text.withMemoryRebound(to: CChar.self) { text in
                sluice_js_compile(heap, text.baseAddress, text.count, name, &output, &length)
            }
        }
        defer { free(output) }
        guard Int(status) == SLUICE_JS_OK, let output else {
            let message = output.map { String(cString: $0) } ?? "the script does not compile"
            throw ScriptError(.syntax, message)
        }
        bytecode = Array(UnsafeRawBufferPointer(start: output, count: length).bindMemory(to: UInt8.self))
    }
}
