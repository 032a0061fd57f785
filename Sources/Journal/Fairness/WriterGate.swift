#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Test hook: holds the journal writer before it takes each batch, and records which
/// segments each batch held, so a test can queue work first and then inspect how the
/// writer composed its batches, without any timing.
public final class WriterGate: @unchecked Sendable {
    private let permits = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private let recorded = Mutex<[[String]]>([])
    private let isOpen = Atomic<Bool>(false)

    public init() {
        sem_init(permits, 0, 0)
    }

    deinit {
        sem_destroy(permits)
        permits.deallocate()
    }

    /// Lets the writer take `batches` more batches.
    public func allow(_ batches: Int = 1) {
        for _ in 0..<batches { sem_post(permits) }
    }

    /// Stops holding the writer (call before closing the journal).
    public func open() {
        isOpen.store(true, ordering: .releasing)
        sem_post(permits)
    }

    /// The segments of each batch taken so far, in commit order ("" for maintenance).
    public var batches: [[String]] { recorded.withLock { $0 } }

    func waitForTurn() {
        guard !isOpen.load(ordering: .acquiring) else { return }
        while sem_wait(permits) != 0 {}
        if isOpen.load(ordering: .acquiring) { sem_post(permits) }  // wake-ups stay available
    }

    func record(_ batch: [String]) {
        recorded.withLock { $0.append(batch) }
    }
}
