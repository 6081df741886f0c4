package io.swarmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every store behaviour of the single node, on one real Redis server. */
class RedisStoreContractTest extends RedisContract {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected void emptyRedis() {
    redis.cli("FLUSHALL");
  }

  @Override
  protected RedisStoreOptions options() {
    return new RedisStoreOptions().setUrls(List.of(redis.url()));
  }

  @Test
  void aKeyUnderThePrefixThatNoTorrentMadeIsLeftOutOfTheCensus() throws Exception {
    InfoHash real = swarm(1);
    announce(real, PeerEndpoint.ipv4(0x0a000001, 6881), AnnounceEvent.STARTED, 0, 0);
    // Shaped like a torrent's peer set, but its tag is not an info_hash: someone else's key.
    redis.cli("ZADD", "sk:{" + "z".repeat(40) + "}s4", "99999999999", "x");
    settle(store);
    assertThat(store.swarmCount()).isEqualTo(1);
    assertThat(store.largestSwarms()).containsExactly(new LargestSwarms.Entry(real, 1, 0));
  }
}
