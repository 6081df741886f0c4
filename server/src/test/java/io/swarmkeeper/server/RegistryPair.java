package io.swarmkeeper.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.concurrent.TimeUnit;

/** Two nodes in one access mode on one real PostgreSQL (embedded), for the access-mode tests. */
record RegistryPair(EmbeddedPostgres postgres, SwarmkeeperNode a, SwarmkeeperNode b)
    implements AutoCloseable {

  /** Starts the database and two nodes with {@code access.mode} {@code mode}. */
  static RegistryPair start(String mode) throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.start();
    String url = "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    NodeOptions options = options(url, mode);
    SwarmkeeperNode a = null;
    try {
      a = RegistryNodeTest.start(options);
      return new RegistryPair(postgres, a, RegistryNodeTest.start(options));
    } catch (Exception e) {
      new RegistryPair(postgres, a, null).close();
      throw e;
    }
  }

  /** A node's options: any free ports, this database, this access mode, the test token. */
  static NodeOptions options(String url, String mode) {
    return RegistryNodeTest.options(0, 0, url).setAccess(new AccessOptions().setMode(mode));
  }

  @Override
  public void close() throws Exception {
    for (SwarmkeeperNode n : new SwarmkeeperNode[] {a, b}) {
      if (n != null) {
        n.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    postgres.close();
  }
}
