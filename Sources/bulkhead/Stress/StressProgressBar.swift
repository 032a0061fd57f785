#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (so piped or
/// redirected output stays clean), redrawn only when the shown percentage changes.
struct StressProgressBar {
    let enabled = isatty(2) == 1
    var label: String
    var shown = -1

    mutating func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        guard percent != shown else { return }
        shown = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        write("\r\(label) [\(bar)] \(percent)% (\(done)/\(total) steps)")
        if done >= total { write("\n") }
    }

    func write(_ text: String) { writeStandardError(text) }
}

/// Writes text to stderr (fd 2) unbuffered.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { systemWrite(2, $0.baseAddress, $0.count) }
}

/// Resident memory of this process from /proc (Linux; 0 elsewhere), to report what a run
/// costs next to the state it copies.
enum ProcessMemory {
    /// `VmRSS` (current) or `VmHWM` (peak since the last reset) in bytes.
    static func read(_ field: String) -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix(field + ":") else { continue }
            let digits = text.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }

    /// Gives freed heap back to the system, then restarts the peak (`VmHWM`) at the current RSS.
    static func resetPeak() {
        #if canImport(Glibc)
        _ = mallocTrim(0)
        #endif
        if let file = fopen("/proc/self/clear_refs", "w") {
            fputs("5", file)
            fclose(file)
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

#if canImport(Glibc)
/// glibc's `malloc_trim` (not in the Swift Glibc module): returns freed heap to the system.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif
