#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Listens on `OutboxChange.channel` on a dedicated thread and connection (a `LISTEN`ing
/// connection must not be shared), calling `wake` with the segments named by each batch of
/// notifications. After connecting (first time or again after a loss, retried every
/// `retryMilliseconds`) it calls `wake(nil)`: notifications may have been missed, so the
/// owner looks at everything. Polling each ownership round stays the safety net.
public final class OutboxListener: Sendable {
    private let url: String
    private let connectTimeoutSeconds: Int
    private let retryMilliseconds: Int32
    private let stopped = Atomic<Bool>(false)
    private let wake: @Sendable (Set<String>?) -> Void

    public init(url: String, connectTimeoutSeconds: Int = 5, retryMilliseconds: Int32 = 1_000, wake: @escaping @Sendable (Set<String>?) -> Void) {
        self.url = url
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.retryMilliseconds = retryMilliseconds
        self.wake = wake
    }

    public func start() {
        pthread_detach(DedicatedThread.start(name: "pg-listen") { self.run() })
    }

    /// Ends the thread within one wait (≤ 250 ms).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    private func run() {
        while !stopped.load(ordering: .relaxed) {
            do throws(PostgresError) {
                let connection = try PostgresConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds)
                defer { connection.close() }
                try connection.execute("LISTEN \(OutboxChange.channel)")
                wake(nil)
                while !stopped.load(ordering: .relaxed) {
                    let payloads = try connection.notifications(timeoutMilliseconds: 250)
                    if !payloads.isEmpty { wake(Set(payloads)) }
                }
            } catch {
                // Backoff before reconnecting; the relay's rounds keep transfers moving meanwhile.
                var waited: Int32 = 0
                while waited < retryMilliseconds, !stopped.load(ordering: .relaxed) {
                    usleep(50_000)
                    waited += 50
                }
            }
        }
    }
}
