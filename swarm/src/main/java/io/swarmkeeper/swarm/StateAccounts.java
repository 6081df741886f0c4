package io.swarmkeeper.swarm;

import io.swarmkeeper.swarm.AnnounceRefusedException.Cause;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counts the {@link SwarmLimits} caps are checked against: swarms and peers of the node and of
 * each source address. Kept by {@link LocalSwarmStore} only while some cap is set, and changed only
 * when a swarm or a peer comes or goes, never on a re-announce: the node-wide counts are atomics
 * (no lock), the per-address ones striped ({@link AddressCounts}).
 */
final class StateAccounts {
  private final AtomicLong swarms = new AtomicLong();
  private final AtomicLong peers = new AtomicLong();
  final AddressCounts peersByAddress = new AddressCounts();
  final AddressCounts swarmsByAddress = new AddressCounts();

  /**
   * Counts a new peer from {@code address} joining a swarm of {@code swarmPeers} peers, or refuses
   * it, changing nothing.
   */
  void admitPeer(long address, int swarmPeers, SwarmLimits limits) {
    int perSwarm = limits.maxPeersPerSwarm();
    if (perSwarm > 0 && swarmPeers >= perSwarm) {
      throw new AnnounceRefusedException(
          Cause.PEERS_PER_SWARM, "swarm is full (limit " + perSwarm + " peers)");
    }
    admit(false, address, limits);
  }

  /** Counts a new swarm created by {@code address}, or refuses it, changing nothing. */
  void admitSwarm(long address, SwarmLimits limits) {
    admit(true, address, limits);
  }

  private void admit(boolean swarm, long address, SwarmLimits limits) {
    AtomicLong node = swarm ? swarms : peers;
    int nodeCap = swarm ? limits.maxSwarms() : limits.maxPeers();
    String what = swarm ? "swarms" : "peers";
    if (!tryIncrement(node, nodeCap)) {
      throw new AnnounceRefusedException(
          swarm ? Cause.SWARMS : Cause.PEERS,
          "tracker is full (limit " + nodeCap + " " + what + ")");
    }
    int addressCap = swarm ? limits.maxSwarmsPerAddress() : limits.maxPeersPerAddress();
    if (!(swarm ? swarmsByAddress : peersByAddress).tryAdd(address, addressCap)) {
      node.decrementAndGet();
      throw new AnnounceRefusedException(
          swarm ? Cause.SWARMS_PER_ADDRESS : Cause.PEERS_PER_ADDRESS,
          "too many " + what + " from your address (limit " + addressCap + ")");
    }
  }

  /** Counts state that was already there when accounting began. */
  void peerExists(long address) {
    peers.incrementAndGet();
    peersByAddress.tryAdd(address, 0);
  }

  void swarmExists(long address) {
    swarms.incrementAndGet();
    swarmsByAddress.tryAdd(address, 0);
  }

  void peerLeft(long address) {
    peers.decrementAndGet();
    peersByAddress.remove(address);
  }

  void swarmLeft(long address) {
    swarms.decrementAndGet();
    swarmsByAddress.remove(address);
  }

  long swarms() {
    return swarms.get();
  }

  long peers() {
    return peers.get();
  }

  /** Adds one unless that would pass {@code cap} (0: no cap); exact under contention. */
  private static boolean tryIncrement(AtomicLong counter, int cap) {
    if (cap == 0) {
      counter.incrementAndGet();
      return true;
    }
    long n;
    do {
      n = counter.get();
      if (n >= cap) {
        return false;
      }
    } while (!counter.compareAndSet(n, n + 1));
    return true;
  }
}
