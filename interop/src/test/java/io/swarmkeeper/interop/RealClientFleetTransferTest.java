package io.swarmkeeper.interop;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.cluster.ClusterOptions;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The real-client suite against a fleet: three nodes in this JVM, each with its own Vert.x and
 * ports, form one Hazelcast cluster. The seeder announces to node 1 only and the leechers to nodes
 * 2 and 3 only, so the seeded bytes arrive only if the fleet tells the peers of one swarm about
 * each other whichever node they ask.
 */
class RealClientFleetTransferTest extends RealClientTransferSuite {
  private static final int NODES = 3;
  private static final List<SwarmkeeperNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startFleet() throws Exception {
    String cluster = "interop-" + UUID.randomUUID();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      members.add("127.0.0.1:" + freePort());
    }
    // Each start blocks while it joins; started together, the members find each other at once
    // rather than the first founding the cluster alone and waiting out its join timeout.
    ExecutorService starter = Executors.newFixedThreadPool(NODES);
    try {
      List<Future<SwarmkeeperNode>> starting = new ArrayList<>();
      for (String member : members) {
        NodeOptions options = options(cluster, member, members);
        starting.add(
            starter.submit(
                () ->
                    SwarmkeeperNode.start(options, new SimpleMeterRegistry())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(90, TimeUnit.SECONDS)));
      }
      Exception failed = null;
      for (Future<SwarmkeeperNode> f : starting) {
        try {
          nodes.add(f.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
          failed = failed == null ? e : failed;
        }
      }
      if (failed != null) {
        throw failed;
      }
    } finally {
      starter.shutdownNow();
    }
    awaitOneReadyFleet();
  }

  private static NodeOptions options(String cluster, String member, List<String> members) {
    return new NodeOptions()
        .setEventLoops(1)
        .setAnnounceIntervalSeconds(5) // a leecher that announced before the seeder retries soon
        .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
        .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
        .setStore("hazelcast")
        .setCluster(
            new ClusterOptions()
                .setName(cluster)
                .setHost("127.0.0.1")
                .setPort(Integer.parseInt(member.substring(member.indexOf(':') + 1)))
                .setMembers(members));
  }

  /** Until every node sees all three members and is ready (the cluster safe, no migration). */
  private static void awaitOneReadyFleet() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (SwarmkeeperNode node : nodes) {
      while (node.fleetStore().member().memberCount() != NODES || !node.isReady()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "no ready fleet of "
                  + NODES
                  + " after 60 s: node "
                  + node.udpAddress()
                  + " sees "
                  + node.fleetStore().member().memberCount()
                  + " member(s), ready "
                  + node.isReady());
        }
        Thread.sleep(50); // cluster membership has no event to wait on here
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * One after another, each leaving gracefully (its partitions handed to those still there); in
   * reverse order, so that node 1, which usually founded the cluster and is its master, goes last
   * and nobody has to claim mastership.
   */
  @AfterAll
  static void stopFleet() throws Exception {
    Exception failed = null;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      SwarmkeeperNode node = nodes.get(i);
      try {
        node.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        failed = failed == null ? e : failed;
      }
    }
    nodes.clear();
    if (failed != null) {
      throw failed;
    }
  }

  @Override
  Trackers trackers(String protocol) {
    return new Trackers(
        announceUrl(nodes.get(0), protocol),
        List.of(announceUrl(nodes.get(1), protocol), announceUrl(nodes.get(2), protocol)));
  }
}
