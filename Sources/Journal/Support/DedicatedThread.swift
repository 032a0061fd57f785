#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An OS thread of its own for code that blocks (a database client's calls), outside the
/// cooperative pool, named for `top -H` and perf.
enum DedicatedThread {
    private final class Body {
        let name: String
        let run: () -> Void
        init(name: String, run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }

    /// Starts `run` on a new thread called `name` (≤ 15 bytes, the kernel's limit).
    static func start(name: String, _ run: @escaping () -> Void) -> pthread_t {
        let context = Unmanaged.passRetained(Body(name: name, run: run)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            #if os(Linux)
            // Through procfs: pthread_setname_np is a GNU extension the Glibc module does not
            // export; no shim needed for a name.
            if let comm = fopen("/proc/thread-self/comm", "w") {
                fputs(body.name, comm)
                fclose(comm)
            }
            #endif
            body.run()
            return nil
        }, context)
        precondition(rc == 0, "cannot start the \(name) thread (\(rc))")
        return thread
    }
}
