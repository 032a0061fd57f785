import CLinux
import Glibc
import HTTPWire

extension EventLoop {
    /// Accepts what the backlog holds (bounded per wake-up so one loop cannot hog it).
    func acceptConnections() {
        for _ in 0..<64 {
            let fd = bh_accept(context.listenFD, peerBuffer, 64, keyBuffer)
            if fd < 0 {
                switch -fd {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EINVAL:
                    // The listener was shut down (server stopping): stop watching it.
                    stopListening()
                    return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory: leave the backlog alone until the next sweep.
                    context.log?("accept failed: errno \(-fd); pausing accepts briefly")
                    pauseAccepting()
                    return
                default:
                    context.log?("accept failed: errno \(-fd)")
                    return
                }
            }
            admit(fd: fd)
        }
    }

    private func admit(fd: Int32) {
        let counters = context.counters
        let configuration = context.configuration
        let remote = String(cString: peerBuffer)
        let key = keyBuffer.withMemoryRebound(to: UInt64.self, capacity: 2) {
            AddressKey(high: $0[0], low: $0[1])
        }
        let open = counters.open.add(1, ordering: .relaxed).newValue
        if open > configuration.maxConnections {
            counters.open.subtract(1, ordering: .relaxed)
            reject(fd: fd, status: 503, code: "connection_limit",
                   message: "the server is at its connection limit", remote: remote, key: key)
            return
        }
        if let table = context.addresses, !table.open(key, now: now) {
            counters.open.subtract(1, ordering: .relaxed)
            reject(fd: fd, status: 429, code: "address_connection_limit",
                   message: "too many connections from this address", remote: remote, key: key)
            return
        }
        counters.bump(.accepted)
        let socket = AcceptedSocket(fd: fd, remoteAddress: remote, key: key)
        // EPOLLEXCLUSIVE wakes one idle loop, which would take a whole burst of connects
        // (wrk's, a proxy's pool) and leave the other loops idle: spread them instead.
        let target = context.leastLoadedLoop(preferring: self)
        target.load.add(1, ordering: .relaxed)  // counted now, so the next choice sees it
        if target === self {
            adopt(socket)
        } else {
            target.post(.adopt(socket))
        }
    }

    /// Starts serving an accepted connection on this loop (already counted in `load`).
    func adopt(_ socket: AcceptedSocket) {
        guard !stopping,
              let connection = register(fd: socket.fd, remoteAddress: socket.remoteAddress, key: socket.key, counted: true)
        else {
            disown(socket)
            return
        }
        context.emit(.connectionOpened)
        connection.start()
    }

    /// Closes an accepted connection no loop will serve, undoing its accounting.
    func disown(_ socket: AcceptedSocket) {
        load.subtract(1, ordering: .relaxed)
        context.counters.open.subtract(1, ordering: .relaxed)
        context.addresses?.close(socket.key)
        Glibc.close(socket.fd)
    }

    /// Answers a refused connection with a closing error, then lingers briefly so the
    /// client reads it instead of a reset; beyond a few such connections, just closes.
    private func reject(fd: Int32, status: Int, code: String, message: String, remote: String, key: AddressKey) {
        context.counters.bump(.rejected)
        context.emit(.connectionRejected(reason: code))
        guard rejectingCount < Self.maxRejecting,
              let connection = register(fd: fd, remoteAddress: remote, key: key, counted: false) else {
            Glibc.close(fd)
            return
        }
        rejectingCount += 1
        let retry = HTTPField("Retry-After", String(context.configuration.retryAfterSeconds))
        connection.sendClosing(ErrorDocument.closingResponse(status: status, code: code, message: message,
                                                          extraHeaders: [retry], date: date))
    }
}
