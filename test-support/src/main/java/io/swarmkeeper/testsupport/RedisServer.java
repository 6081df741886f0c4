package io.swarmkeeper.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for a test: Debian's {@code redis-server} (7.0; .ci/run installs it), started
 * on a free loopback port in a directory of its own, stopped and started again on the same port
 * when a test needs Redis to go away and come back. Without the binary a test is skipped, except
 * under CI, where its absence fails it.
 */
public final class RedisServer implements AutoCloseable {
  public static final String SERVER = "/usr/bin/redis-server";
  public static final String CLI = "/usr/bin/redis-cli";

  private final Path dir;
  private final int port;
  private final boolean persistent;
  private final List<String> extra;
  private final Path config;
  private Process process;

  private RedisServer(Path dir, int port, boolean persistent, List<String> extra, Path config) {
    this.dir = dir;
    this.port = port;
    this.persistent = persistent;
    this.extra = extra;
    this.config = config;
  }

  /** Skips the calling test where redis-server is missing; fails it under CI. */
  public static void assumeInstalled() {
    boolean installed = Files.isExecutable(Path.of(SERVER)) && Files.isExecutable(Path.of(CLI));
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install redis-server (see .ci/run)");
    }
    assumeTrue(installed, "redis-server missing: apt-get install redis-server");
  }

  /** A Redis that keeps nothing on disk. */
  public static RedisServer start(String... extraArgs) {
    return start(false, extraArgs);
  }

  /**
   * A Redis; a {@code persistent} one writes every change to its append-only file, so a stop and a
   * start keep the data (as an operator's would).
   */
  public static RedisServer start(boolean persistent, String... extraArgs) {
    return launch(persistent, null, extraArgs);
  }

  /**
   * A server reading {@code config} first (a Sentinel needs a config file it can rewrite), then the
   * usual options and {@code extraArgs}.
   */
  public static RedisServer startWithConfig(Path config, String... extraArgs) {
    return launch(false, config, extraArgs);
  }

  private static RedisServer launch(boolean persistent, Path config, String... extraArgs) {
    assumeInstalled();
    try {
      RedisServer r =
          new RedisServer(
              Files.createTempDirectory("redis-test"),
              freePort(),
              persistent,
              List.of(extraArgs),
              config);
      r.startProcess();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void startProcess() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(SERVER));
    if (config != null) {
      cmd.add(config.toString());
    }
    cmd.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir.toString(),
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            dir.resolve("redis.log").toString(),
            "--appendonly",
            persistent ? "yes" : "no",
            "--appendfsync",
            "always"));
    cmd.addAll(extra);
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        if (cli("PING").equals("PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      sleep(50);
    }
    throw new IllegalStateException("redis-server did not answer in 20 s: " + log());
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The server's log so far. */
  public String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Runs redis-cli against this server and answers its output, trimmed. */
  public String cli(String... args) {
    List<String> cmd = new ArrayList<>(List.of(CLI, "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server as an operator would (SIGTERM: a persistent one syncs its file first). */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the server again on the same port and directory. */
  public void restart() {
    stop();
    try {
      startProcess();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
