package io.swarmkeeper.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * swarmkeeper processes started together: one node with the memory store, or the members of a
 * fleet. Their CPU time and heap are read summed, since a fleet serves as one tracker.
 */
final class NodeProcesses implements AutoCloseable {
  static {
    // A benchmark stopped by Ctrl-C or SIGTERM takes its nodes with it: none keeps CPU 0 busy.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
                "kill-nodes"));
  }

  final String label;
  private final List<TrackerProcess> nodes;
  private final List<Integer> adminPorts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NodeProcesses(String label, List<TrackerProcess> nodes, List<Integer> adminPorts) {
    this.label = label;
    this.nodes = nodes;
    this.adminPorts = adminPorts;
  }

  /** One node with the memory store, answering. */
  static NodeProcesses single(NodeLaunchOptions o, Path dir, String label)
      throws IOException, InterruptedException {
    return start(o, 1, null, dir, label);
  }

  /**
   * The fleet's members ({@code o.members}) started at once, each answering and ready (joined, the
   * cluster safe) and seeing all the others.
   */
  static NodeProcesses fleet(NodeLaunchOptions o, Path dir, String label)
      throws IOException, InterruptedException {
    // A name of this run's own: a member left over from an earlier run never joins it.
    String name = "fleetbench-" + ProcessHandle.current().pid() + "-" + label;
    return start(o, o.members, name, dir, label);
  }

  private static NodeProcesses start(
      NodeLaunchOptions o, int members, String clusterName, Path dir, String label)
      throws IOException, InterruptedException {
    List<TrackerProcess> nodes = new ArrayList<>();
    List<Integer> admin = new ArrayList<>();
    NodeProcesses started = new NodeProcesses(label, nodes, admin);
    List<InetSocketAddress> udp = o.udpAddresses(members);
    try {
      for (int i = 0; i < members; i++) {
        nodes.add(
            TrackerProcess.launch(
                label + "-" + (i + 1),
                o.command(i, members, clusterName),
                dir,
                dir.resolve(label + "-node" + (i + 1) + ".log"),
                udp.get(i)));
        admin.add(o.adminPort + i);
      }
      for (int i = 0; i < members; i++) {
        nodes.get(i).awaitConnect(120);
        started.awaitReady(i, 120);
      }
      if (clusterName != null) {
        for (int i = 0; i < members; i++) {
          started.awaitMembers(i, members, 60);
        }
      }
      return started;
    } catch (IOException | RuntimeException | InterruptedException e) {
      started.close();
      throw e;
    }
  }

  int size() {
    return nodes.size();
  }

  TrackerProcess node(int i) {
    return nodes.get(i);
  }

  List<InetSocketAddress> udpAddresses() {
    return nodes.stream().map(n -> n.address).toList();
  }

  /** CPU time of every process so far, summed, in seconds. */
  double cpuSeconds() throws IOException {
    long ticks = 0;
    for (TrackerProcess n : nodes) {
      ticks += n.cpuTicks();
    }
    return ticks / (double) TrackerProcess.TICKS_PER_SECOND;
  }

  /** Heap in use after a full GC, summed over the processes, in KiB; -1 if one could not say. */
  long heapUsedAfterGcKib() throws IOException, InterruptedException {
    long sum = 0;
    for (TrackerProcess n : nodes) {
      long kib = n.heapUsedAfterGcKib();
      if (kib < 0) {
        return -1;
      }
      sum += kib;
    }
    return sum;
  }

  /** Whether node {@code i}'s admin listener answers /ready with 200. */
  boolean isReady(int i) {
    try {
      return get(i, "/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Node {@code i}'s view of the fleet (admin {@code GET /fleet}). */
  JsonObject fleet(int i) throws IOException, InterruptedException {
    HttpResponse<String> r = get(i, "/fleet");
    if (r.statusCode() != 200) {
      throw new IOException(label + " node " + (i + 1) + ": /fleet answered " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  /**
   * Requests this node's store dropped so far, summed over the members: refused (too many waiting
   * on the fleet), timed out and failed remote calls.
   */
  long fleetDrops() throws IOException, InterruptedException {
    long sum = 0;
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject f = fleet(i);
      sum += f.getLong("overloaded") + f.getLong("timed-out") + f.getLong("failed");
    }
    return sum;
  }

  private HttpResponse<String> get(int i, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPorts.get(i) + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void awaitReady(int i, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!isReady(i)) {
      if (!nodes.get(i).process.isAlive()) {
        throw new IOException(
            nodes.get(i).name + " exited with " + nodes.get(i).process.exitValue());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(nodes.get(i).name + " not ready within " + seconds + " s");
      }
      Thread.sleep(200);
    }
  }

  /** Waits until node {@code i} counts {@code members} members in the fleet. */
  void awaitMembers(int i, int members, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonObject f = fleet(i);
    while (f.getJsonArray("members").size() != members) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            nodes.get(i).name
                + " sees not "
                + members
                + " members within "
                + seconds
                + " s: "
                + f.encode());
      }
      Thread.sleep(500);
      f = fleet(i);
    }
  }

  /**
   * Node {@code i}'s view of the fleet once it counts {@code members} members and {@code peers}
   * peers, or a count that has not changed for {@link #SETTLED_SECONDS} (members publish their
   * counts after each sweep pass, about every 10 s), or its last view after {@code seconds}.
   */
  JsonObject awaitPeers(int i, int members, long peers, int seconds)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    long last = -1;
    long since = start;
    while (true) {
      JsonObject f = fleet(i);
      long now = System.nanoTime();
      boolean all = f.getJsonArray("members").size() == members;
      long counted = f.getLong("peers");
      if (!all || counted != last) {
        last = all ? counted : -1;
        since = now;
      }
      if (all && (counted == peers || now - since >= TimeUnit.SECONDS.toNanos(SETTLED_SECONDS))
          || now > deadline) {
        return f;
      }
      Thread.sleep(500);
    }
  }

  /** Longer than two sweep passes: a count unchanged this long is what the members hold. */
  static final int SETTLED_SECONDS = 25;

  /** Kills every process still running (SIGKILL): the teardown of a measurement. */
  @Override
  public void close() throws InterruptedException {
    for (TrackerProcess n : nodes) {
      n.process.destroyForcibly();
    }
    for (TrackerProcess n : nodes) {
      n.kill();
    }
  }
}
