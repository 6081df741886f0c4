package io.swarmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.testsupport.RedisServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With {@code redis.topology=sentinel} the store asks a real Sentinel (redis-server in sentinel
 * mode) for the master it watches and keeps its swarms there.
 */
class RedisSentinelTest {
  private static final InfoHash H = InfoHash.fromHex("feedface0123456789abcdef0123456789abcdef");

  @Test
  void theStoreFindsTheMasterThroughTheSentinel() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer master = RedisServer.start();
        RedisServer sentinel = startSentinel(master)) {
      RedisSwarmStore store =
          new RedisSwarmStore(
              vertx,
              new RedisStoreOptions()
                  .setTopology(RedisStoreOptions.Topology.SENTINEL)
                  .setMasterName("tracker")
                  .setUrls(List.of(sentinel.url())),
              Ticker.wallClock(),
              600);
      try {
        announce(store, 1);
        AnnounceResult r = announce(store, 2);
        assertThat(r.peers()).containsExactly(PeerEndpoint.ipv4(0x0A000001, 6881));
        assertThat(store.degraded()).isFalse();
        // The swarm is on the master the Sentinel named.
        assertThat(master.cli("ZCARD", "sk:{" + H.toHex() + "}l4")).isEqualTo("2");
      } finally {
        store.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A Sentinel watching {@code master} under the name "tracker" (its config file written here). */
  private static RedisServer startSentinel(RedisServer master) throws Exception {
    Path conf = Files.createTempFile("sentinel", ".conf");
    Files.writeString(
        conf,
        "sentinel monitor tracker 127.0.0.1 "
            + master.port()
            + " 1\nsentinel resolve-hostnames no\n");
    return RedisServer.startWithConfig(conf, "--sentinel");
  }

  private static AnnounceResult announce(RedisSwarmStore store, int n) throws Exception {
    return store
        .announce(
            new AnnounceRequest(
                H, PeerEndpoint.ipv4(0x0A000000 + n, 6881), AnnounceEvent.STARTED, 100, 50))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
