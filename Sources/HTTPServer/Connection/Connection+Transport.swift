import CLinux
import Glibc
import HTTPWire

extension Connection {
    // MARK: Reading

    func readAvailable() {
        var rounds = 0
        while !isClosed && readingEnabled && rounds < 8 {
            rounds += 1
            let buffer = loop.readBuffer
            switch transportRead(into: buffer) {
            case .bytes(let count):
                received(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // Plain sockets: a short read means the kernel buffer is empty. TLS may
                // hold decrypted bytes that epoll cannot see, so keep reading.
                if count < buffer.count && tls == nil { return }
            case .wouldBlock(let wantsWrite):
                if tlsReadWantsWrite != wantsWrite {
                    tlsReadWantsWrite = wantsWrite
                    updateInterest()
                }
                return
            case .closed:
                peerFinished()
                return
            case .failed:
                close()
                return
            }
        }
    }

    private func transportRead(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        if let tls { return tls.read(into: buffer) }
        while true {
            let result = bh_recv(fd, buffer.baseAddress, UInt(buffer.count))
            if result > 0 { return .bytes(result) }
            if result == 0 { return .closed }
            switch Int32(-result) {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(wantsWrite: false)
            default: return .failed
            }
        }
    }

    /// The client closed its sending side.
    private func peerFinished() {
        peerClosed = true
        switch phase {
        case .responding, .streaming, .closing:
            // Finish the exchange; nothing more will come.
            keepAlive = false
            updateInterest()
        default:
            close()
        }
    }

    // MARK: Writing

    /// Writes pending output until done or the socket is full; on done, moves the
    /// exchange on (release stream credit, close or resume parsing).
    func flush() {
        while outputOffset < output.count {
            let result = output.withUnsafeBytes { raw in
                transportWrite(UnsafeRawBufferPointer(rebasing: raw[outputOffset...]))
            }
            switch result {
            case .bytes(let count):
                outputOffset += count
                writeDeadline = .max
            case .wouldBlock(let wantsWrite):
                tlsWriteWantsRead = !wantsWrite
                if writeDeadline == .max { writeDeadline = loop.now + context.writeStallTimeout }
                updateInterest()
                return
            case .closed, .failed:
                close()
                return
            }
        }
        // Keep a small buffer for the next response (bounded memory across many idle
        // connections); drop one grown by a large body.
        output.removeAll(keepingCapacity: output.capacity <= 16 * 1024)
        outputOffset = 0
        writeDeadline = .max
        tlsWriteWantsRead = false
        if streamBytesInOutput > 0 {
            stream?.release(streamBytesInOutput)
            streamBytesInOutput = 0
        }
        if closeAfterWrite && phase == .closing {
            beginDraining()
            return
        }
        if loop.stopping && isIdle {
            // The last response is out and the server is stopping: end like any closing
            // exchange (half-close, bounded linger) so a pipelining client reads it whole.
            sendClosing([])
            return
        }
        updateInterest()
        if waitingForFlush {
            waitingForFlush = false
            advance()
        }
    }

    private func transportWrite(_ bytes: UnsafeRawBufferPointer) -> TransportResult {
        if let tls { return tls.write(bytes) }
        while true {
            let result = bh_send(fd, bytes.baseAddress, UInt(bytes.count))
            if result >= 0 { return .bytes(result) }
            switch Int32(-result) {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(wantsWrite: true)
            default: return .failed
            }
        }
    }

    /// Our last response is out: half-close and wait (bounded) for the client's FIN, so
    /// unread request bytes do not turn the close into a reset that destroys the response.
    private func beginDraining() {
        tls?.shutdown()
        Glibc.shutdown(fd, Int32(SHUT_WR))
        phase = .draining
        if peerClosed {
            close()
            return
        }
        readAheadPaused = false
        deadline = loop.now + context.lingerTimeout
        updateInterest()
    }

    // MARK: TLS handshake

    func continueHandshake() {
        guard let tls else { return }
        if !sawFirstByte {
            let first = bh_peek_byte(fd)
            if first == -EAGAIN || first == -EWOULDBLOCK || first == -EINTR { return }
            if first < 0 {
                close()
                return
            }
            sawFirstByte = true
            // 0x16 opens a TLS handshake record; anything else is plain text on the TLS port.
            if first != 0x16 {
                self.tls = nil
                context.emit(.tlsHandshakeFailed)
                sendClosing(ErrorDocument.closingResponse(
                    status: 400, code: "tls_required", message: "this port speaks HTTPS", date: loop.date))
                return
            }
        }
        switch tls.handshake() {
        case .done:
            phase = .idle
            handshakeWantsWrite = false
            updateInterest()
            readAvailable()
        case .wantRead:
            handshakeWantsWrite = false
            updateInterest()
        case .wantWrite:
            handshakeWantsWrite = true
            updateInterest()
        case .failed:
            context.emit(.tlsHandshakeFailed)
            close()
        }
    }
}
