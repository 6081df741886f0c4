package io.swarmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.testsupport.RedisClusterServers;
import io.swarmkeeper.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every store behaviour of the single node, on a real Redis Cluster of three primaries: each
 * torrent's keys hash to one slot (the {info_hash} tag), the scripts are loaded on every primary,
 * and the census scans each of them.
 */
class RedisClusterContractTest extends RedisContract {
  private static RedisClusterServers cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterServers.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected void emptyRedis() {
    for (RedisServer node : cluster.nodes()) {
      node.cli("FLUSHALL");
    }
  }

  @Override
  protected RedisStoreOptions options() {
    return new RedisStoreOptions()
        .setTopology(RedisStoreOptions.Topology.CLUSTER)
        .setUrls(cluster.urls().subList(0, 1));
  }

  @Test
  void aTorrentsKeysLiveOnOnePrimaryAndTorrentsSpreadOverAll() throws Exception {
    for (int i = 0; i < 60; i++) {
      announce(swarm(i), v4(1), io.swarmkeeper.swarm.AnnounceEvent.STARTED, 0, 0);
      announce(swarm(i), v4(2), io.swarmkeeper.swarm.AnnounceEvent.STARTED, 100, 0);
    }
    int primariesHolding = 0;
    for (RedisServer node : cluster.nodes()) {
      long keys = Long.parseLong(node.cli("DBSIZE"));
      assertThat(keys % 2).as("a torrent's two peer keys on one primary").isZero();
      if (keys > 0) {
        primariesHolding++;
      }
    }
    assertThat(primariesHolding).isEqualTo(3);
    assertCounts(60, 120);
  }
}
