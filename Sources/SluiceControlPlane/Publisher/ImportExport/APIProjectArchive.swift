import Foundation
import ZIPFoundation

/// A project's files as a zip archive (what `GET /apis/export` answers and `POST /apis/import` takes) or as a
/// folder (what `sluice api export --format folder` writes and `sluice init` starts).
///
/// Reading is bounded: at most ``maximumEntries`` files and ``maximumExpandedBytes`` in all, and no path that
/// leaves the project (absolute, `..`), so an upload cannot exhaust memory or write outside its folder.
package enum APIProjectArchive {
    /// The most files a project archive may hold.
    package static let maximumEntries = 2_000
    /// The most bytes a project archive may expand to.
    package static let maximumExpandedBytes: Int64 = 64 << 20

    /// The files packed into a zip archive under `rootFolder/` (apictl's `Name-version/`), deflated.
    package static func zip(_ files: [String: Data], rootFolder: String) throws(APIProjectError) -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            for path in files.keys.sorted() {
                let contents = files[path]!
                try archive.addEntry(
                    with: rootFolder + "/" + path,
                    type: .file,
                    uncompressedSize: Int64(contents.count),
                    compressionMethod: .deflate,
                    provider: { position, size in
                        contents.subdata(in: Int(position)..<Int(position) + size)
                    }
                )
            }
            guard let data = archive.data else { throw APIProjectError(path: "", message: "the archive is empty") }
            return data
        } catch let error as APIProjectError {
            throw error
        } catch {
            throw APIProjectError(path: "", message: "cannot write the archive: \(error)")
        }
    }

    /// The files of a zip archive, by path (folders left out).
    /// - Throws: ``APIProjectError`` for something that is not a zip archive, a path leaving the project, or an
    ///   archive over the bounds.
    package static func files(inZip data: Data) throws(APIProjectError) -> [String: Data] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw APIProjectError(path: "", message: "not a zip archive")
        }
        var files: [String: Data] = [:]
        var expanded: Int64 = 0
        var count = 0
        for entry in archive where entry.type == .file {
            count += 1
            guard count <= maximumEntries else {
                throw APIProjectError(path: "", message: "more than \(maximumEntries) files")
            }
            let path = try checkedPath(entry.path)
            expanded += Int64(entry.uncompressedSize)
            guard expanded <= maximumExpandedBytes else {
                throw APIProjectError(path: path, message: "the archive expands to more than \(maximumExpandedBytes >> 20) MiB")
            }
            var contents = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // The declared size may lie: count what really comes out.
                    guard contents.count + chunk.count <= Int(maximumExpandedBytes) else {
                        throw APIProjectError(path: path, message: "expands beyond its declared size")
                    }
                    contents.append(chunk)
                }
            } catch let error as APIProjectError {
                throw error
            } catch {
                throw APIProjectError(path: path, message: "cannot be extracted: \(error)")
            }
            files[path] = contents
        }
        return files
    }

    /// Whether `data` starts as a zip archive does (`PK\u{3}\u{4}`).
    package static func isZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The files below `folder`, by path relative to it (hidden files left out).
    package static func files(inFolder folder: String) throws(APIProjectError) -> [String: Data] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw APIProjectError(path: folder, message: "not a folder")
        }
        var files: [String: Data] = [:]
        let names = (manager.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        for name in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            var isEntryFolder: ObjCBool = false
            let path = folder + "/" + name
            guard manager.fileExists(atPath: path, isDirectory: &isEntryFolder), !isEntryFolder.boolValue else { continue }
            guard let contents = manager.contents(atPath: path) else {
                throw APIProjectError(path: path, message: "cannot be read")
            }
            files[name] = contents
        }
        return files
    }

    /// Writes `files` into `folder`, creating it; refuses a folder that exists and is not empty unless `replacing`.
    package static func write(_ files: [String: Data], toFolder folder: String, replacing: Bool) throws(APIProjectError) {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            guard replacing else { throw APIProjectError(path: folder, message: "exists and is not empty") }
            do { try manager.removeItem(atPath: folder) } catch {
                throw APIProjectError(path: folder, message: "cannot be replaced: \(error.localizedDescription)")
            }
        }
        for (relative, contents) in files {
            let path = folder + "/" + (try checkedPath(relative))
            do {
                try manager.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true
                )
                try contents.write(to: URL(fileURLWithPath: path))
            } catch {
                throw APIProjectError(path: path, message: "cannot be written: \(error.localizedDescription)")
            }
        }
    }

    /// `path` when it stays inside the project: relative, without `..` or empty segments.
    private static func checkedPath(_ path: String) throws(APIProjectError) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !path.contains("\\"), !segments.contains(where: { $0 == ".." || $0.isEmpty }) else {
            throw APIProjectError(path: path, message: "leaves the project folder")
        }
        return path
    }
}
