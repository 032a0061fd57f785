import HTTPWire

/// Identifies a connection across threads: its slot in the loop's table plus a generation,
/// so a late message for a closed connection cannot reach the slot's next occupant.
struct ConnectionID: Hashable, Sendable {
    var slot: UInt32
    var generation: UInt32

    var token: UInt64 { UInt64(generation) << 32 | UInt64(slot) }

    init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }

    init(token: UInt64) {
        slot = UInt32(truncatingIfNeeded: token)
        generation = UInt32(truncatingIfNeeded: token >> 32)
    }
}

/// What other threads hand to a loop (through its inbox and eventfd).
enum LoopMessage: Sendable {
    case response(ConnectionID, HTTPResponse)
    case streamChunk(ConnectionID, [UInt8])
    case streamEnd(ConnectionID, failed: Bool)
    case shutdown(deadline: Int64)
    /// A connection another loop accepted for this one (already counted as open).
    case adopt(AcceptedSocket)
    /// A job of a task that prefers this loop as its executor.
    case job(UnownedJob)
}

/// An accepted socket on its way to the loop that will serve it.
struct AcceptedSocket: Sendable {
    var fd: Int32
    var remoteAddress: String
    var key: AddressKey
}
