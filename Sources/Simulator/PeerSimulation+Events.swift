import Link
import Node
import Peer
import Reload
import SIPFront
import Storage
import Wire

// The simulated network and clock of PeerSimulation: datagrams in flight, peers' timers.
extension PeerSimulation {
    func handle(_ event: Event) {
        switch event {
        case .datagram(let to, let from, let bytes):
            guard let (index, socket) = sockets[to] else {
                phoneInbox[to, default: []].append(bytes)
                return
            }
            guard peers[index].alive else { return }
            datagramsDelivered += 1
            let core = peers[index].core
            switch socket {
            case .overlay: perform(core.receive(overlay: bytes, from: from, now: time), by: index)
            case .peerSIP: perform(core.receive(peerSIP: bytes, from: from, now: time), by: index)
            case .phones:
                guard let ip = from.ipAddressPort else { return }
                let host = ip.text.split(separator: ":").first.map { Array($0.utf8) } ?? []
                perform(core.receive(phone: bytes, from: PhoneAddress(bytes: from.bytes, host: host, port: ip.port), now: time), by: index)
            }
        case .tick(let index):
            guard peers[index].alive, peers[index].scheduledTick == now else { return }
            peers[index].scheduledTick = nil
            perform(peers[index].core.tick(now: time), by: index)
        }
    }

    /// What a peer's core asked for.
    func perform(_ outputs: [PeerOutput], by index: Int) {
        for output in outputs {
            switch output {
            case .transmit(let socket, let bytes, let to):
                let from: IpAddressPort
                switch socket {
                case .overlay: from = peers[index].overlay
                case .peerSIP: from = peers[index].peerSIP
                case .phones: from = peers[index].phones
                }
                transmit(bytes, from: PeerAddress(from), to: to)
            case .log(let level, let text):
                guard level <= logLevel else { continue }
                log.append("[\(now.nanoseconds / 1_000_000) ms] peer \(index): \(text)")
                if log.count > PeerSimulation.logCapacity { log.removeFirst(log.count - PeerSimulation.logCapacity) }
            case .controlAnswer(let connection, let status, let lines): peers[index].controlAnswers[connection] = (status, lines)
            case .keyLog: continue
            }
        }
        scheduleTick(index)
    }

    func scheduleTick(_ index: Int) {
        guard peers[index].alive, let deadline = peers[index].core.nextDeadline(now: time) else { return }
        let at = max(deadline, now)
        if let scheduled = peers[index].scheduledTick, scheduled <= at { return }
        peers[index].scheduledTick = at
        events.push(.tick(peer: index), at: at)
    }

    func delay() -> UInt64 {
        network.delayMilliseconds(using: &random)
    }

    /// One datagram onto the network: lost, delivered once, or delivered twice.
    func transmit(_ bytes: [UInt8], from: PeerAddress, to: PeerAddress) {
        if random.chance(perMillion: network.lossPerMillion) {
            datagramsLost += 1
            return
        }
        events.push(.datagram(to: to, from: from, bytes: bytes), at: now.adding(milliseconds: delay()))
        if random.chance(perMillion: network.duplicationPerMillion) {
            events.push(.datagram(to: to, from: from, bytes: bytes), at: now.adding(milliseconds: delay()))
        }
    }
}
