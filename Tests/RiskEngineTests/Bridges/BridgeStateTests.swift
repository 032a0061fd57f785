import Testing
@testable import RiskEngine

@Suite struct BridgeStateTests {
    /// RISK.md "Bridges": every combination of the two ends' modes.
    @Test(arguments: SegmentMode.allCases)
    func stateFromBothModes(fromMode: SegmentMode) {
        let bridge = makeBridge()
        for toMode in SegmentMode.allCases {
            let status = bridge.status(fromMode: fromMode, toMode: toMode)
            let worst = max(fromMode, toMode)
            let end = toMode > fromMode ? "alts" : "majors"
            switch worst {
            case .normal:
                #expect(status == BridgeStatus(state: .open, reason: "both ends are normal", effectiveLimit: a("1000")))
            case .elevated:
                #expect(status == BridgeStatus(state: .limited, reason: "\(end) is elevated", effectiveLimit: a("250")))
            case .isolated, .reduceOnly, .halted:
                #expect(status == BridgeStatus(state: .closed, reason: "\(end) is \(worst.rawValue)", effectiveLimit: .zero))
            }
        }
    }

    @Test func disabledIsClosedWhateverTheModes() {
        let bridge = makeBridge(enabled: false)
        for from in SegmentMode.allCases {
            for to in SegmentMode.allCases {
                #expect(bridge.status(fromMode: from, toMode: to).state == .closed)
                #expect(bridge.status(fromMode: from, toMode: to).reason == "bridge is disabled")
            }
        }
    }

    /// The cut limit rounds down at the last digit, and a factor of 1 keeps the full limit.
    @Test func elevatedFactorEdges() {
        #expect(makeBridge(windowLimit: "0.00000003", elevatedFactor: "0.5").status(fromMode: .elevated, toMode: .normal).effectiveLimit == a("0.00000001"))
        #expect(makeBridge(elevatedFactor: "1").status(fromMode: .normal, toMode: .elevated).effectiveLimit == a("1000"))
        #expect(makeBridge(elevatedFactor: "0.00000001").status(fromMode: .elevated, toMode: .elevated).effectiveLimit == a("0.00001"))
    }

    /// The watch reports each change once, sorted by key, and nothing when nothing changed.
    @Test func watchReportsEachChangeOnce() {
        let book = BridgeBook([makeBridge(), makeBridge(from: "alts", to: "majors")])
        var modes: [String: SegmentMode] = ["majors": .normal, "alts": .normal]
        var watch = BridgeWatch()
        let first = watch.update(book: book, modes: { modes[$0] }, at: t(0))
        #expect(first.map(\.state) == [.open, .open])
        #expect(first.map(\.from) == ["alts", "majors"])
        #expect(watch.update(book: book, modes: { modes[$0] }, at: t(1)).isEmpty)
        modes["alts"] = .elevated
        let limited = watch.update(book: book, modes: { modes[$0] }, at: t(2))
        #expect(limited == [
            BridgeStateChange(from: "alts", to: "majors", asset: "USDC", state: .limited, reason: "alts is elevated", timestamp: t(2)),
            BridgeStateChange(from: "majors", to: "alts", asset: "USDC", state: .limited, reason: "alts is elevated", timestamp: t(2)),
        ])
        modes["alts"] = .isolated
        #expect(watch.update(book: book, modes: { modes[$0] }, at: t(3)).map(\.state) == [.closed, .closed])
        modes["alts"] = .halted
        // Still closed, but the reason changed: a reader sees why.
        #expect(watch.update(book: book, modes: { modes[$0] }, at: t(4)).map(\.reason) == ["alts is halted", "alts is halted"])
    }
}

@Suite struct BridgeValidationTests {
    let segments = ["majors": makeSpec(id: "majors"), "alts": makeSpec(id: "alts")]

    func field(_ bridge: BridgeSpec) -> String? {
        do { try bridge.validate { segments[$0] }; return nil } catch { return error.field }
    }

    @Test func validBridgePasses() {
        #expect(field(makeBridge()) == nil)
        #expect(field(makeBridge(asset: "ETH")) == nil)
        #expect(field(makeBridge(windowSeconds: 1, elevatedFactor: "1")) == nil)
    }

    @Test func eachRuleNamesItsField() {
        #expect(field(makeBridge(to: "majors")) == "to")
        #expect(field(makeBridge(from: "nope")) == "from")
        #expect(field(makeBridge(to: "nope")) == "to")
        #expect(field(makeBridge(from: "bad id")) == "from")
        #expect(field(makeBridge(asset: "BTC")) == "asset")
        #expect(field(makeBridge(windowSeconds: 0)) == "windowSeconds")
        #expect(field(makeBridge(windowSeconds: BridgeSpec.maxWindowSeconds + 1)) == "windowSeconds")
        #expect(field(makeBridge(windowLimit: "0")) == "windowLimit")
        #expect(field(makeBridge(maxTransfer: "-1")) == "maxTransfer")
        #expect(field(makeBridge(elevatedFactor: "0")) == "elevatedFactor")
        #expect(field(makeBridge(elevatedFactor: "1.00000001")) == "elevatedFactor")
    }

    @Test func assetMustBePermittedAtBothEnds() {
        var alts = makeSpec(id: "alts")
        alts.collateral.removeAll { $0.asset == "ETH" }
        let withoutEth = ["majors": makeSpec(id: "majors"), "alts": alts]
        #expect(throws: SpecError(field: "asset", message: "'ETH' is not permitted in segment 'alts'")) {
            try makeBridge(asset: "ETH").validate { withoutEth[$0] }
        }
    }

    @Test func bookReplacesByKeyAndListsSorted() throws {
        var book = BridgeBook()
        try book.put(makeBridge(from: "majors", to: "alts"))
        try book.put(makeBridge(from: "alts", to: "majors"))
        try book.put(makeBridge(from: "majors", to: "alts", windowLimit: "7"))
        #expect(book.all.map(\.key) == [BridgeKey(from: "alts", to: "majors", asset: "USDC"), BridgeKey(from: "majors", to: "alts", asset: "USDC")])
        #expect(book.bridge(BridgeKey(from: "majors", to: "alts", asset: "USDC"))?.windowLimit == a("7"))
        #expect(book.remove(BridgeKey(from: "alts", to: "majors", asset: "USDC")) != nil)
        #expect(book.remove(BridgeKey(from: "alts", to: "majors", asset: "USDC")) == nil)
        #expect(book.count == 1)
    }

    @Test func bridgeCodecRoundTrips() throws {
        let bridge = makeBridge(asset: "ETH", windowSeconds: 86_400, windowLimit: "123.45678901", enabled: false)
        #expect(try BridgeSpec(decoding: bridge.encoded()) == bridge)
        #expect(try BridgeKey(decoding: bridge.key.encoded()) == bridge.key)
        #expect(throws: EngineError.self) { try BridgeSpec(decoding: bridge.encoded() + [0]) }
    }
}
