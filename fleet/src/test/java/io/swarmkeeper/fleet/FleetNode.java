package io.swarmkeeper.fleet;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One swarmkeeper node in a JVM of its own, a member of a fleet on loopback: started with the real
 * command line, probed through its admin listener, stopped by a signal. Its output goes to a log
 * file under {@code target/fleet-logs}, kept as the evidence of a failure.
 */
final class FleetNode implements AutoCloseable {
  private static final Pattern STARTED =
      Pattern.compile(
          "swarmkeeper listening on udp 127\\.0\\.0\\.1:(\\d+) .*and http 127\\.0\\.0\\.1:(\\d+);"
              + " admin 127\\.0\\.0\\.1:(\\d+); store: hazelcast, member 127\\.0\\.0\\.1:(\\d+)"
              + " of (\\d+) in cluster (\\S+);");

  private static final HttpClient ADMIN =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The ports a node listens on; a restarted node takes the same ones. */
  record Ports(int udp, int http, int admin, int cluster) {}

  private final String name;
  private final Ports ports;
  private final Process process;
  private final Path log;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile String startLine;
  private final Thread reader;

  private FleetNode(String name, Ports ports, Process process, Path log) {
    this.name = name;
    this.ports = ports;
    this.process = process;
    this.log = log;
    this.reader = new Thread(this::copyOutput, "output of " + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Launches a member of the cluster {@code clusterName} whose members are {@code members}; does
   * not wait for it (members started together find each other).
   */
  static FleetNode launch(String name, Ports ports, String clusterName, List<String> members)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    String hazelcastFlags = System.getProperty("fleet.node.jvm.args", "");
    if (hazelcastFlags.isBlank()) {
      throw new IllegalStateException("fleet.node.jvm.args (Hazelcast's JVM flags) is not set");
    }
    cmd.addAll(Arrays.asList(hazelcastFlags.trim().split("\\s+")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.swarmkeeper.server.Main");
    cmd.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--udp-port",
            Integer.toString(ports.udp()),
            "--http-port",
            Integer.toString(ports.http()),
            "--admin-port",
            Integer.toString(ports.admin()),
            "--store",
            "hazelcast",
            "--cluster-host",
            "127.0.0.1",
            "--cluster-port",
            Integer.toString(ports.cluster()),
            "--cluster-members",
            String.join(",", members),
            "--cluster-name",
            clusterName,
            "--set",
            "cluster.heartbeat-timeout-seconds=5"));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("SWARMKEEPER_"));
    Path dir = Path.of("target", "fleet-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve(clusterName + "-" + name + "-" + System.currentTimeMillis() + ".log");
    return new FleetNode(name, ports, builder.start(), log);
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintStream out =
            new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (startLine == null && STARTED.matcher(line).find()) {
          startLine = line;
          started.countDown();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  String name() {
    return name;
  }

  Ports ports() {
    return ports;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Waits for the start line and checks it names this node's ports and cluster. */
  void awaitStarted(int seconds, String clusterName) throws InterruptedException {
    if (!started.await(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(
          name
              + " printed no start line in "
              + seconds
              + " s (alive: "
              + process.isAlive()
              + ")"
              + tail());
    }
    Matcher m = STARTED.matcher(startLine);
    if (!m.find()
        || Integer.parseInt(m.group(1)) != ports.udp()
        || Integer.parseInt(m.group(2)) != ports.http()
        || Integer.parseInt(m.group(3)) != ports.admin()
        || Integer.parseInt(m.group(4)) != ports.cluster()
        || !m.group(6).equals(clusterName)) {
      throw new AssertionError(name + " started on other ports or cluster: " + startLine);
    }
  }

  /** {@code GET /ready}: its status, or -1 when the admin listener does not answer. */
  int readyStatus() {
    try {
      return ADMIN.send(admin("/ready"), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** {@code GET /fleet}. */
  JsonObject fleet() throws IOException, InterruptedException {
    HttpResponse<String> r = ADMIN.send(admin("/fleet"), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(name + " /fleet answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** {@code GET /metrics}: the Prometheus text. */
  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = ADMIN.send(admin("/metrics"), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(name + " /metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /** The value of one sample of {@code /metrics} (name and labels as written), or NaN. */
  double metric(String sample) throws IOException, InterruptedException {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  private HttpRequest admin(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.admin() + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  /** SIGTERM: the node stops serving, hands its partitions over and exits 0. */
  void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** SIGKILL: gone at once, as a crashed machine is; the others promote their backups. */
  void kill9() throws IOException, InterruptedException {
    signal("KILL");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    int code = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start().waitFor();
    if (code != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " exited " + code);
    }
  }

  /** Its exit code once it ended within the time; an error (with its output's end) if not. */
  int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " still running after " + seconds + " s" + tail());
    }
    reader.join(5000);
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of its output, for a failure message. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\n--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return " (no log: " + e + ")";
    }
  }

  /** Ends the process if it still runs (kill -9) and waits for it: nothing outlives a test. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
