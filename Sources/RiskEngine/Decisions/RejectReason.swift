/// Why a risk decision said no. Not an error: the API answers 200 with
/// `"decision": "rejected"` and this code as `reason`.
public enum RejectReason: String, Sendable, Hashable, CaseIterable {
    case insufficientMargin = "insufficient_margin"
    case reduceOnly = "reduce_only"
    case segmentHalted = "segment_halted"
    case stalePrice = "stale_price"
    case openInterestCap = "open_interest_cap"
    case bridgeClosed = "bridge_closed"
    case bridgeLimit = "bridge_limit"
    case collateralNotPermitted = "collateral_not_permitted"
}

/// Why one price in a `/prices` batch was not accepted (API.md "Prices").
public enum PriceRejectReason: String, Sendable, Hashable, CaseIterable {
    case stalePrice = "stale_price"
    case futureTimestamp = "future_timestamp"
    case outOfOrder = "out_of_order"
    case nonPositivePrice = "non_positive_price"
    case priceJump = "price_jump"
    case unknownMarket = "unknown_market"
    /// Accepted from its source but the index needs `oracle.minSources` fresh sources.
    case insufficientSources = "insufficient_sources"
}
