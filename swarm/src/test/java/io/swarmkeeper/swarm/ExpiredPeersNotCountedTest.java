package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Peers silent past the timeout are out of every count at once, whether or not swept. */
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
  void announceAnswerAndScrapeCountOnlyLivePeers() {
    announce(A, 1, 0); // a seeder
    announce(A, 2, 10);
    clock.advanceSeconds(50);
    announce(A, 3, 10);
    clock.advanceSeconds(51); // peers 1 and 2 silent 101 s
    AnnounceResult r = announce(A, 4, 10);
    assertThat(r.seeders()).isZero();
    assertThat(r.leechers()).isEqualTo(2);
    assertThat(store.peerCount()).isEqualTo(2);
    clock.advanceSeconds(50); // peer 3 silent 101 s
    assertThat(store.scrapeNow(List.of(A))).containsExactly(new ScrapeStats(0, 0, 1));
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

  @Test
  void aPeerThatKeepsAnnouncingIsNeverExpired() {
    announce(A, 1, 10);
    for (int i = 0; i < 20; i++) {
      clock.advanceSeconds(60);
      announce(A, 2, 10);
      assertThat(announce(A, 1, 10).leechers()).isEqualTo(2);
    }
  }
}
