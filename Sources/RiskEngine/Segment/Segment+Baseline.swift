extension Segment {
    /// A price tick without the regime and event check — the baseline against which the
    /// benchmarks measure what that check costs per tick (issue #18). Never used by the
    /// service: a segment ticked this way stops tracking volatility and modes.
    public mutating func applyPricesWithoutRegimes(_ batch: PriceBatch) -> PriceOutcome {
        applyPrices(batch, regimes: false)
    }
}
