/// One row of `segment_owner` as the database sees it now.
public struct SegmentLease: Sendable, Equatable {
    public var segment: String
    /// nil when released or never taken.
    public var owner: String?
    public var epoch: UInt64
    /// Milliseconds since the Unix epoch, on the database's clock.
    public var leaseUntilMilliseconds: Int64
    /// The lease has not expired on the database's clock.
    public var isLive: Bool

    public init(segment: String, owner: String?, epoch: UInt64, leaseUntilMilliseconds: Int64, isLive: Bool) {
        self.segment = segment
        self.owner = owner
        self.epoch = epoch
        self.leaseUntilMilliseconds = leaseUntilMilliseconds
        self.isLive = isLive
    }
}

/// One row of `instances`: an instance that announced itself and where it answers.
public struct ClusterInstance: Sendable, Equatable {
    public var id: String
    public var url: String
    public var aliveUntilMilliseconds: Int64
    public var isLive: Bool

    public init(id: String, url: String, aliveUntilMilliseconds: Int64, isLive: Bool) {
        self.id = id
        self.url = url
        self.aliveUntilMilliseconds = aliveUntilMilliseconds
        self.isLive = isLive
    }
}

/// What one renewal found: the segments still ours and those another instance took.
public struct LeaseRenewal: Sendable, Equatable {
    public var renewed: [String]
    public var lost: [String]

    public init(renewed: [String], lost: [String]) {
        self.renewed = renewed
        self.lost = lost
    }
}
