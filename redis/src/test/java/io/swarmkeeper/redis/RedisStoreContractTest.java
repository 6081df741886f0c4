package io.swarmkeeper.redis;

import io.swarmkeeper.swarm.FakeTicker;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.SwarmStoreContract;
import io.swarmkeeper.testsupport.RedisServer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every store behaviour of the single node, on a real Redis: each test starts from an empty Redis,
 * and the counts are read from a census run on demand.
 */
class RedisStoreContractTest extends SwarmStoreContract {
  private static RedisServer redis;
  private static Vertx vertx;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected SwarmStore newStore(FakeTicker ticker, int peerTimeoutSeconds) {
    redis.cli("FLUSHALL");
    return new RedisSwarmStore(
        vertx,
        new RedisStoreOptions().setUrls(java.util.List.of(redis.url())),
        ticker,
        peerTimeoutSeconds);
  }

  @Override
  protected void closeStore(SwarmStore store) {
    ((RedisSwarmStore) store).close();
  }

  @Override
  protected void settle(SwarmStore store) throws Exception {
    await(((RedisSwarmStore) store).censusNow());
  }
}
