extension SegmentSpec {
    /// Checks every rule of API.md "Segments" and RISK.md; the first failure names its field.
    public func validate() throws(SpecError) {
        // ENGINE HELPER: implement.
    }
}
