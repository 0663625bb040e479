#if P2PSIP_TEST_MODES
/// Misbehaviour a peer of a test build can be told to show (debug SwiftPM builds define
/// P2PSIP_TEST_MODES; release and board builds do not, so no deployed peer has it), for the
/// process tests of the insider defences: the real peer, lying as an insider would.
public enum TestMisbehaviour: Equatable, Sendable {
    /// Every request it should forward is answered Error_Not_Found, signed by itself: the
    /// answer fails §6.3.4 check 2 at the requester (OverlayNode+Answers).
    case notFoundWhenForwarding
}
#endif
