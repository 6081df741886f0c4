package io.swarmkeeper.fleet;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Node processes on loopback forming one fleet (a cluster name of their own, every member in every
 * member's list). A stopped node can be started again on the same ports. Closing it kills every
 * process it started; so does the test JVM's exit, should a test never reach its cleanup.
 */
final class Fleet implements AutoCloseable {
  /** Started nodes print their start line within this, three JVMs sharing two cores. */
  private static final int START_SECONDS = 90;

  private final String clusterName = "fleet-" + Long.toHexString(System.nanoTime());
  private final List<FleetNode.Ports> ports = new ArrayList<>();
  private final List<String> members = new ArrayList<>();
  private final FleetNode[] nodes;
  private final Thread killer = new Thread(this::close, "fleet cleanup");

  /** Starts {@code size} nodes at once and waits until every one is ready. */
  Fleet(int size) throws Exception {
    nodes = new FleetNode[size];
    Runtime.getRuntime().addShutdownHook(killer);
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < size; i++) {
      FleetNode.Ports p =
          new FleetNode.Ports(freePort(taken), freePort(taken), freePort(taken), freePort(taken));
      ports.add(p);
      members.add("127.0.0.1:" + p.cluster());
    }
    try {
      for (int i = 0; i < size; i++) {
        nodes[i] = FleetNode.launch("node" + (i + 1), ports.get(i), clusterName, members);
      }
      for (FleetNode n : nodes) {
        n.awaitStarted(START_SECONDS, clusterName);
      }
      awaitReady(START_SECONDS);
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  /**
   * A port free for TCP and UDP on loopback, below the ephemeral range (32768 and up), so that no
   * connection of the members takes it as its local port while a node restarts.
   */
  private static int freePort(Set<Integer> taken) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      if (taken.contains(port)) {
        continue;
      }
      try (ServerSocket tcp = new ServerSocket();
          DatagramSocket udp = new DatagramSocket(null)) {
        tcp.bind(new InetSocketAddress(loopback, port));
        udp.bind(new InetSocketAddress(loopback, port));
        taken.add(port);
        return port;
      } catch (IOException busy) {
        // another one
      }
    }
    throw new IOException("no free port in 20000..31999");
  }

  String clusterName() {
    return clusterName;
  }

  int size() {
    return nodes.length;
  }

  FleetNode node(int i) {
    return nodes[i];
  }

  /** The nodes now running. */
  List<FleetNode> alive() {
    List<FleetNode> out = new ArrayList<>();
    for (FleetNode n : nodes) {
      if (n != null && n.isAlive()) {
        out.add(n);
      }
    }
    return out;
  }

  /** The UDP ports of these nodes, in their order. */
  static List<Integer> udpPorts(List<FleetNode> nodes) {
    return nodes.stream().map(n -> n.ports().udp()).toList();
  }

  /** Starts node {@code i} again, on its ports, after it ended; waits for its start line. */
  FleetNode restart(int i) throws Exception {
    if (nodes[i].isAlive()) {
      throw new IllegalStateException(nodes[i].name() + " is still running");
    }
    nodes[i].close();
    nodes[i] = FleetNode.launch(nodes[i].name(), ports.get(i), clusterName, members);
    nodes[i].awaitStarted(START_SECONDS, clusterName);
    return nodes[i];
  }

  /**
   * Waits until every running node answers {@code /ready} with 200 (joined, no migration running);
   * answers how long that took, in milliseconds.
   */
  long awaitReady(int seconds) throws InterruptedException {
    long start = System.nanoTime();
    List<FleetNode> waiting = new ArrayList<>(alive());
    long deadline = start + seconds * 1_000_000_000L;
    while (!waiting.isEmpty()) {
      waiting.removeIf(n -> n.readyStatus() == 200);
      if (waiting.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder why = new StringBuilder("not ready after " + seconds + " s:");
        for (FleetNode n : waiting) {
          why.append(' ').append(n.name()).append(" (").append(n.readyStatus()).append(")");
          why.append(n.tail());
        }
        throw new AssertionError(why);
      }
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Polls {@code node}'s {@code /fleet} until {@code members} members published, together, exactly
   * {@code swarms} swarms and {@code peers} peers (each publishes after a sweep pass over what it
   * owns, about every 10 s), and answers that view.
   */
  JsonObject awaitPublishedCounts(FleetNode node, int members, long swarms, long peers, int seconds)
      throws Exception {
    return awaitPublished(
        node,
        v ->
            v.getJsonArray("members").size() == members
                && FleetView.publishedSwarms(v) == swarms
                && FleetView.publishedPeers(v) == peers,
        members + " members never published " + swarms + " swarms and " + peers + " peers",
        seconds);
  }

  /** As {@link #awaitPublishedCounts}, for the swarms alone. */
  JsonObject awaitPublishedSwarms(FleetNode node, int members, long swarms, int seconds)
      throws Exception {
    return awaitPublished(
        node,
        v -> v.getJsonArray("members").size() == members && FleetView.publishedSwarms(v) == swarms,
        members + " members never published " + swarms + " swarms",
        seconds);
  }

  private JsonObject awaitPublished(
      FleetNode node, Predicate<JsonObject> done, String never, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    JsonObject view = node.fleet();
    while (!done.test(view)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            node.name() + ": " + never + " in " + seconds + " s; last:\n" + view.encodePrettily());
      }
      Thread.sleep(250);
      view = node.fleet();
    }
    return view;
  }

  /** Kills every node it started (kill -9) and waits for each. */
  @Override
  public void close() {
    for (FleetNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    if (Thread.currentThread() != killer) {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
