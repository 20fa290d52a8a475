import Foundation
import SluiceNode

/// `sluice server --ports-file`: the bound ports as JSON, written atomically (a reader polling for the file never
/// sees half of it), and removed at the start so a file from an earlier run is not taken for this one's.
enum NodePortsFile {
    /// Writes the ports.
    /// - Throws: ``CLIError`` naming the file when it cannot be written.
    static func write(_ ports: NodePorts, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try encoder.encode(ports).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write the ports file \(path): \(error.localizedDescription)")
        }
    }

    /// Removes a file left by an earlier run; a missing file is fine.
    /// - Throws: ``CLIError`` when the file exists and cannot be removed.
    static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw CLIError("cannot replace the ports file \(path): \(error.localizedDescription)")
        }
    }
}
