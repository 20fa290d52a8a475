#if canImport(Glibc)
import Glibc
#endif
import Foundation

// Two builds of one executable. With `-D SLUICE_LIBFUZZER` (scripts/fuzz, `-sanitize=fuzzer,address`),
// libFuzzer supplies `main` and calls `LLVMFuzzerTestOneInput`; the target comes from `SLUICE_FUZZ_TARGET`.
// Without it (the ordinary build, which CI compiles), `main` replays inputs from files: regression inputs and
// corpora run through the same code without libFuzzer.

/// The target chosen for this libFuzzer process.
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["SLUICE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget.named(name) else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("SLUICE_FUZZ_TARGET must be one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
}

#if !SLUICE_LIBFUZZER
/// `SluiceFuzz TARGET FILE|DIR...`: runs each input file through the target (no libFuzzer, no sanitizers).
@main
struct FuzzReplay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget.named(name) else {
            print("usage: SluiceFuzz TARGET FILE|DIR...")
            for target in FuzzTarget.all { print("  \(target.name): \(target.summary)") }
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                target.run(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                count += 1
            }
        }
        print("\(target.name): \(count) inputs ran")
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { !$0.hasSuffix("/.") }
    }
}
#endif
