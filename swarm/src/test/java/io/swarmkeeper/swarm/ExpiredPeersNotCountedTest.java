package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalSwarmStore}'s own counts and full scrape drop peers silent past the timeout as soon
 * as their swarm is looked at, before any sweep. What every store answers about them is in {@link
 * SwarmStoreContract}.
 */
class ExpiredPeersNotCountedTest {
  private static final InfoHash A = InfoHash.of(1, 2, 3);
  private static final InfoHash B = InfoHash.of(4, 5, 6);

  private final FakeTicker clock = new FakeTicker();
  private final LocalSwarmStore store = new LocalSwarmStore(clock, 100);

  private AnnounceResult announce(InfoHash h, int peer, long left) {
    return store.announceNow(
        new AnnounceRequest(
            h, PeerEndpoint.ipv4(0x0A000000 + peer, 6881), AnnounceEvent.NONE, left, 50));
  }

  @Test
  void peerCountAndFullScrapeDropExpiredPeersBeforeAnySweep() {
    announce(A, 1, 0); // a seeder
    announce(A, 2, 10);
    clock.advanceSeconds(50);
    announce(A, 3, 10);
    clock.advanceSeconds(51); // peers 1 and 2 silent 101 s
    announce(A, 4, 10);
    assertThat(store.peerCount()).isEqualTo(2);
    clock.advanceSeconds(50); // peer 3 silent 101 s
    assertThat(store.scrapeAll(10).result()).containsEntry(A, new ScrapeStats(0, 0, 1));
    assertThat(store.peerCount()).isEqualTo(1);
  }

  @Test
  void aSwarmWhoseEveryPeerExpiredIsGoneWhenScraped() {
    announce(B, 1, 10);
    announce(A, 1, 10);
    clock.advanceSeconds(101);
    assertThat(store.scrapeNow(List.of(A))).containsExactly(ScrapeStats.EMPTY);
    assertThat(store.swarmCount()).isEqualTo(1);
    assertThat(store.scrapeAll(10).result()).isEmpty();
    assertThat(store.swarmCount()).isZero();
    assertThat(store.peerCount()).isZero();
  }
}
