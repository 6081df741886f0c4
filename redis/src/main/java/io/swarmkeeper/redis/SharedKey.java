package io.swarmkeeper.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The connection-id key the nodes on one Redis agree on when none is configured: the first node
 * puts a random one, every later node reads it, so a connection id one node issues is valid on
 * every node behind the load balancer. Each node puts its key back if Redis lost it ({@link
 * #keep}), so nodes started later still agree with those running.
 */
public final class SharedKey {
  static final String NAME = "connection-id-key";

  private SharedKey() {}

  /** The agreed key (16 bytes): this node's proposal if none was there, else the one there. */
  public static Future<byte[]> agree(RedisSwarmStore store) {
    byte[] proposal = new byte[16];
    new SecureRandom().nextBytes(proposal);
    byte[] key = key(store);
    return store
        .client()
        .send(Request.cmd(Command.SET).arg(key).arg(proposal).arg("NX"))
        .compose(v -> store.client().send(Request.cmd(Command.GET).arg(key)))
        .map(
            r -> {
              byte[] agreed = r == null ? null : r.toBytes();
              if (agreed == null || agreed.length != 16) {
                throw new IllegalStateException(
                    "redis holds no 16-byte "
                        + NAME
                        + " under "
                        + new String(key, StandardCharsets.US_ASCII));
              }
              return agreed;
            });
  }

  /** Puts {@code agreed} back where Redis lost it (after a restart without persistence). */
  public static Future<Void> keep(RedisSwarmStore store, byte[] agreed) {
    return store
        .client()
        .send(Request.cmd(Command.SET).arg(key(store)).arg(agreed).arg("NX"))
        .mapEmpty();
  }

  private static byte[] key(RedisSwarmStore store) {
    return (store.prefix() + NAME).getBytes(StandardCharsets.US_ASCII);
  }
}
