import Testing
@testable import Simulator

@Suite struct SimulatorSmokeTests {
    @Test func builds() { #expect(SimulatedCryptoMode.real != .simulated) }
}
