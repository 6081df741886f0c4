package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.AnnounceRefusedException.Cause;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each cap of {@link SwarmLimits} in {@link LocalSwarmStore}: refused past it, never before. */
class SwarmLimitsStoreTest {
  private final FakeTicker clock = new FakeTicker();
  private final LocalSwarmStore store = new LocalSwarmStore(clock, 100, 16);

  private static InfoHash swarm(int n) {
    return InfoHash.of(n, n * 31L, n);
  }

  private static PeerEndpoint v4(int address, int port) {
    return PeerEndpoint.ipv4(0x0A000000 + address, port);
  }

  private AnnounceResult announce(int swarm, PeerEndpoint peer, AnnounceEvent event) {
    return store.announceNow(new AnnounceRequest(swarm(swarm), peer, event, 1, 50));
  }

  private void assertRefused(int swarm, PeerEndpoint peer, Cause cause, String message) {
    assertThatThrownBy(() -> announce(swarm, peer, AnnounceEvent.STARTED))
        .isInstanceOfSatisfying(
            AnnounceRefusedException.class, e -> assertThat(e.limit()).isEqualTo(cause))
        .hasMessage(message);
  }

  @Test
  void maxSwarmsRefusesTheNextSwarmAndAcceptsAgainOnceOneIsGone() {
    store.setLimits(new SwarmLimits(3, 0, 0, 0, 0));
    for (int s = 0; s < 3; s++) {
      announce(s, v4(s, 1), AnnounceEvent.STARTED);
    }
    assertRefused(3, v4(9, 1), Cause.SWARMS, "tracker is full (limit 3 swarms)");
    announce(0, v4(9, 1), AnnounceEvent.STARTED); // joining an existing swarm is fine
    announce(1, v4(1, 1), AnnounceEvent.STOPPED); // its only peer leaves: the swarm goes
    assertThat(store.swarmCount()).isEqualTo(2);
    announce(3, v4(9, 1), AnnounceEvent.STARTED);
    assertThat(store.swarmCount()).isEqualTo(3);
  }

  @Test
  void maxPeersCountsEverySwarmAndBothFamilies() {
    store.setLimits(new SwarmLimits(0, 3, 0, 0, 0));
    announce(0, v4(1, 1), AnnounceEvent.STARTED);
    announce(1, v4(2, 1), AnnounceEvent.STARTED);
    announce(1, PeerEndpoint.ipv6(0x20010db8_00000000L, 1, 1), AnnounceEvent.STARTED);
    assertRefused(0, v4(3, 1), Cause.PEERS, "tracker is full (limit 3 peers)");
    assertRefused(2, v4(3, 1), Cause.PEERS, "tracker is full (limit 3 peers)");
    assertThat(store.swarmCount()).isEqualTo(2); // the refused swarm was not created
    announce(0, v4(1, 1), AnnounceEvent.NONE); // a re-announce is never refused
    clock.advanceSeconds(101); // every peer expires
    announce(0, v4(3, 1), AnnounceEvent.STARTED);
    assertThat(store.peerCount())
        .isEqualTo(1 + 2); // swarm 1's silent peers wait for a look or a sweep
    announce(1, v4(4, 1), AnnounceEvent.STARTED); // expiring swarm 1 made room
    assertThat(store.peerCount()).isEqualTo(2);
  }

  @Test
  void maxPeersPerSwarm() {
    store.setLimits(new SwarmLimits(0, 0, 2, 0, 0));
    for (int address = 1; address <= 2; address++) {
      announce(0, v4(address, 1), AnnounceEvent.STARTED);
    }
    assertRefused(0, v4(3, 1), Cause.PEERS_PER_SWARM, "swarm is full (limit 2 peers)");
    announce(1, v4(3, 1), AnnounceEvent.STARTED);
    announce(0, v4(2, 1), AnnounceEvent.STOPPED);
    announce(0, v4(3, 1), AnnounceEvent.STARTED);
    assertThat(store.scrapeNow(List.of(swarm(0)))).containsExactly(new ScrapeStats(0, 0, 2));
  }

  @Test
  void maxSwarmsPerAddressCountsTheCreatorOnly() {
    store.setLimits(new SwarmLimits(0, 0, 0, 2, 0));
    announce(0, v4(1, 1), AnnounceEvent.STARTED);
    announce(1, v4(1, 2), AnnounceEvent.STARTED); // another port of the same address
    assertRefused(
        2, v4(1, 3), Cause.SWARMS_PER_ADDRESS, "too many swarms from your address (limit 2)");
    announce(2, v4(2, 1), AnnounceEvent.STARTED); // another address
    announce(2, v4(1, 1), AnnounceEvent.STARTED); // joining is not creating
    clock.advanceSeconds(60);
    announce(1, v4(2, 1), AnnounceEvent.STARTED); // keeps swarm 1 alive after its creator left
    clock.advanceSeconds(60); // swarm 0 expires whole; swarm 1 keeps counting against address 1
    store.sweepAll();
    assertThat(store.accounts().swarmsByAddress.get(AddressCounts.ipv4(0x0A000001))).isEqualTo(1);
    announce(3, v4(1, 1), AnnounceEvent.STARTED);
    assertRefused(
        4, v4(1, 1), Cause.SWARMS_PER_ADDRESS, "too many swarms from your address (limit 2)");
  }

  @Test
  void maxPeersPerAddressGroupsAnIpv6Slash64() {
    store.setLimits(new SwarmLimits(0, 0, 0, 0, 2));
    long net = 0x20010db8_00000001L;
    announce(0, PeerEndpoint.ipv6(net, 1, 1), AnnounceEvent.STARTED);
    announce(1, PeerEndpoint.ipv6(net, 0xFFFF_0000_1234L, 9), AnnounceEvent.STARTED);
    assertRefused(
        2,
        PeerEndpoint.ipv6(net, 77, 1),
        Cause.PEERS_PER_ADDRESS,
        "too many peers from your address (limit 2)");
    announce(2, PeerEndpoint.ipv6(net + 1, 77, 1), AnnounceEvent.STARTED); // the next /64
    announce(2, v4(1, 1), AnnounceEvent.STARTED);
    announce(0, PeerEndpoint.ipv6(net, 1, 1), AnnounceEvent.STOPPED);
    announce(2, PeerEndpoint.ipv6(net, 77, 1), AnnounceEvent.STARTED);
  }

  @Test
  void refusalTravelsInTheFutureAndChangesNothing() {
    store.setLimits(new SwarmLimits(1, 0, 0, 0, 0));
    announce(0, v4(1, 1), AnnounceEvent.STARTED);
    Future<AnnounceResult> f =
        store.announce(new AnnounceRequest(swarm(1), v4(2, 1), AnnounceEvent.STARTED, 1, 50));
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(AnnounceRefusedException.class);
    assertThat(store.swarmCount()).isEqualTo(1);
    assertThat(store.peerCount()).isEqualTo(1);
    assertThat(store.accounts().peers()).isEqualTo(1);
    assertThat(store.accounts().peersByAddress.addresses()).isEqualTo(1);
    assertThat(store.accounts().swarmsByAddress.addresses()).isEqualTo(1);
  }

  @Test
  void limitsSetAtRunTimeCountWhatIsStoredAndNoneCountsNothing() {
    for (int i = 0; i < 5; i++) {
      announce(i, v4(1, i), AnnounceEvent.STARTED);
    }
    assertThat(store.accounts()).isNull();
    store.setLimits(new SwarmLimits(0, 0, 0, 5, 6));
    assertThat(store.accounts().swarms()).isEqualTo(5);
    assertRefused(
        5, v4(1, 99), Cause.SWARMS_PER_ADDRESS, "too many swarms from your address (limit 5)");
    announce(0, v4(1, 99), AnnounceEvent.STARTED);
    assertRefused(
        1, v4(1, 98), Cause.PEERS_PER_ADDRESS, "too many peers from your address (limit 6)");
    store.setLimits(SwarmLimits.NONE);
    assertThat(store.accounts()).isNull();
    announce(5, v4(1, 98), AnnounceEvent.STARTED);
    store.setLimits(new SwarmLimits(0, 0, 0, 9, 9));
    assertThat(store.accounts().peersByAddress.get(AddressCounts.ipv4(0x0A000001))).isEqualTo(7);
    assertThat(store.accounts().swarmsByAddress.get(AddressCounts.ipv4(0x0A000001))).isEqualTo(6);
  }

  @Test
  void defaultLimitsAdmitOrdinaryUse() {
    store.setLimits(SwarmLimits.DEFAULT);
    for (int i = 0; i < 1000; i++) {
      announce(i % 10, v4(i % 50, 6881 + i), AnnounceEvent.STARTED);
    }
    assertThat(store.peerCount()).isEqualTo(1000);
  }

  @Test
  void concurrentAnnouncersHitTheCapsExactly() throws Exception {
    store.setLimits(new SwarmLimits(0, 3000, 0, 0, 1000));
    int threads = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger refused =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 1500; i++) {
                    try {
                      announce(i % 16, v4(thread, i), AnnounceEvent.STARTED);
                    } catch (AnnounceRefusedException e) {
                      refused.incrementAndGet();
                    }
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(store.peerCount()).isEqualTo(3000);
    assertThat(refused.get()).isEqualTo(4 * 1500 - 3000);
    long perAddress = 0;
    for (int t = 0; t < threads; t++) {
      int held = store.accounts().peersByAddress.get(AddressCounts.ipv4(0x0A000000 + t));
      assertThat(held).isLessThanOrEqualTo(1000);
      perAddress += held;
    }
    assertThat(perAddress).isEqualTo(3000);
  }
}
