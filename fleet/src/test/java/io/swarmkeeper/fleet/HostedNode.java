package io.swarmkeeper.fleet;

import io.swarmkeeper.server.Main;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One swarmkeeper node, the real command line in a JVM of its own inside a test host's namespace:
 * tracker and admin on the host's client address, its fleet member on the cluster address.
 */
final class HostedNode implements AutoCloseable {
  /** Each node has a host of its own, so every node uses the same ports. */
  static final int TRACKER_PORT = 6969;

  static final int ADMIN_PORT = 8080;
  static final int CLUSTER_PORT = 5701;

  private final int host;
  private final String address;
  private final Process process;
  private final Path log;
  private final HttpClient http;

  private HostedNode(int host, String address, Process process, Path log, HttpClient http) {
    this.host = host;
    this.address = address;
    this.process = process;
    this.log = log;
    this.http = http;
  }

  /**
   * Starts the node on {@code host} as a member of a fleet with every host in it; Hazelcast's
   * failure detection and merge checks are shortened so that a split and its merge take seconds.
   */
  static HostedNode start(TestHosts hosts, int host, int fleetSize, String cluster, Path logDir)
      throws IOException {
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= fleetSize; i++) {
      members.add(hosts.clusterAddress(i) + ":" + CLUSTER_PORT);
    }
    String address = hosts.clientAddress(host);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
    command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    String hazelcastArgs = System.getProperty("hazelcast.jvm.args", "").trim();
    if (!hazelcastArgs.isEmpty()) {
      command.addAll(List.of(hazelcastArgs.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(
        List.of(
            "--host",
            address,
            "--udp-port",
            Integer.toString(TRACKER_PORT),
            "--http-port",
            Integer.toString(TRACKER_PORT),
            "--admin-port",
            Integer.toString(ADMIN_PORT),
            "--store",
            "hazelcast",
            "--cluster-host",
            hosts.clusterAddress(host),
            "--cluster-port",
            Integer.toString(CLUSTER_PORT),
            "--cluster-members",
            String.join(",", members),
            "--cluster-name",
            cluster,
            "--set",
            "cluster.heartbeat-timeout-seconds=5",
            "--set",
            "cluster.merge-check-seconds=5",
            "--set",
            "admin.host=" + address,
            // Clients name their address, so that one test process can be many peers.
            "--set",
            "http.allow-ip-parameter=true"));
    Files.createDirectories(logDir);
    Path log = logDir.resolve("node-" + host + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(hosts.inside(host, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SWARMKEEPER_"));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    return new HostedNode(host, address, builder.start(), log, http);
  }

  int host() {
    return host;
  }

  /** The tracker's host:port, on the client bridge. */
  String tracker() {
    return address + ":" + TRACKER_PORT;
  }

  /**
   * Whether the admin listener says ready (joined, cluster safe); false when it does not answer.
   */
  boolean isReady() {
    try {
      return admin("/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The node's {@code /fleet}, or null when the admin listener does not answer. */
  JsonObject fleet() {
    try {
      HttpResponse<String> r = admin("/fleet");
      return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Members in the node's {@code /fleet}, or -1 when it does not answer. */
  int fleetMembers() {
    JsonObject fleet = fleet();
    return fleet == null ? -1 : fleet.getJsonArray("members").size();
  }

  private HttpResponse<String> admin(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + ":" + ADMIN_PORT + path))
            .timeout(Duration.ofSeconds(3))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines the node wrote, for a failure's message. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * The JVM's thread dump (SIGQUIT makes it print one to the log), or "" when it has ended: what a
   * node was waiting on when a test gave up on it.
   */
  String threadDump() {
    if (!process.isAlive()) {
      return "";
    }
    try {
      long before = Files.size(log);
      new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
      Thread.sleep(1500);
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Kills the node: its namespace goes next, so there is nothing for a graceful leave to keep. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + host + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
