package io.swarmkeeper.redis;

import io.swarmkeeper.swarm.FakeTicker;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.SwarmStoreContract;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real Redis, whatever its topology: each test starts from an empty Redis
 * ({@link #emptyRedis}), and the counts are read from a census run on demand.
 */
abstract class RedisContract extends SwarmStoreContract {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Removes every key the previous test left. */
  protected abstract void emptyRedis();

  /** Where the store finds the Redis under test. */
  protected abstract RedisStoreOptions options();

  @Override
  protected final SwarmStore newStore(FakeTicker ticker, int peerTimeoutSeconds) {
    emptyRedis();
    return new RedisSwarmStore(vertx, options(), ticker, peerTimeoutSeconds);
  }

  @Override
  protected final void closeStore(SwarmStore store) {
    ((RedisSwarmStore) store).close();
  }

  @Override
  protected final void settle(SwarmStore store) throws Exception {
    await(((RedisSwarmStore) store).censusNow());
  }
}
