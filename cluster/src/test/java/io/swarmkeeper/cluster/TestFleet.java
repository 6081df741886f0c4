package io.swarmkeeper.cluster;

import io.swarmkeeper.swarm.Ticker;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real Hazelcast members in this JVM, on loopback ports of their own, each with its store. */
final class TestFleet implements AutoCloseable {
  /** Held so that java.util.logging keeps the level: Hazelcast's INFO lines would drown a run. */
  private static final java.util.logging.Logger HAZELCAST_LOG =
      java.util.logging.Logger.getLogger("com.hazelcast");

  static {
    HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  final List<FleetMember> members = new ArrayList<>();
  final List<HazelcastSwarmStore> stores = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();
  private final String name = "test-" + System.nanoTime();
  private final Ticker ticker;
  private final int peerTimeoutSeconds;
  private final int backupCount;

  TestFleet(int size, Ticker ticker, int peerTimeoutSeconds, int backupCount) throws IOException {
    this.ticker = ticker;
    this.peerTimeoutSeconds = peerTimeoutSeconds;
    this.backupCount = backupCount;
    for (int i = 0; i < size; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    // Started together, so that they form one cluster rather than each founding its own.
    List<CompletableFuture<FleetMember>> starting = new ArrayList<>();
    for (String address : addresses) {
      starting.add(CompletableFuture.supplyAsync(() -> FleetMember.join(options(address))));
    }
    for (CompletableFuture<FleetMember> f : starting) {
      FleetMember m = f.join();
      members.add(m);
      stores.add(new HazelcastSwarmStore(m, ticker, peerTimeoutSeconds));
    }
    awaitSize(size);
  }

  private ClusterOptions options(String address) {
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
    return new ClusterOptions()
        .setName(name)
        .setHost("127.0.0.1")
        .setPort(port)
        .setMembers(addresses)
        .setBackupCount(backupCount)
        .setHeartbeatTimeoutSeconds(5);
  }

  /** Starts one more member (at a fresh port) and its store. */
  HazelcastSwarmStore add() throws IOException {
    String address = "127.0.0.1:" + freePort();
    List<String> all = new ArrayList<>(addresses);
    all.add(address);
    FleetMember m = FleetMember.join(options(address).setMembers(all));
    addresses.add(address);
    members.add(m);
    HazelcastSwarmStore store = new HazelcastSwarmStore(m, ticker, peerTimeoutSeconds);
    stores.add(store);
    return store;
  }

  void awaitSize(int size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (FleetMember m : members) {
      if (!m.hazelcast().getLifecycleService().isRunning()) {
        continue;
      }
      while (m.memberCount() != size) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("cluster did not reach " + size + " members");
        }
        sleep(50);
      }
    }
  }

  /** Waits until every partition has its owner and backups in sync. */
  void awaitSafe() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (FleetMember m : members) {
      if (!m.hazelcast().getLifecycleService().isRunning()) {
        continue;
      }
      while (!m.isClusterSafe()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("cluster not safe after 60 s");
        }
        sleep(50);
      }
    }
  }

  /** Every running member sweeps and publishes, then every store re-reads the counts. */
  void settle() {
    awaitSafe();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).hazelcast().getLifecycleService().isRunning()) {
        stores.get(i).sweepAndPublishNow();
      }
    }
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).hazelcast().getLifecycleService().isRunning()) {
        stores.get(i).refreshCountsNow();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (HazelcastSwarmStore s : stores) {
      s.close();
    }
    for (FleetMember m : members) {
      m.crash();
    }
  }
}
