package io.swarmkeeper.redis;

import io.swarmkeeper.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
