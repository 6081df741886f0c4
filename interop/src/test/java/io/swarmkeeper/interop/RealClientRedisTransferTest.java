package io.swarmkeeper.interop;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.redis.RedisStoreOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.testsupport.RedisServer;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The real-client suite against two nodes that keep their swarms in one real Redis (Debian's
 * redis-server): the seeder announces to node 1 only and the leechers to node 2 only, so the seeded
 * bytes arrive only if the Redis store tells the peers of one swarm about each other whichever node
 * they ask.
 */
class RealClientRedisTransferTest extends RealClientTransferSuite {
  private static RedisServer redis;
  private static final List<SwarmkeeperNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startNodes() throws Exception {
    redis = RedisServer.start();
    for (int i = 0; i < 2; i++) {
      NodeOptions options =
          new NodeOptions()
              .setEventLoops(1)
              .setAnnounceIntervalSeconds(5) // a leecher that announced before the seeder retries
              .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
              .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
              .setStore("redis")
              .setRedis(new RedisStoreOptions().setUrls(List.of(redis.url())));
      nodes.add(
          SwarmkeeperNode.start(options, new SimpleMeterRegistry())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  static void stopNodes() throws Exception {
    try {
      for (SwarmkeeperNode node : nodes) {
        node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
      nodes.clear();
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Override
  Trackers trackers(String protocol) {
    return new Trackers(
        announceUrl(nodes.get(0), protocol), List.of(announceUrl(nodes.get(1), protocol)));
  }
}
