import HTTPWire

extension Connection {
    /// New request bytes from the transport.
    func received(_ bytes: UnsafeRawBufferPointer) {
        switch phase {
        case .closing, .draining, .handshaking:
            return  // discarded: the connection is on its way out
        case .idle:
            parser.append(bytes)
            phase = .receivingHead
            // The first request keeps the deadline armed at accept (handshake included).
            if hasServedRequest {
                deadline = loop.now + context.headTimeout
            }
            advance()
        case .receivingHead:
            parser.append(bytes)
            advance()
        case .receivingBody:
            parser.append(bytes)
            deadline = loop.now + context.bodyIdleTimeout
            advance()
        case .responding, .streaming:
            parser.append(bytes)
            if parser.bufferedByteCount >= context.configuration.maxReadAheadBytes {
                readAheadPaused = true
                updateInterest()
            }
        }
    }

    /// Parses buffered bytes into the next request and hands it on; stops at one request
    /// in flight. Re-entrant calls (a response delivered while parsing, e.g. a 429) return
    /// at once: the outer call's loop picks up the new state, so the stack stays flat.
    func advance() {
        guard !advancing else { return }
        advancing = true
        parseAvailable()
        advancing = false
        if !isClosed { flush() }
    }

    private func parseAvailable() {
        while !isClosed {
            switch phase {
            case .idle, .receivingHead, .receivingBody: break
            default: return
            }
            if pendingOutputCount > context.configuration.maxPendingOutputBytes {
                waitingForFlush = true
                return
            }
            if phase == .idle, parser.bufferedByteCount > 0, !hasTurnLeft() {
                loop.deferToNextPass(self)
                return
            }
            let event: HTTPParserEvent?
            do {
                event = try parser.next()
            } catch {
                refuse(error)
                return
            }
            guard let event else {
                if phase == .receivingBody && pendingContinue {
                    pendingContinue = false
                    output.append(contentsOf: HTTPResponseSerializer.continueResponse)
                }
                if phase == .idle && parser.bufferedByteCount > 0 {
                    phase = .receivingHead
                    deadline = loop.now + context.headTimeout
                }
                break
            }
            switch event {
            case .head(let head):
                if let refusal = context.responder.admit(head: head) {
                    guard !head.expectsContinue else {
                        // The client waits before sending the body: answer now and close
                        // rather than read a body nobody will use.
                        refuseAtHead(head, refusal)
                        return
                    }
                    refusedAtHead = refusal
                }
                phase = .receivingBody
                deadline = loop.now + context.bodyIdleTimeout
                pendingContinue = head.expectsContinue
                if head.expectsContinue, let length = head.headers.first("content-length").flatMap({ Int($0) }),
                   length > context.configuration.limits.maxBodyBytes {
                    refuse(HTTPParseError(status: 413, code: "body_too_large",
                                          message: "the request body exceeds \(context.configuration.limits.maxBodyBytes) bytes"))
                    return
                }
            case .request(let request):
                if let refusal = refusedAtHead {
                    // Framed but never parsed: the connection stays usable (keep-alive).
                    refusedAtHead = nil
                    beginExchange(request.head)
                    deliver(refusal)
                } else {
                    dispatch(request)
                }
            }
        }
    }

    /// Answers a request the parser refused and closes.
    private func refuse(_ error: HTTPParseError) {
        context.counters.bump(.parseErrors)
        context.emit(.parseError(status: error.status, code: error.code))
        sendClosing(ErrorDocument.closingResponse(status: error.status, code: error.code,
                                              message: error.message, date: loop.date))
    }

    /// Whether this connection may start another request in the loop's current pass.
    private func hasTurnLeft() -> Bool {
        if pass != loop.pass {
            pass = loop.pass
            requestsThisPass = 0
        }
        return requestsThisPass < context.configuration.maxRequestsPerConnectionPerPass
    }

    /// The state of an exchange whose request is complete (or refused at its head).
    private func beginExchange(_ head: HTTPRequestHead) {
        phase = .responding
        deadline = .max
        pendingContinue = false
        hasServedRequest = true
        _ = hasTurnLeft()
        requestsThisPass += 1
        isHeadRequest = head.method == .head
        isHTTP11 = head.version == .http11
        keepAlive = head.keepAlive && !loop.stopping && !peerClosed
        // Accept-Encoding is read only if a body turns out large enough to compress.
        requestHeaders = context.configuration.gzipMinimumBytes != nil ? head.headers : nil
        context.counters.bump(.requests)
    }

    /// Early admission refused a request that waits for `100 Continue`: answered at once,
    /// then the connection closes (the body may still be on its way).
    private func refuseAtHead(_ head: HTTPRequestHead, _ refusal: HTTPResponse) {
        beginExchange(head)
        keepAlive = false
        deliver(refusal)
    }

    /// Resumes parsing after the loop deferred this connection to a later pass.
    func resumeDeferred() {
        isDeferred = false
        advance()
    }

    private func dispatch(_ request: HTTPRequest) {
        let head = request.head
        beginExchange(head)

        if let retry = rateLimitRetry(head) {
            context.counters.bump(.rateLimited)
            context.emit(.rateLimited)
            deliver(ErrorDocument.response(status: 429, code: "rate_limited", message: "too many requests",
                                       extraHeaders: [HTTPField("Retry-After", String(retry))]))
            return
        }

        var request = request
        request.remoteAddress = remoteAddress
        let loop = self.loop
        let id = self.id
        let responder = context.responder
        if context.configuration.handlersRunOnEventLoop {
            Task(executorPreference: loop) {
                let response = await responder.respond(to: request)
                loop.post(.response(id, response))
            }
        } else {
            Task {
                let response = await responder.respond(to: request)
                loop.post(.response(id, response))
            }
        }
    }

    private func rateLimitRetry(_ head: HTTPRequestHead) -> Int? {
        if context.configuration.credentialedRequestsSkipRateLimits, head.headers.contains("Authorization") { return nil }
        let now = loop.now
        if bucket != nil, !bucket!.take(now: now) { return bucket!.retryAfterSeconds }
        if let table = context.addresses, let retry = table.takeRequest(addressKey, now: now) { return retry }
        return nil
    }

    /// The responder's answer, back on the loop.
    func deliver(_ response: HTTPResponse) {
        guard phase == .responding else { return }
        if loop.stopping { keepAlive = false }
        context.emit(.responded(status: response.status))
        switch response.body {
        case .bytes(let body):
            var headers = response.headers
            var body = body
            compressIfWanted(status: response.status, headers: &headers, body: &body)
            HTTPResponseSerializer.serialize(
                status: response.status, headers: headers, body: body, keepAlive: keepAlive,
                isHead: isHeadRequest, version: isHTTP11 ? .http11 : .http10, date: loop.date, into: &output)
            finishExchange()
        case .stream(let produce):
            // HTTP/1.0 has no chunked encoding: the body ends when the connection does.
            let chunked = HTTPResponseSerializer.serializeStreamHead(
                status: response.status, headers: response.headers, version: isHTTP11 ? .http11 : .http10,
                keepAlive: keepAlive, date: loop.date, into: &output)
            if !chunked { keepAlive = false }
            if isHeadRequest {
                finishExchange()
                return
            }
            let stream = ResponseStream(bound: context.configuration.maxPendingOutputBytes)
            self.stream = stream
            streamChunked = chunked
            phase = .streaming
            let writer = ConnectionBodyWriter(stream: stream, loop: loop, connection: id)
            let loop = self.loop
            let id = self.id
            let produceAndEnd: @Sendable () async -> Void = {
                do {
                    try await produce(writer)
                    loop.post(.streamEnd(id, failed: false))
                } catch {
                    loop.post(.streamEnd(id, failed: true))
                }
            }
            // The body is handler code: it runs where the handler ran. On the loop it needs
            // no other thread, so a busy global pool cannot stall the stream (it did, for
            // seconds, while the handler's own part had already answered from the loop).
            if context.configuration.handlersRunOnEventLoop {
                Task(executorPreference: loop, operation: produceAndEnd)
            } else {
                Task(operation: produceAndEnd)
            }
            flush()
        }
    }

    func streamChunk(_ bytes: [UInt8]) {
        guard phase == .streaming else { return }
        if streamChunked {
            HTTPResponseSerializer.appendChunk(bytes, to: &output)
        } else {
            output.append(contentsOf: bytes)
        }
        streamBytesInOutput += bytes.count
        flush()
    }

    func streamEnded(failed: Bool) {
        guard phase == .streaming else { return }
        stream?.close()
        stream = nil
        streamBytesInOutput = 0
        if failed {
            // Without the last chunk the client sees a truncated body, as it should.
            sendClosing([])
            return
        }
        if streamChunked { output.append(contentsOf: HTTPResponseSerializer.finalChunk) }
        finishExchange()
    }

    /// The response is queued: close, or go back to parsing the next request.
    private func finishExchange() {
        if !keepAlive || loop.stopping {
            sendClosing([])
            return
        }
        phase = .idle
        deadline = loop.now + context.keepAliveTimeout
        if readAheadPaused {
            readAheadPaused = false
            updateInterest()
        }
        advance()
        if tls != nil && !isClosed && readingEnabled && phase == .idle {
            // Decrypted bytes may wait inside OpenSSL where epoll cannot see them.
            readAvailable()
        }
    }

    private func compressIfWanted(status: Int, headers: inout [HTTPField], body: inout [UInt8]) {
        guard let minimum = context.configuration.gzipMinimumBytes, body.count >= minimum,
              status >= 200, status != 204, status != 304 else { return }
        var hasVary = false
        for field in headers {
            if field.name.utf8.count == 16, field.name.lowercased() == "content-encoding" { return }
            if field.name.utf8.count == 4, field.name.lowercased() == "vary" { hasVary = true }
        }
        if !hasVary { headers.append(HTTPField("Vary", "Accept-Encoding")) }
        let acceptsGzip = AcceptEncoding.allowsGzip(requestHeaders?.first("accept-encoding"))
        requestHeaders = nil
        guard acceptsGzip, let compressed = GzipEncoder.compress(body, level: context.configuration.gzipLevel),
              compressed.count < body.count else { return }
        body = compressed
        headers.append(HTTPField("Content-Encoding", "gzip"))
    }
}
