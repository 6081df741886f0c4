package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What is particular to {@link LocalSwarmStore}: its sweep, shards, 15-bit clock and arguments.
 * What every store does is in {@link SwarmStoreContract}.
 */
class LocalSwarmStoreTest {
  private static final InfoHash A = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
  private static final InfoHash B = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");

  private final FakeTicker clock = new FakeTicker();
  private final LocalSwarmStore store = new LocalSwarmStore(clock, 100);

  private static PeerEndpoint v4(int n) {
    return PeerEndpoint.ipv4(0x0A000000 + n, 6881);
  }

  private AnnounceResult announce(InfoHash h, PeerEndpoint p, AnnounceEvent e, long left, int n) {
    return store.announceNow(new AnnounceRequest(h, p, e, left, n));
  }

  @Test
  void sweepRemovesSilentPeersAndThenEmptySwarms() {
    announce(A, v4(1), AnnounceEvent.STARTED, 100, 0);
    clock.advanceSeconds(60);
    announce(A, v4(2), AnnounceEvent.STARTED, 100, 0);
    announce(B, v4(3), AnnounceEvent.STARTED, 100, 0);
    assertThat(store.sweepAll().removedPeers()).isZero();
    clock.advanceSeconds(41); // peer 1 silent 101 s > 100 s, the others 41 s
    LocalSwarmStore.SweepProgress p = store.sweepAll();
    assertThat(p.removedPeers()).isEqualTo(1);
    assertThat(p.removedSwarms()).isZero();
    assertThat(store.peerCount()).isEqualTo(2);
    clock.advanceSeconds(60);
    p = store.sweepAll();
    assertThat(p.removedPeers()).isEqualTo(2);
    assertThat(p.removedSwarms()).isEqualTo(2);
    assertThat(store.swarmCount()).isZero();
    assertThat(store.peerCount()).isZero();
  }

  @Test
  void expiryIsRightAcrossTheWrapOfTheFifteenBitClock() {
    clock.advanceSeconds(32_768 - 50); // the store's clock is 15 bits wide per peer
    announce(A, v4(1), AnnounceEvent.STARTED, 100, 0);
    announce(A, v4(2), AnnounceEvent.STARTED, 100, 0);
    clock.advanceSeconds(90); // past the wrap; both 90 s old
    announce(A, v4(2), AnnounceEvent.NONE, 100, 0);
    assertThat(announce(A, v4(3), AnnounceEvent.STARTED, 100, 50).peers())
        .containsExactlyInAnyOrder(v4(1), v4(2));
    clock.advanceSeconds(11); // peer 1 silent 101 s
    assertThat(store.sweepAll().removedPeers()).isEqualTo(1);
    assertThat(announce(A, v4(3), AnnounceEvent.NONE, 100, 50).peers()).containsExactly(v4(2));
  }

  @Test
  void sweepDoesBoundedWorkPerCall() {
    LocalSwarmStore small = new LocalSwarmStore(clock, 100, 16);
    for (int s = 0; s < 200; s++) {
      for (int i = 0; i < 5; i++) {
        small.announceNow(
            new AnnounceRequest(InfoHash.of(s, s, s), v4(i), AnnounceEvent.STARTED, 1, 0));
      }
    }
    clock.advanceSeconds(101);
    int calls = 0;
    int removed = 0;
    LocalSwarmStore.SweepProgress p;
    do {
      p = small.sweep(50);
      calls++;
      removed += p.removedPeers();
      // the budget, plus at most one swarm (5 peers) begun within it
      assertThat(p.visited()).isLessThanOrEqualTo(50 + 5);
    } while (!p.passEnded());
    assertThat(calls).isGreaterThanOrEqualTo(1000 / 55);
    assertThat(removed).isEqualTo(1000);
    assertThat(small.swarmCount()).isZero();
  }

  @Test
  void concurrentAnnouncesKeepCountsExact() throws Exception {
    int threads = 4;
    int peersPerThread = 5000;
    InfoHash[] hashes = new InfoHash[16];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = InfoHash.of(i, 7, 7);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?>[] done = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done[t] =
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < peersPerThread; i++) {
                    PeerEndpoint p = PeerEndpoint.ipv4(thread << 24 | i, 1000 + thread);
                    InfoHash h = hashes[i % hashes.length];
                    store.announceNow(
                        new AnnounceRequest(h, p, AnnounceEvent.STARTED, i % 3 == 0 ? 0 : 1, 5));
                    if (i % 5 == 0) {
                      store.announceNow(new AnnounceRequest(h, p, AnnounceEvent.STOPPED, 0, 0));
                    }
                  }
                  return null;
                });
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    int expectedPeers = threads * (peersPerThread - peersPerThread / 5);
    assertThat(store.peerCount()).isEqualTo(expectedPeers);
    List<ScrapeStats> stats = store.scrapeNow(List.of(hashes));
    assertThat(stats.stream().mapToInt(s -> s.seeders() + s.leechers()).sum())
        .isEqualTo(expectedPeers);
    int expectedSeeders = 0;
    for (int i = 0; i < peersPerThread; i++) {
      if (i % 3 == 0 && i % 5 != 0) {
        expectedSeeders++;
      }
    }
    assertThat(stats.stream().mapToInt(ScrapeStats::seeders).sum())
        .isEqualTo(threads * expectedSeeders);
  }

  @Test
  void keysOfOneShardSpreadOverTheShardsTable() {
    java.util.Random random = new java.util.Random(3);
    Set<Integer> bins = new HashSet<>();
    int inShard = 0;
    while (inShard < 200) {
      InfoHash h = InfoHash.of(random.nextLong(), random.nextLong(), random.nextInt());
      if (store.shardIndex(h) == 5) {
        inShard++;
        bins.add(h.hashCode() & 255); // how a shard's table of 256 slots picks a slot
      }
    }
    assertThat(bins).hasSizeGreaterThan(100);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new LocalSwarmStore(clock, 0))
        .hasMessageContaining("peerTimeoutSeconds");
    assertThatThrownBy(() -> new LocalSwarmStore(clock, 10, 3))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> new LocalSwarmStore(clock, 16_385))
        .hasMessageContaining("peerTimeoutSeconds must be 1..16384");
    assertThat(new LocalSwarmStore(clock, 16_384).peerTimeoutSeconds()).isEqualTo(16_384);
    assertThatThrownBy(() -> store.sweep(0)).hasMessageContaining("budget");
  }

  /**
   * One call reused for announces of both families and of more peers than its first buffer holds
   * answers each exactly as a fresh request would.
   */
  @Test
  void aReusedCallAnswersEachAnnounceAsAFreshOneWould() {
    LocalSwarmStore other = new LocalSwarmStore(clock, 100);
    for (int i = 0; i < 300; i++) {
      PeerEndpoint six = PeerEndpoint.ipv6(0x20010db800000000L, i + 1, 6881);
      announce(A, six, AnnounceEvent.STARTED, 100, 0);
      other.announceNow(new AnnounceRequest(A, six, AnnounceEvent.STARTED, 100, 0));
      announce(A, v4(i), AnnounceEvent.STARTED, 0, 0);
      other.announceNow(new AnnounceRequest(A, v4(i), AnnounceEvent.STARTED, 0, 0));
    }
    AnnounceCall call = new AnnounceCall();
    PeerEndpoint six = PeerEndpoint.ipv6(0x20010db800000000L, 7777, 6881);
    store.announceInto(call.set(new AnnounceRequest(A, six, AnnounceEvent.STARTED, 100, 250)));
    other.announceNow(new AnnounceRequest(A, six, AnnounceEvent.STARTED, 100, 250));
    assertThat(call.ipv6()).isTrue();
    assertThat(call.peerCount()).isEqualTo(250); // 4,500 bytes: past the first buffer
    assertThat(call.peerBytes()).isEqualTo(250 * 18);
    assertThat(Set.copyOf(call.result().peers())).hasSize(250).doesNotContain(six);
    assertThat(call.seeders()).isEqualTo(300);
    assertThat(call.leechers()).isEqualTo(301);

    store.announceInto(call.set(new AnnounceRequest(A, v4(999), AnnounceEvent.NONE, 0, 5)));
    AnnounceResult fresh =
        other.announceNow(new AnnounceRequest(A, v4(999), AnnounceEvent.NONE, 0, 5));
    assertThat(call.ipv6()).isFalse();
    // A seeder gets leechers only, and there are no IPv4 leechers: the IPv6 bytes left in the
    // buffer must not show.
    assertThat(call.peerCount()).isEqualTo(fresh.peerCount()).isZero();
    assertThat(call.seeders()).isEqualTo(fresh.seeders()).isEqualTo(301);
    assertThat(call.leechers()).isEqualTo(fresh.leechers()).isEqualTo(301);

    store.announceInto(call.set(new AnnounceRequest(A, v4(999), AnnounceEvent.STOPPED, 0, 5)));
    assertThat(call.peerBytes()).isZero();
    assertThat(call.seeders()).isEqualTo(300);
  }
}
