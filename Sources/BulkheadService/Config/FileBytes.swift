#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small config files without Foundation.
enum FileBytes {
    static let maxBytes = 16 << 20

    /// The file's bytes, or nil when it does not exist.
    static func contents(_ path: String) throws(ConfigurationError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw ConfigurationError("\(path): cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigurationError("\(path): read failed (errno \(errno))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxBytes else { throw ConfigurationError("\(path): larger than \(maxBytes) bytes") }
        }
    }
}
