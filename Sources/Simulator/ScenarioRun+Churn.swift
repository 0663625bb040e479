#if canImport(Glibc)
import Glibc
#endif
import Node
import Wire

// Churn (the scenario's session times): an honest peer that is not a bootstrap peer stays for a
// session, then crashes or leaves (RFC 6940 §10.9), stays away for a downtime and comes back
// with the same identity and an empty store (a replaced or wiped device: the conservative case
// for the records it held). Departures happen only while the scenario measures.
extension ScenarioRun {
    func scheduleDeparture(_ index: Int) {
        guard index >= ScenarioRun.bootstrapCount else { return }
        let session: UInt64
        switch scenario.session {
        case .none: return
        case .exponential(let median): session = exponential(median: median)
        case .pareto(let median, let shape): session = pareto(median: median, shape: shape)
        }
        let at = max(simulation.now, measureFrom).adding(milliseconds: session)
        guard at < measureUntil else { return }
        timeline.push(.depart(index), at: at)
    }

    func depart(_ index: Int) {
        guard simulation.nodes[index].alive else { return }
        metrics.departures += 1
        if uniform() < scenario.crashFraction {
            simulation.kill(index)
        } else {
            simulation.beginLeave(index)
            timeline.push(.close(index), at: simulation.now.adding(milliseconds: Simulation.leaveMilliseconds))
        }
        let back = simulation.now.adding(milliseconds: Simulation.leaveMilliseconds + exponential(median: scenario.downtimeMedianMilliseconds))
        timeline.push(.rejoin(index), at: back)
    }

    func rejoin(_ index: Int) {
        guard !simulation.nodes[index].alive else { return }
        lives[index] += 1
        simulation.restart(index, bootstrap: Array(0..<ScenarioRun.bootstrapCount), keepingRecords: false)
        installCurrentRevocations(at: index)
        scheduleDeparture(index)
    }

    /// A uniform number in (0, 1].
    func uniform() -> Double {
        return (Double(random.next() >> 11) + 1) / 9_007_199_254_740_992
    }

    /// An exponential time with this median: −ln U · median / ln 2.
    func exponential(median: UInt64) -> UInt64 {
        return UInt64(max(1, -log(uniform()) * Double(median) / log(2.0)))
    }

    /// A Pareto time with this median and shape α: x_m · U^(−1/α), x_m = median / 2^(1/α).
    func pareto(median: UInt64, shape: Double) -> UInt64 {
        let scale = Double(median) / pow(2.0, 1 / shape)
        return UInt64(min(1e12, max(1, scale * pow(uniform(), -1 / shape))))
    }

    /// Milliseconds until the next event of a Poisson process of `rate` per second.
    func interval(rate: Double) -> UInt64 {
        return UInt64(max(1, -log(uniform()) * 1000 / rate))
    }

    func scheduleNext(_ action: Action, rate: Double) {
        guard rate > 0 else { return }
        let at = simulation.now.adding(milliseconds: interval(rate: rate))
        if at < measureUntil { timeline.push(action, at: at) }
    }

    func scheduleWorkload() {
        let rates: [(Action, Double)] = [
            (.store, scenario.storesPerSecond), (.fetch, scenario.fetchesPerSecond),
            (.sipRegister, scenario.sipRegistrationsPerSecond), (.sipLookup, scenario.sipLookupsPerSecond),
        ]
        for (action, rate) in rates where rate > 0 {
            timeline.push(action, at: measureFrom.adding(milliseconds: interval(rate: rate)))
        }
    }
}
