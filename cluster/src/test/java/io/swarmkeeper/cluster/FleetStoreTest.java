package io.swarmkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The clustered store across real members: any member answers, and a member's death loses nothing.
 */
class FleetStoreTest {
  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void everySwarmSurvivesTheOwnersCrash() throws Exception {
    fleet = new TestFleet(3, Ticker.wallClock(), 1800, 1);
    List<InfoHash> hashes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      InfoHash h = randomHash();
      hashes.add(h);
      // Two leechers and a seeder per swarm, through different members.
      announce(fleet.stores.get(i % 3), h, PeerEndpoint.ipv4(0x0A000001 + i, 6881), 100);
      announce(fleet.stores.get((i + 1) % 3), h, PeerEndpoint.ipv4(0x0B000001 + i, 6881), 100);
      announce(fleet.stores.get((i + 2) % 3), h, PeerEndpoint.ipv4(0x0C000001 + i, 6881), 0);
    }
    fleet.settle();
    assertThat(fleet.stores.get(0).swarmCount()).isEqualTo(300);
    assertThat(fleet.stores.get(2).peerCount()).isEqualTo(900);

    fleet.members.get(1).crash();
    fleet.stores.get(1).close();
    fleet.awaitSize(2);
    fleet.awaitSafe();
    List<ScrapeStats> after = await(fleet.stores.get(0).scrape(hashes));
    assertThat(after).allSatisfy(s -> assertThat(s).isEqualTo(new ScrapeStats(1, 0, 2)));
    AnnounceResult r =
        await(
            fleet
                .stores
                .get(2)
                .announce(
                    new AnnounceRequest(
                        hashes.get(7),
                        PeerEndpoint.ipv4(0x0D000001, 6881),
                        AnnounceEvent.STARTED,
                        5,
                        50)));
    assertThat(r.peers()).hasSize(3);
  }

  @Test
  void capsOnPeersPerSwarmAndOnTheFleetsSwarmsAreKept() throws Exception {
    fleet = new TestFleet(2, Ticker.wallClock(), 1800, 1);
    for (HazelcastSwarmStore store : fleet.stores) {
      store.setLimits(new SwarmLimits(3, 0, 2, 0, 0));
    }
    InfoHash h = randomHash();
    announce(fleet.stores.get(0), h, PeerEndpoint.ipv4(0x0A000001, 1), 5);
    announce(fleet.stores.get(1), h, PeerEndpoint.ipv4(0x0A000002, 1), 5);
    assertThatThrownBy(() -> announce(fleet.stores.get(0), h, PeerEndpoint.ipv4(0x0A000003, 1), 5))
        .hasCauseInstanceOf(AnnounceRefusedException.class)
        .hasMessageContaining("swarm is full (limit 2 peers)");
    // A peer already in the full swarm still re-announces.
    assertThat(announce(fleet.stores.get(1), h, PeerEndpoint.ipv4(0x0A000001, 1), 0).seeders())
        .isEqualTo(1);

    announce(fleet.stores.get(0), randomHash(), PeerEndpoint.ipv4(0x0B000001, 1), 5);
    announce(fleet.stores.get(1), randomHash(), PeerEndpoint.ipv4(0x0B000002, 1), 5);
    fleet.settle(); // the members publish 3 swarms: the fleet is at its cap
    assertThatThrownBy(
            () -> announce(fleet.stores.get(1), randomHash(), PeerEndpoint.ipv4(9, 1), 5))
        .hasCauseInstanceOf(AnnounceRefusedException.class)
        .hasMessageContaining("tracker is full (limit 3 swarms)");
    assertThat(announce(fleet.stores.get(0), h, PeerEndpoint.ipv4(0x0A000002, 1), 5).leechers())
        .as("existing swarms still answer")
        .isEqualTo(1);
  }

  private static AnnounceResult announce(
      HazelcastSwarmStore store, InfoHash h, PeerEndpoint peer, long left) throws Exception {
    return await(store.announce(new AnnounceRequest(h, peer, AnnounceEvent.STARTED, left, 50)));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static InfoHash randomHash() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return InfoHash.of(r.nextLong(), r.nextLong(), r.nextInt());
  }
}
