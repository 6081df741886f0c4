package io.swarmkeeper.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster for a test: {@code n} (at least 3) primaries of Debian's redis-server on
 * free loopback ports, joined with {@code redis-cli --cluster create} and waited for until every
 * slot is served.
 */
public final class RedisClusterServers implements AutoCloseable {
  private final List<RedisServer> nodes;

  private RedisClusterServers(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  public static RedisClusterServers start(int n) {
    if (n < 3) {
      throw new IllegalArgumentException("a Redis Cluster needs 3 primaries, got " + n);
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        nodes.add(
            RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      for (RedisServer r : nodes) {
        create.add("127.0.0.1:" + r.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String out = nodes.get(0).cli(create.toArray(String[]::new));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (RedisServer r : nodes) {
        while (!r.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the cluster did not form: " + out);
          }
          Thread.sleep(50);
        }
      }
      return new RedisClusterServers(nodes);
    } catch (RuntimeException | InterruptedException e) {
      nodes.forEach(RedisServer::close);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot start a Redis Cluster: " + e.getMessage(), e);
    }
  }

  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The nodes' URLs, every one a seed. */
  public List<String> urls() {
    return nodes.stream().map(RedisServer::url).toList();
  }

  /** Runs redis-cli in cluster mode (-c, following redirections) against the first node. */
  public String cli(String... args) {
    List<String> a = new ArrayList<>(List.of("-c"));
    a.addAll(List.of(args));
    return nodes.get(0).cli(a.toArray(String[]::new));
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
