import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Journal

/// A throw-away PostgreSQL cluster for the tests: `initdb` into a temporary folder, `pg_ctl`
/// on a free loopback port (and a socket in that folder), started once per test process on
/// first use and stopped at exit. Each test gets its own database.
///
/// As root (CI containers) the server runs as the `postgres` user through `runuser`, since
/// PostgreSQL refuses to run as root; the folder is then owned by that user.
final class PostgresTestCluster: Sendable {
    static let skipReason: Comment = "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql libpq-dev"

    /// initdb and pg_ctl are installed (PATH or the Debian layout).
    static let binaries: String? = {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let debian = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += debian.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { folder in
            FileManager.default.isExecutableFile(atPath: folder + "/initdb")
                && FileManager.default.isExecutableFile(atPath: folder + "/pg_ctl")
        }
    }()

    static var isAvailable: Bool { binaries != nil }

    /// Started on first use; a failure to start fails every test that needs it, loudly.
    static let shared: Result<PostgresTestCluster, TestClusterError> = {
        do {
            let cluster = try PostgresTestCluster()
            atexit { if case .success(let cluster) = PostgresTestCluster.shared { cluster.stop() } }
            return .success(cluster)
        } catch let error as TestClusterError {
            return .failure(error)
        } catch {
            return .failure(TestClusterError(message: "\(error)"))
        }
    }()

    static func start() throws -> PostgresTestCluster { try shared.get() }

    let folder: String
    let port: Int
    private let bin: String
    private let runAsPostgres: Bool

    private init() throws {
        guard let bin = Self.binaries else { throw TestClusterError(message: "\(Self.skipReason)") }
        let runAsPostgres = geteuid() == 0
        let folder = NSTemporaryDirectory() + "bulkhead-pg-\(UUID().uuidString.prefix(8))"
        self.bin = bin
        self.runAsPostgres = runAsPostgres
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if runAsPostgres { try Self.run("/bin/chown", ["-R", "postgres:postgres", folder]) }
        try Self.run(bin, runAsPostgres, "initdb", ["-D", folder + "/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
        port = try Self.startServer { port in
            try Self.run(bin, runAsPostgres, "pg_ctl", [
                "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60",
                "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=300",
                "start",
            ])
        }
    }

    /// Tries a few free ports: another process may grab one between our probe and the bind.
    private static func startServer(_ start: (Int) throws -> Void) throws -> Int {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = freePort()
            do {
                try start(port)
                return port
            } catch {
                lastError = error
            }
        }
        throw TestClusterError(message: "pg_ctl start failed: \(lastError.map { "\($0)" } ?? "?")")
    }

    func url(database: String = "postgres") -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// A fresh, empty database; its URL.
    func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresConnection(url: url())
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
        return url(database: name)
    }

    func stop() {
        try? run("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        try Self.run(bin, runAsPostgres, tool, arguments)
    }

    private static func run(_ bin: String, _ runAsPostgres: Bool, _ tool: String, _ arguments: [String]) throws {
        if runAsPostgres {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + arguments)
        } else {
            try Self.run(bin + "/" + tool, arguments)
        }
    }

    /// posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit can miss
    /// the exit of a child that left a daemon behind (pg_ctl start). Output goes to a file in
    /// the cluster's folder, quoted when the tool fails.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let log = NSTemporaryDirectory() + "bulkhead-pg-tool-\(UUID().uuidString.prefix(8)).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw TestClusterError(message: "cannot start \(executable): \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestClusterError(message: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
    }

    /// A port the kernel just handed out on loopback (released before the server binds it;
    /// a clash is retried).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
