package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.udp.ConnectionIds;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store gets the configured limits at start and new ones on reload; swarms stay. */
class NodeReloadTest {
  private static final byte[] HASH = new byte[20];

  @Test
  void limitsReachTheStoreAtStartAndOnReload() throws Exception {
    SwarmLimits atStart = new SwarmLimits(100, 200, 300, 400, 500);
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setLimits(atStart)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setPort(-1));
    SwarmkeeperNode node = start(options);
    try (UdpClient c = new UdpClient(node.udpPort())) {
      assertThat(node.localStore().limits()).isEqualTo(atStart);
      assertThat(c.announceAction(HASH, 7001, 0)).isEqualTo(1);

      SwarmLimits later = new SwarmLimits(1, 0, 0, 0, 0);
      NodeOptions next =
          new NodeOptions(options.toJson())
              .setLimits(later)
              .setAnnounceIntervalSeconds(900)
              .setLogLevel("warn");
      assertThat(node.reload(next))
          .containsExactly(
              "log-level: info -> warn",
              "limits.max-swarms: 100 -> 1",
              "limits.max-peers: 200 -> 0",
              "limits.max-peers-per-swarm: 300 -> 0",
              "limits.max-swarms-per-address: 400 -> 0",
              "limits.max-peers-per-address: 500 -> 0",
              "interval.min-seconds: 1800 -> 900 (not applied: takes effect at the next"
                  + " restart)");
      assertThat(node.localStore().limits()).isEqualTo(later);
      assertThat(node.options().getAnnounceIntervalSeconds()).isEqualTo(1800);
      assertThat(c.scrape(HASH)).as("seeders, leechers").containsExactly(1, 0);
      // Applied changes are not listed again; one waiting for a restart still is.
      assertThat(node.reload(next)).singleElement().asString().startsWith("interval.min-seconds");
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNewConnectionIdKeyIsTakenOnReloadAndIdsOfTheOldOneStayValid() throws Exception {
    String oldKey = "00112233445566778899aabbccddeeff";
    String newKey = "ffeeddccbbaa99887766554433221100";
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setUdp(
                new UdpTrackerOptions().setHost("127.0.0.1").setPort(0).setConnectionIdKey(oldKey))
            .setHttp(new HttpTrackerOptions().setPort(-1));
    SwarmkeeperNode node = start(options);
    try (UdpClient before = new UdpClient(node.udpPort())) {
      NodeOptions next = new NodeOptions(options.toJson());
      next.getUdp().setConnectionIdKey(newKey);
      assertThat(node.reload(next)).containsExactly("udp.connection-id-key: changed");
      assertThat(node.options().getUdp().getConnectionIdKey()).isEqualTo(newKey);
      // An id issued under the old key is still answered; a new connect works under the new one.
      assertThat(before.announceAction(HASH, 7001, 0)).isEqualTo(1);
      try (UdpClient after = new UdpClient(node.udpPort())) {
        PeerEndpoint local = PeerEndpoint.of(InetAddress.getLoopbackAddress(), 1);
        assertThat(idsUnder(newKey).verify(after.connectionId(), local)).isTrue();
        assertThat(idsUnder(oldKey).verify(after.connectionId(), local)).isFalse();
        assertThat(after.announceAction(HASH, 7002, 0)).isEqualTo(1);
        assertThat(after.scrape(HASH)).containsExactly(2, 0);
      }
      assertThat(node.reload(next)).isEmpty();
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static ConnectionIds idsUnder(String hex) {
    return new ConnectionIds(ConnectionIds.keyFromHex(hex), InstantSource.system(), 180);
  }

  private static SwarmkeeperNode start(NodeOptions options) throws Exception {
    return SwarmkeeperNode.start(options, new SimpleMeterRegistry())
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
