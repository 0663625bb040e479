/// The per-source budgets of a SIP front (board keys sip-register-rate, sip-register-burst,
/// sip-request-rate, sip-request-burst, sip-sources; SIPFrontLimits has the defaults and
/// ranges): token buckets for REGISTER, and for INVITE and the other requests outside a
/// dialog, per phone address, and how many addresses have one.
public struct SIPFrontBudgets: Equatable, Sendable {
    /// Tokens a minute, and at most at once.
    public var registerRatePerMinute = SIPFrontLimits.defaultRegisterRatePerMinute
    public var registerBurst = SIPFrontLimits.defaultRegisterBurst
    public var requestRatePerMinute = SIPFrontLimits.defaultRequestRatePerMinute
    public var requestBurst = SIPFrontLimits.defaultRequestBurst
    public var sourceTableCapacity = SIPFrontLimits.defaultSourceTableCapacity

    public init() {}

    /// Checks what a caller could get wrong (the board configuration checked its ranges).
    func validate() {
        let rates = SIPFrontLimits.ratePerMinuteRange, bursts = SIPFrontLimits.burstRange
        precondition(rates.contains(registerRatePerMinute) && rates.contains(requestRatePerMinute), "SIP rate out of range")
        precondition(bursts.contains(registerBurst) && bursts.contains(requestBurst), "SIP burst out of range")
        precondition(SIPFrontLimits.sourceTableCapacityRange.contains(sourceTableCapacity), "SIP source table out of range")
    }
}
