import Foundation
import Synchronization

/// A folder under the temp directory, removed when its last holder lets go (a test's service
/// and any restart of it share one), so the tests leave nothing behind in /tmp. Folders still
/// held when the process exits (a service whose fire-and-forget stop had not run yet) are
/// removed then.
final class TemporaryFolder: Sendable {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("bulkhead-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        Self.live.withLock { state in
            if !state.exitHookInstalled {
                state.exitHookInstalled = true
                atexit { TemporaryFolder.removeLiveFolders() }
            }
            state.paths.insert(path)
        }
    }

    deinit {
        Self.live.withLock { _ = $0.paths.remove(path) }
        try? FileManager.default.removeItem(atPath: path)
    }

    private struct Live {
        var paths: Set<String> = []
        var exitHookInstalled = false
    }

    private static let live = Mutex(Live())

    private static func removeLiveFolders() {
        let paths = live.withLock { state in
            defer { state.paths.removeAll() }
            return state.paths
        }
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
