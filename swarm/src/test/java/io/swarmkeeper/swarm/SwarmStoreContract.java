package io.swarmkeeper.swarm;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every {@link SwarmStore} does, whatever holds its swarms: a subclass per implementation runs
 * these tests against it. Every call goes through the asynchronous API, so a store that completes
 * its futures on other threads passes as well as one that completes them at once.
 */
public abstract class SwarmStoreContract {
  protected static final int PEER_TIMEOUT_SECONDS = 60;

  private static final long SEEDER = 0;
  private static final long LEECHER = 100;

  /** The clock handed to the store; tests only ever advance it, never read its origin. */
  protected FakeTicker ticker;

  protected SwarmStore store;

  private String testName;

  /**
   * An empty store reading time from {@code ticker}, whose peers expire after {@code
   * peerTimeoutSeconds} of silence. Called before every test.
   */
  protected abstract SwarmStore newStore(FakeTicker ticker, int peerTimeoutSeconds)
      throws Exception;

  /** Releases what {@link #newStore} took; called after every test. */
  protected void closeStore(SwarmStore store) throws Exception {}

  /**
   * Makes {@link SwarmStore#swarmCount()} and {@link SwarmStore#peerCount()} current, including
   * removing peers that expired since the clock last moved: a store whose counts are kept
   * asynchronously catches up here. Called before every assertion on those counts.
   */
  protected void settle(SwarmStore store) throws Exception {}

  @BeforeEach
  final void openStoreUnderTest(TestInfo info) throws Exception {
    testName = info.getTestClass().orElseThrow().getName() + "#" + info.getDisplayName();
    ticker = new FakeTicker();
    store = newStore(ticker, PEER_TIMEOUT_SECONDS);
  }

  @AfterEach
  final void closeStoreUnderTest() throws Exception {
    if (store != null) {
      closeStore(store);
    }
  }

  @Test
  void firstAnnounceSeesOnlyItselfCounted() throws Exception {
    AnnounceResult r = announce(swarm(1), v4(1), AnnounceEvent.STARTED, LEECHER, 50);
    assertAnswerCounts(r, 0, 1);
    assertThat(r.peers()).isEmpty();
    assertCounts(1, 1);
  }

  @Test
  void aPeerIsItsAddressAndPortAndAReAnnounceAddsNoPeer() throws Exception {
    InfoHash a = swarm(1);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v4(1), AnnounceEvent.NONE, LEECHER, 0);
    AnnounceResult r = announce(a, v4(1).withPort(6882), AnnounceEvent.STARTED, LEECHER, 50);
    assertAnswerCounts(r, 0, 2);
    assertThat(r.peers()).containsExactly(v4(1));
    assertThat(scrape(a)).containsExactly(new ScrapeStats(0, 0, 2));
    assertCounts(1, 2);
  }

  @Test
  void returnsPeersOfThatSwarmOnlyAndNeverTheRequester() throws Exception {
    InfoHash a = swarm(1);
    InfoHash b = swarm(2);
    List<PeerEndpoint> ofA = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      announce(a, v4(i), AnnounceEvent.STARTED, LEECHER, 0);
      announce(b, v4(100 + i), AnnounceEvent.STARTED, LEECHER, 0);
      ofA.add(v4(i));
    }
    ofA.remove(v4(3));
    for (int round = 0; round < 50; round++) {
      AnnounceResult r = announce(a, v4(3), AnnounceEvent.NONE, LEECHER, 50);
      assertThat(r.peers()).containsExactlyInAnyOrderElementsOf(ofA);
    }
    assertCounts(2, 20);
  }

  @Test
  void sampleSkipsTheRequesterButStillFillsFromOthers() throws Exception {
    InfoHash a = swarm(1);
    for (int i = 0; i < 3; i++) {
      announce(a, v4(i), AnnounceEvent.STARTED, LEECHER, 0);
    }
    for (int round = 0; round < 100; round++) {
      assertThat(announce(a, v4(1), AnnounceEvent.NONE, LEECHER, 2).peers())
          .containsExactlyInAnyOrder(v4(0), v4(2));
    }
  }

  @Test
  void numWantLimitsThePeersAndZeroGivesNone() throws Exception {
    InfoHash a = swarm(1);
    for (int i = 0; i < 30; i++) {
      announce(a, v4(i), AnnounceEvent.STARTED, LEECHER, 0);
    }
    assertThat(announce(a, v4(0), AnnounceEvent.NONE, LEECHER, 7).peers())
        .hasSize(7)
        .doesNotHaveDuplicates()
        .doesNotContain(v4(0));
    assertThat(announce(a, v4(0), AnnounceEvent.NONE, LEECHER, 0).peers()).isEmpty();
    assertThat(announce(a, v4(0), AnnounceEvent.NONE, LEECHER, 200).peers()).hasSize(29);
  }

  @Test
  void sampleIsFairNotTheSameFirstPeers() throws Exception {
    InfoHash a = swarm(1);
    int n = 100;
    for (int i = 0; i < n; i++) {
      announce(a, v4(i), AnnounceEvent.STARTED, LEECHER, 0);
    }
    Map<PeerEndpoint, Integer> hits = new HashMap<>();
    int rounds = 1000;
    for (int round = 0; round < rounds; round++) {
      for (PeerEndpoint p : announce(a, v4(0), AnnounceEvent.NONE, LEECHER, 10).peers()) {
        hits.merge(p, 1, Integer::sum);
      }
    }
    // Every other peer is returned, each about rounds * 10 / 99 = 101 times.
    assertThat(hits).hasSize(n - 1);
    assertThat(hits.values()).allSatisfy(c -> assertThat(c).isBetween(40, 200));
  }

  @Test
  void seederIsSentLeechersOnlyAndLeecherBoth() throws Exception {
    InfoHash a = swarm(1);
    List<PeerEndpoint> seeders = new ArrayList<>();
    List<PeerEndpoint> leechers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      announce(a, v4(i), AnnounceEvent.STARTED, SEEDER, 0);
      announce(a, v4(10 + i), AnnounceEvent.STARTED, LEECHER, 0);
      seeders.add(v4(i));
      leechers.add(v4(10 + i));
    }
    AnnounceResult seeder = announce(a, v4(0), AnnounceEvent.NONE, SEEDER, 50);
    assertThat(seeder.peers()).containsExactlyInAnyOrderElementsOf(leechers);
    for (int round = 0; round < 50; round++) { // a small sample must not reach the seeders either
      assertThat(announce(a, v4(0), AnnounceEvent.NONE, SEEDER, 3).peers())
          .hasSize(3)
          .isSubsetOf(leechers);
    }
    AnnounceResult leecher = announce(a, v4(10), AnnounceEvent.NONE, LEECHER, 50);
    List<PeerEndpoint> others = new ArrayList<>(seeders);
    others.addAll(leechers.subList(1, leechers.size()));
    assertThat(leecher.peers()).containsExactlyInAnyOrderElementsOf(others);
    assertAnswerCounts(leecher, 5, 5);
    assertThat(scrape(a)).containsExactly(new ScrapeStats(5, 0, 5));
  }

  @Test
  void stoppedRemovesAtOnce() throws Exception {
    InfoHash a = swarm(1);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, SEEDER, 0);
    AnnounceResult r = announce(a, v4(1), AnnounceEvent.STOPPED, LEECHER, 50);
    assertAnswerCounts(r, 1, 0);
    assertThat(r.peers()).isEmpty();
    assertThat(scrape(a)).containsExactly(new ScrapeStats(1, 0, 0));
    assertThat(announce(a, v4(3), AnnounceEvent.STARTED, LEECHER, 50).peers())
        .containsExactly(v4(2));
    assertCounts(1, 2);
    announce(a, v4(2), AnnounceEvent.STOPPED, SEEDER, 0);
    announce(a, v4(3), AnnounceEvent.STOPPED, LEECHER, 0);
    assertThat(scrape(a)).containsExactly(ScrapeStats.EMPTY);
    assertCounts(0, 0); // the swarm went with its last peer
  }

  @Test
  void stoppedCreatesNothing() throws Exception {
    InfoHash unknown = swarm(1);
    AnnounceResult r = announce(unknown, v4(1), AnnounceEvent.STOPPED, LEECHER, 50);
    assertAnswerCounts(r, 0, 0);
    assertThat(r.peers()).isEmpty();
    assertThat(scrape(unknown)).containsExactly(ScrapeStats.EMPTY);
    assertCounts(0, 0);
    InfoHash known = swarm(2);
    announce(known, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(known, v4(2), AnnounceEvent.STOPPED, LEECHER, 0); // a peer the swarm never had
    assertThat(scrape(known)).containsExactly(new ScrapeStats(0, 0, 1));
    assertCounts(1, 1);
  }

  @Test
  void completedCountsOncePerPeerAndMovesLeecherToSeeder() throws Exception {
    InfoHash a = swarm(1);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, LEECHER, 0);
    AnnounceResult r = announce(a, v4(1), AnnounceEvent.COMPLETED, SEEDER, 0);
    assertAnswerCounts(r, 1, 1);
    assertThat(scrape(a)).containsExactly(new ScrapeStats(1, 1, 1));
    announce(a, v4(1), AnnounceEvent.COMPLETED, SEEDER, 0); // a repeat does not count again
    announce(a, v4(2), AnnounceEvent.COMPLETED, SEEDER, 0);
    assertThat(scrape(a)).containsExactly(new ScrapeStats(2, 2, 0));
    assertCounts(1, 2);
  }

  @Test
  void seederBecomingLeecherMovesBack() throws Exception {
    InfoHash a = swarm(1);
    announce(a, v4(1), AnnounceEvent.STARTED, SEEDER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, SEEDER, 0);
    AnnounceResult r = announce(a, v4(1), AnnounceEvent.NONE, 5, 50);
    assertAnswerCounts(r, 1, 1);
    assertThat(r.peers()).containsExactly(v4(2)); // a leecher again, so sent seeders again
    assertThat(scrape(a)).containsExactly(new ScrapeStats(1, 0, 1));
  }

  @Test
  void ipv4AndIpv6SwarmsAreKeptApartButCountedAsOneTorrent() throws Exception {
    InfoHash a = swarm(1);
    PeerEndpoint six = v6(1);
    PeerEndpoint six2 = v6(2);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, six, AnnounceEvent.STARTED, LEECHER, 0);
    AnnounceResult r6 = announce(a, six2, AnnounceEvent.STARTED, LEECHER, 50);
    assertThat(r6.ipv6()).isTrue();
    assertThat(r6.peers()).containsExactly(six);
    assertThat(r6.compactPeers()).hasSize(18);
    AnnounceResult r4 = announce(a, v4(2), AnnounceEvent.STARTED, LEECHER, 50);
    assertThat(r4.ipv6()).isFalse();
    assertThat(r4.peers()).containsExactly(v4(1));
    assertThat(r4.compactPeers()).hasSize(6);
    assertAnswerCounts(r4, 0, 4); // counts cover the whole torrent
    assertThat(scrape(a)).containsExactly(new ScrapeStats(0, 0, 4));
    assertCounts(1, 4);
  }

  @Test
  void scrapeAnswersInOrderAndZerosForUnknown() throws Exception {
    InfoHash a = swarm(1);
    InfoHash b = swarm(2);
    InfoHash unknown = swarm(3);
    announce(a, v4(1), AnnounceEvent.STARTED, SEEDER, 0);
    announce(b, v4(2), AnnounceEvent.STARTED, LEECHER, 0);
    assertThat(scrape(b, unknown, a))
        .containsExactly(new ScrapeStats(0, 0, 1), ScrapeStats.EMPTY, new ScrapeStats(1, 0, 0));
    assertThat(scrape()).isEmpty();
  }

  @Test
  void aPeerSilentLongerThanTheTimeoutIsNeitherReturnedNorCounted() throws Exception {
    InfoHash a = swarm(1);
    InfoHash b = swarm(2);
    announce(a, v4(1), AnnounceEvent.STARTED, SEEDER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, LEECHER, 0);
    announce(b, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    ticker.advanceSeconds(PEER_TIMEOUT_SECONDS / 2);
    announce(a, v4(3), AnnounceEvent.STARTED, LEECHER, 0);
    ticker.advanceSeconds(PEER_TIMEOUT_SECONDS / 2 + 1); // peers 1 and 2 past it, 3 not
    // Left out of answers at once, whether or not the store has swept since.
    AnnounceResult r = announce(a, v4(4), AnnounceEvent.STARTED, LEECHER, 50);
    assertThat(r.peers()).containsExactly(v4(3));
    assertAnswerCounts(r, 0, 2);
    assertThat(announce(b, v4(5), AnnounceEvent.STARTED, LEECHER, 50).peers()).isEmpty();
    assertThat(scrape(a, b)).containsExactly(new ScrapeStats(0, 0, 2), new ScrapeStats(0, 0, 1));
    assertCounts(2, 3);
  }

  @Test
  void aSwarmWhosePeersAllFellSilentIsGone() throws Exception {
    InfoHash a = swarm(1);
    InfoHash b = swarm(2);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v6(1), AnnounceEvent.STARTED, SEEDER, 0);
    announce(b, v4(2), AnnounceEvent.STARTED, SEEDER, 0);
    assertCounts(2, 3);
    ticker.advanceSeconds(PEER_TIMEOUT_SECONDS + 1);
    assertThat(scrape(a, b)).containsExactly(ScrapeStats.EMPTY, ScrapeStats.EMPTY);
    assertCounts(0, 0);
  }

  @Test
  void aReAnnounceKeepsAPeerAliveAndOnlyTheSilentOneExpires() throws Exception {
    InfoHash a = swarm(1);
    int step = PEER_TIMEOUT_SECONDS * 3 / 4;
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, LEECHER, 0);
    for (int round = 0; round < 5; round++) { // long past the timeout in total
      ticker.advanceSeconds(step);
      // Each was last heard one step ago, so the other sees it; only the re-announces keep it, as
      // its first announce is long past the timeout. Asked of the other peer: an expired peer's
      // own announce would add it back.
      assertThat(announce(a, v4(1), AnnounceEvent.NONE, LEECHER, 50).peers())
          .containsExactly(v4(2));
      assertThat(announce(a, v4(2), AnnounceEvent.NONE, LEECHER, 50).peers())
          .containsExactly(v4(1));
    }
    assertCounts(1, 2);
    ticker.advanceSeconds(step);
    announce(a, v4(2), AnnounceEvent.NONE, LEECHER, 0);
    ticker.advanceSeconds(step); // peer 1 silent 2 steps, past the timeout; peer 2 one step
    AnnounceResult r = announce(a, v4(2), AnnounceEvent.NONE, LEECHER, 50);
    assertThat(r.peers()).isEmpty();
    assertAnswerCounts(r, 0, 1);
    assertCounts(1, 1);
  }

  @Test
  void theCensusCountsPeersByFamilyAndState() throws Exception {
    InfoHash a = swarm(1);
    InfoHash b = swarm(2);
    announce(a, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v4(2), AnnounceEvent.STARTED, SEEDER, 0);
    announce(a, v6(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(a, v6(2), AnnounceEvent.STARTED, SEEDER, 0);
    announce(b, v6(3), AnnounceEvent.STARTED, LEECHER, 0);
    announce(b, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    settle(store);
    assertThat(store.census()).isEqualTo(new PeerCensus(3, 3, 2));
    assertThat(store.census().leechers()).isEqualTo(4);
    announce(a, v4(1), AnnounceEvent.COMPLETED, SEEDER, 0);
    announce(b, v6(3), AnnounceEvent.STOPPED, LEECHER, 0);
    settle(store);
    assertThat(store.census()).isEqualTo(new PeerCensus(3, 2, 3));
    ticker.advanceSeconds(PEER_TIMEOUT_SECONDS + 1);
    settle(store);
    assertThat(store.census()).isEqualTo(PeerCensus.EMPTY);
  }

  @Test
  void theCensusListsTheLargestSwarmsByPeersLargestFirst() throws Exception {
    InfoHash small = swarm(1);
    InfoHash large = swarm(2);
    InfoHash middle = swarm(3);
    announce(small, v4(1), AnnounceEvent.STARTED, SEEDER, 0);
    for (int i = 1; i <= 4; i++) {
      announce(
          large, i % 2 == 0 ? v6(i) : v4(i), AnnounceEvent.STARTED, i == 1 ? SEEDER : LEECHER, 0);
    }
    announce(middle, v4(1), AnnounceEvent.STARTED, LEECHER, 0);
    announce(middle, v4(2), AnnounceEvent.STARTED, LEECHER, 0);
    settle(store);
    assertThat(store.largestSwarms())
        .containsExactly(
            new LargestSwarms.Entry(large, 1, 3),
            new LargestSwarms.Entry(middle, 0, 2),
            new LargestSwarms.Entry(small, 1, 0));
    announce(large, v4(1), AnnounceEvent.STOPPED, SEEDER, 0);
    announce(large, v6(2), AnnounceEvent.STOPPED, LEECHER, 0);
    announce(large, v4(3), AnnounceEvent.STOPPED, LEECHER, 0);
    settle(store);
    assertThat(store.largestSwarms())
        .containsExactlyInAnyOrder(
            new LargestSwarms.Entry(middle, 0, 2),
            new LargestSwarms.Entry(small, 1, 0),
            new LargestSwarms.Entry(large, 0, 1))
        .first()
        .isEqualTo(new LargestSwarms.Entry(middle, 0, 2));
    ticker.advanceSeconds(PEER_TIMEOUT_SECONDS + 1);
    settle(store);
    assertThat(store.largestSwarms()).isEmpty();
  }

  /** Waits for the store's answer; a failed future fails the test with its cause. */
  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  protected AnnounceResult announce(
      InfoHash infoHash, PeerEndpoint peer, AnnounceEvent event, long left, int numWant)
      throws Exception {
    return await(store.announce(new AnnounceRequest(infoHash, peer, event, left, numWant)));
  }

  protected List<ScrapeStats> scrape(InfoHash... infoHashes) throws Exception {
    return await(store.scrape(List.of(infoHashes)));
  }

  /** The swarm's counts as an announce answers them: seeders and leechers. */
  protected static void assertAnswerCounts(AnnounceResult result, int seeders, int leechers) {
    assertThat(result.seeders()).as("seeders").isEqualTo(seeders);
    assertThat(result.leechers()).as("leechers").isEqualTo(leechers);
  }

  /** Settles the store, then asserts both counts. */
  protected void assertCounts(long swarms, long peers) throws Exception {
    settle(store);
    assertThat(store.swarmCount()).as("swarmCount").isEqualTo(swarms);
    assertThat(store.peerCount()).as("peerCount").isEqualTo(peers);
  }

  /**
   * The info_hash of swarm {@code n} of this test, as a real one is made (SHA-1), so no two tests
   * share a swarm even where a store outlives one test (a cluster kept up between tests).
   */
  protected InfoHash swarm(int n) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((testName + "/" + n).getBytes(StandardCharsets.UTF_8));
      return InfoHash.fromBytes(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  protected static PeerEndpoint v4(int n) {
    return PeerEndpoint.ipv4(0x0A000000 + n, 6881);
  }

  protected static PeerEndpoint v6(int n) {
    return PeerEndpoint.ipv6(0x20010db800000000L, n, 6881);
  }
}
