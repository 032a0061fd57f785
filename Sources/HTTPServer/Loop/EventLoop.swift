import CLinux
import Glibc
import HTTPWire
import Synchronization

/// One thread running epoll over its connections. Everything but `post` runs on that thread;
/// other threads talk to it only through the inbox (a locked array) and its eventfd.
final class EventLoop: @unchecked Sendable {
    static let listenerToken = UInt64.max
    static let wakeToken = UInt64.max - 1
    static let maxRejecting = 64

    let context: ServerContext
    let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<Inbox>(Inbox())
    private let onExit: @Sendable () -> Void

    private struct Inbox {
        var messages: [LoopMessage] = []
        var closed = false
        /// The loop is (about to be) blocked in epoll_wait: a post must write the eventfd.
        /// While it is awake it drains the inbox anyway, so posts skip the syscall.
        var sleeping = false
    }

    // Loop-thread state.
    private var connections: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [UInt32] = []
    private(set) var liveCount = 0
    /// Counted connections served here or on their way (adopt messages in flight), for the
    /// accepting loop's choice: added by the acceptor, removed here on close.
    let load = Atomic<Int>(0)
    var rejectingCount = 0
    let readBuffer: UnsafeMutableRawBufferPointer
    private(set) var date: [UInt8] = Array(repeating: 0, count: 29)
    private var dateUpdatedAt: Int64 = -1_000_000_000_000
    private(set) var now: Int64 = bh_monotonic_ns()
    private(set) var stopping = false
    private var stopDeadline: Int64 = .max
    private var listening = false
    /// Set when accept fails for lack of descriptors: the listener leaves the epoll set
    /// until the next sweep, instead of waking this loop in a tight level-triggered spin.
    var acceptPaused = false
    private var nextSweep: Int64 = 0
    private var pending: [LoopMessage] = []
    /// Counts passes (iterations); a connection's per-pass request budget resets with it.
    private(set) var pass: UInt64 = 0
    /// Connections that used their requests for this pass with more already buffered.
    private var deferred: [ConnectionID] = []
    /// Set before the thread starts; the thread names itself with it.
    nonisolated(unsafe) var threadName = "http-loop"
    let peerBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 64)
    let keyBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)

    init(context: ServerContext, onExit: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        self.context = context
        self.onExit = onExit
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .system("epoll_create1", errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            Glibc.close(epollFD)
            throw .system("eventfd", errno)
        }
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
        peerBuffer.deallocate()
        keyBuffer.deallocate()
    }

    /// Hands a message to the loop from any thread; wakes it only if it is asleep.
    func post(_ message: LoopMessage) {
        let orphan: LoopMessage? = inbox.withLock { inbox in
            guard !inbox.closed else {
                switch message {
                case .job, .adopt: return message
                default: return nil
                }
            }
            inbox.messages.append(message)
            if inbox.sleeping {
                inbox.sleeping = false
                // Inside the lock so the loop cannot close the eventfd under us.
                var one: UInt64 = 1
                _ = Glibc.write(wakeFD, &one, 8)
            }
            return nil
        }
        switch orphan {
        case .job(let job):
            // A task that preferred this loop outlived it: finish it on the global executor.
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        case .adopt(let socket):
            disown(socket)  // the loop has exited: nobody will serve it
        default:
            break
        }
    }

    func run() {
        // EPOLLEXCLUSIVE: a new connection wakes one idle loop, not all of them.
        listening = bh_epoll_ctl(epollFD, EPOLL_CTL_ADD, context.listenFD,
                                 EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, Self.listenerToken) == 0
        _ = bh_epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, Self.wakeToken)
        var events = [bh_epoll_event](repeating: bh_epoll_event(), count: 256)
        now = bh_monotonic_ns()
        nextSweep = now + context.sweepInterval
        while true {
            let wakeAt = min(nextSweep, stopDeadline)
            let hasMessages = inbox.withLock { inbox in
                if inbox.messages.isEmpty { inbox.sleeping = true }
                return !inbox.messages.isEmpty
            }
            let timeout = hasMessages || !deferred.isEmpty ? 0 : Int32(clamping: max(0, (wakeAt - now + 999_999) / 1_000_000))
            let count = events.withUnsafeMutableBufferPointer {
                bh_epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout)
            }
            inbox.withLock { inbox in
                inbox.sleeping = false
                swap(&inbox.messages, &pending)
            }
            now = bh_monotonic_ns()
            pass &+= 1
            refreshDate()
            if count > 0 {
                for index in 0..<Int(count) {
                    handle(events[index])
                }
            }
            resumeDeferred()
            processPending()
            // Jobs and responses posted while we ran (by handlers on this loop) go out in
            // this iteration rather than after another epoll_wait.
            for _ in 0..<4 {
                let more = inbox.withLock { inbox in
                    swap(&inbox.messages, &pending)
                    return !pending.isEmpty
                }
                if !more { break }
                processPending()
            }
            if now >= nextSweep {
                if acceptPaused { resumeAccepting() }
                sweep()
                nextSweep = now + context.sweepInterval
            }
            if stopping {
                if now >= stopDeadline { closeAll() }
                if liveCount == 0 { break }
            }
        }
        let leftover = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.messages.removeAll() }
            return inbox.messages
        }
        for message in leftover {
            switch message {
            case .job(let job): globalConcurrentExecutor.enqueue(ExecutorJob(job))
            case .adopt(let socket): disown(socket)
            default: break
            }
        }
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
        onExit()
    }

    private func handle(_ event: bh_epoll_event) {
        switch event.data {
        case Self.listenerToken:
            acceptConnections()
        case Self.wakeToken:
            var value: UInt64 = 0
            _ = Glibc.read(wakeFD, &value, 8)
        default:
            let id = ConnectionID(token: event.data)
            guard Int(id.slot) < connections.count, let connection = connections[Int(id.slot)],
                  connection.id == id else { return }
            connection.handle(events: event.events)
        }
    }

    /// Messages taken from the inbox this iteration (responses, stream chunks, shutdown).
    private func processPending() {
        for message in pending {
            switch message {
            case .response(let id, let response):
                connection(id)?.deliver(response)
            case .streamChunk(let id, let bytes):
                connection(id)?.streamChunk(bytes)
            case .streamEnd(let id, let failed):
                connection(id)?.streamEnded(failed: failed)
            case .shutdown(let deadline):
                beginShutdown(deadline: deadline)
            case .adopt(let socket):
                adopt(socket)
            case .job(let job):
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Parks a connection until the next pass (it had its turn; the others go first).
    func deferToNextPass(_ connection: Connection) {
        guard !connection.isDeferred else { return }
        connection.isDeferred = true
        deferred.append(connection.id)
    }

    /// Connections deferred in an earlier pass, after this pass's new events had their turn.
    private func resumeDeferred() {
        guard !deferred.isEmpty else { return }
        let waiting = deferred
        deferred.removeAll(keepingCapacity: true)
        for id in waiting {
            guard let parked = connection(id), parked.isDeferred, !parked.isClosed else { continue }
            parked.resumeDeferred()
        }
    }

    private func connection(_ id: ConnectionID) -> Connection? {
        guard Int(id.slot) < connections.count, let connection = connections[Int(id.slot)],
              connection.id == id else { return nil }
        return connection
    }

    // MARK: Connection table

    func register(fd: Int32, remoteAddress: String, key: AddressKey, counted: Bool) -> Connection? {
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = UInt32(connections.count)
            connections.append(nil)
            generations.append(0)
        }
        let id = ConnectionID(slot: slot, generation: generations[Int(slot)])
        let connection = Connection(fd: fd, id: id, loop: self, remoteAddress: remoteAddress,
                                    addressKey: key, counted: counted)
        guard bh_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, connection.interest, id.token) == 0 else {
            freeSlots.append(slot)
            return nil
        }
        connections[Int(slot)] = connection
        liveCount += 1
        return connection
    }

    func remove(_ connection: Connection) {
        let slot = Int(connection.id.slot)
        guard connections[slot] === connection else { return }
        connections[slot] = nil
        generations[slot] &+= 1
        freeSlots.append(UInt32(slot))
        liveCount -= 1
        if connection.counted { load.subtract(1, ordering: .relaxed) }
    }

    // MARK: Time

    private func refreshDate() {
        guard now - dateUpdatedAt >= 1_000_000_000 / 4 else { return }
        dateUpdatedAt = now
        date.withUnsafeMutableBytes { raw in
            bh_http_date(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
    }

    private func sweep() {
        for case let connection? in connections where connection.nextDeadline <= now {
            connection.deadlinePassed()
        }
    }

    // MARK: Shutdown

    func pauseAccepting() {
        guard listening, !acceptPaused else { return }
        acceptPaused = true
        _ = bh_epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listenFD, 0, 0)
    }

    private func resumeAccepting() {
        acceptPaused = false
        guard listening, !stopping else { return }
        _ = bh_epoll_ctl(epollFD, EPOLL_CTL_ADD, context.listenFD,
                         EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, Self.listenerToken)
    }

    func stopListening() {
        if listening {
            if !acceptPaused { _ = bh_epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listenFD, 0, 0) }
            listening = false
        }
    }

    private func beginShutdown(deadline: Int64) {
        stopping = true
        stopDeadline = deadline
        stopListening()
        for case let connection? in connections where connection.isIdle {
            connection.close()
        }
    }

    private func closeAll() {
        for case let connection? in connections {
            connection.close()
        }
    }
}
