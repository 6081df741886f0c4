package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceRefusedException.Cause;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random announces, stops, clock steps, sweeps, scrapes and limit changes against a reference model
 * of the stored peers: the store's counts per address, per swarm and per node never drift from the
 * model's, and it refuses exactly the announces the model says pass a cap.
 */
class SwarmLimitsModelTest {
  private static final int TIMEOUT = 100;

  /** Peers: 3 IPv4 addresses and 2 IPv6 /64s (2 hosts each), 2 ports each. */
  private static final List<PeerEndpoint> PEERS = new ArrayList<>();

  static {
    for (int port = 1; port <= 2; port++) {
      for (int a = 1; a <= 3; a++) {
        PEERS.add(PeerEndpoint.ipv4(0x0A000000 + a, port));
      }
      for (long net = 1; net <= 2; net++) {
        for (long host = 1; host <= 2; host++) {
          PEERS.add(PeerEndpoint.ipv6(0x20010db8_00000000L + net, host, port));
        }
      }
    }
  }

  /** One step: kind 0-9, swarm 0-4, peer (index into PEERS), arg 0-60 (seconds or a limit). */
  record Op(int kind, int swarm, int peer, int arg) {
    static final int COUNT = 10 * 5 * 14 * 61;

    /** Mixed-radix digits of one number, so that jqwik shrinks every field toward 0 at once. */
    static Op decode(int n) {
      return new Op(n % 10, n / 10 % 5, n / 50 % 14, n / 700);
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers().between(0, Op.COUNT - 1).map(Op::decode).list().ofMaxSize(300);
  }

  @Provide
  Arbitrary<SwarmLimits> limits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 12),
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 6))
        .as(SwarmLimits::new);
  }

  /** The stored state as the store should hold it: swarm -> (peer -> last announce), creators. */
  private final Map<Integer, Map<PeerEndpoint, Integer>> swarms = new LinkedHashMap<>();

  private final Map<Integer, Long> creators = new HashMap<>();
  private int now;

  @Property(tries = 300)
  void countsNeverDriftAndCapsRefuseExactly(
      @ForAll("ops") List<Op> ops, @ForAll("limits") SwarmLimits first) {
    swarms.clear();
    creators.clear();
    now = 0;
    FakeTicker clock = new FakeTicker();
    LocalSwarmStore store = new LocalSwarmStore(clock, TIMEOUT, 4);
    store.setLimits(first);
    for (Op op : ops) {
      switch (op.kind()) {
        case 0, 1, 2, 3 -> announce(store, op, AnnounceEvent.STARTED);
        case 4 -> announce(store, op, AnnounceEvent.STOPPED);
        case 5 -> {
          clock.advanceSeconds(op.arg());
          now += op.arg();
        }
        case 6 -> {
          store.sweepAll();
          swarms.keySet().forEach(this::expire);
          swarms.values().removeIf(Map::isEmpty);
        }
        case 7 -> {
          ScrapeStats stats = store.scrapeNow(List.of(hash(op.swarm()))).get(0);
          touch(op.swarm());
          Map<PeerEndpoint, Integer> peers = swarms.get(op.swarm());
          assertThat(stats.leechers()).isEqualTo(peers == null ? 0 : peers.size());
        }
        case 8 -> store.setLimits(op.arg() % 3 == 0 ? SwarmLimits.NONE : first);
        default -> store.setLimits(new SwarmLimits(0, 0, 0, op.arg() % 4, op.arg() % 7));
      }
      check(store);
    }
  }

  private void announce(LocalSwarmStore store, Op op, AnnounceEvent event) {
    PeerEndpoint peer = PEERS.get(op.peer());
    AnnounceRequest request = new AnnounceRequest(hash(op.swarm()), peer, event, 1, 50);
    touch(op.swarm());
    Cause expected = event == AnnounceEvent.STOPPED ? null : refusal(store, op.swarm(), peer);
    Cause refused = null;
    AnnounceResult result = null;
    try {
      result = store.announceNow(request);
    } catch (AnnounceRefusedException e) {
      refused = e.limit();
    }
    assertThat(refused).isEqualTo(expected);
    if (refused != null) {
      return;
    }
    Map<PeerEndpoint, Integer> peers = swarms.get(op.swarm());
    if (event == AnnounceEvent.STOPPED) {
      if (peers != null) {
        peers.remove(peer);
        if (peers.isEmpty()) {
          swarms.remove(op.swarm());
        }
      }
      return;
    }
    if (peers == null) {
      peers = new HashMap<>();
      swarms.put(op.swarm(), peers);
      creators.put(op.swarm(), AddressCounts.addressOf(peer));
    }
    peers.put(peer, now);
    assertThat(result.leechers()).isEqualTo(peers.size());
  }

  /** The cap the model says refuses this announce, or null. */
  private Cause refusal(LocalSwarmStore store, int swarm, PeerEndpoint peer) {
    SwarmLimits caps = store.limits();
    if (store.accounts() == null) {
      return null;
    }
    Map<PeerEndpoint, Integer> peers = swarms.get(swarm);
    if (peers != null && peers.containsKey(peer)) {
      return null; // a re-announce
    }
    long address = AddressCounts.addressOf(peer);
    if (over(caps.maxPeersPerSwarm(), peers == null ? 0 : peers.size())) {
      return Cause.PEERS_PER_SWARM;
    }
    if (over(caps.maxPeers(), peerCount())) {
      return Cause.PEERS;
    }
    if (over(caps.maxPeersPerAddress(), peersOf(address))) {
      return Cause.PEERS_PER_ADDRESS;
    }
    if (peers == null && over(caps.maxSwarms(), swarms.size())) {
      return Cause.SWARMS;
    }
    if (peers == null && over(caps.maxSwarmsPerAddress(), swarmsOf(address))) {
      return Cause.SWARMS_PER_ADDRESS;
    }
    return null;
  }

  private static boolean over(int cap, long count) {
    return cap > 0 && count >= cap;
  }

  /** What the store does to a swarm it answers: drops its silent peers, and it if none is left. */
  private void touch(int swarm) {
    if (swarms.containsKey(swarm)) {
      expire(swarm);
      if (swarms.get(swarm).isEmpty()) {
        swarms.remove(swarm);
      }
    }
  }

  private void expire(int swarm) {
    swarms.get(swarm).values().removeIf(t -> now - t > TIMEOUT);
  }

  private long peerCount() {
    return swarms.values().stream().mapToLong(Map::size).sum();
  }

  private long peersOf(long address) {
    return swarms.values().stream()
        .flatMap(m -> m.keySet().stream())
        .filter(p -> AddressCounts.addressOf(p) == address)
        .count();
  }

  private long swarmsOf(long address) {
    return swarms.keySet().stream().filter(s -> creators.get(s) == address).count();
  }

  private void check(LocalSwarmStore store) {
    assertThat(store.swarmCount()).isEqualTo(swarms.size());
    assertThat(store.peerCount()).isEqualTo(peerCount());
    StateAccounts accounts = store.accounts();
    if (accounts == null) {
      return;
    }
    assertThat(accounts.swarms()).isEqualTo(swarms.size());
    assertThat(accounts.peers()).isEqualTo(peerCount());
    List<Long> addresses = PEERS.stream().map(AddressCounts::addressOf).distinct().toList();
    for (long address : addresses) {
      assertThat(accounts.peersByAddress.get(address)).isEqualTo(peersOf(address));
      assertThat(accounts.swarmsByAddress.get(address)).isEqualTo(swarmsOf(address));
    }
    // No entry is left behind for an address whose count fell to 0.
    assertThat(accounts.peersByAddress.addresses())
        .isEqualTo(addresses.stream().filter(a -> peersOf(a) > 0).count());
    assertThat(accounts.swarmsByAddress.addresses())
        .isEqualTo(addresses.stream().filter(a -> swarmsOf(a) > 0).count());
  }

  private static InfoHash hash(int swarm) {
    return InfoHash.of(swarm * 0x9E3779B97F4A7C15L, swarm, swarm);
  }
}
