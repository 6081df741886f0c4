package io.swarmkeeper.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmkeeper.server.SwarmkeeperNode;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real BitTorrent clients move a 16 MiB file through swarmkeeper, the tracker being the only way
 * they can find each other: a libtorrent seeder, two libtorrent leechers and an aria2 leecher, over
 * the UDP tracker and over the HTTP tracker. Every leecher must end with identical bytes. A
 * subclass runs the tracker and says which of its addresses each client announces to.
 *
 * <p>The clients come from Debian (python3-libtorrent, aria2); .ci/run installs them. Without them
 * the suite is skipped, except under CI, where their absence fails it.
 */
abstract class RealClientTransferSuite {
  static final String PYTHON = "/usr/bin/python3";
  private static final Path SCRIPT = Path.of("src/test/python/transfer.py").toAbsolutePath();

  /** The leechers as transfer.py names them, in the order it hands out leecher trackers. */
  private static final List<String> LEECHERS = List.of("libtorrent-0", "libtorrent-1", "aria2");

  /** The leechers of a transfer without aria2. */
  private static final List<String> LIBTORRENT_LEECHERS = LEECHERS.subList(0, 2);

  @TempDir Path work;

  /** Where the clients announce: the seeder to one URL, the leechers in turn to the others. */
  record Trackers(String seeder, List<String> leechers) {
    Trackers {
      leechers = List.copyOf(leechers);
      if (leechers.isEmpty()) {
        throw new IllegalArgumentException("no leecher tracker");
      }
    }

    /** The tracker the leecher at this index announces to, as transfer.py hands them out. */
    String leecher(int index) {
      return leechers.get(index % leechers.size());
    }
  }

  /** What transfer.py ended with: its last JSON line, its exit code and all it printed. */
  record Transfer(JsonObject result, int exitCode, String output) {}

  /** The trackers for a transfer over "udp" or "http"; called after the tracker started. */
  abstract Trackers trackers(String protocol);

  /** Whether aria2 leeches too over "udp" or "http" (by default over both). */
  boolean aria2(String protocol) {
    return true;
  }

  /** More arguments for transfer.py (a registry to publish the torrent to); none by default. */
  List<String> transferArgs() {
    return List.of();
  }

  @BeforeAll
  static void requireClients() {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean clients =
        run(List.of(PYTHON, "-c", "import libtorrent"), 30) == 0
            && run(List.of("aria2c", "--version"), 30) == 0;
    if (ci && !clients) {
      throw new AssertionError("CI must install python3-libtorrent and aria2 (see .ci/run)");
    }
    assumeTrue(
        clients, "python3-libtorrent or aria2c missing: apt-get install python3-libtorrent aria2");
  }

  private static int run(List<String> command, int seconds) {
    Process p = null;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(seconds, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  /** The announce URL of a node's tracker for "udp" or "http". */
  static String announceUrl(SwarmkeeperNode node, String protocol) {
    return switch (protocol) {
      case "udp" -> "udp://127.0.0.1:" + node.udpPort() + "/announce";
      case "http" -> "http://127.0.0.1:" + node.httpPort() + "/announce";
      default -> throw new IllegalArgumentException("protocol " + protocol);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "http"})
  void libtorrentAndAria2LeechersGetTheSeededFile(String protocol) throws Exception {
    Trackers trackers = trackers(protocol);
    List<String> args = new ArrayList<>(List.of("--tracker", trackers.seeder()));
    for (String leecher : trackers.leechers()) {
      args.add("--leecher-tracker");
      args.add(leecher);
    }
    args.addAll(List.of("--size-mib", "16", "--libtorrent-leechers", "2", "--timeout", "150"));
    List<String> leechers = LIBTORRENT_LEECHERS;
    if (aria2(protocol)) {
      args.add("--aria2");
      leechers = LEECHERS;
    }
    args.addAll(transferArgs());
    Transfer transfer = transfer(args, 200);
    String out = transfer.output();
    System.out.println(
        getClass().getSimpleName() + " " + protocol + " transfer: " + transfer.result().encode());
    JsonObject results = transfer.result().getJsonObject("results");
    assertThat(results.fieldNames()).containsExactlyInAnyOrderElementsOf(leechers);
    for (int i = 0; i < leechers.size(); i++) {
      String client = leechers.get(i);
      JsonObject r = results.getJsonObject(client);
      assertThat(r.getString("tracker"))
          .as(client + " announced to")
          .isEqualTo(trackers.leecher(i));
      assertThat(r.getBoolean("identical")).as(client + " " + r.encode() + "\n" + out).isTrue();
      // seconds from the start to a complete copy; null when the client never finished
      assertThat(r.getDouble("seconds")).as(client + " finished").isBetween(0.0, 150.0);
    }
    assertThat(transfer.result().getBoolean("ok")).as(out).isTrue();
    assertThat(transfer.exitCode()).isZero();
    assertThat(new File(work.toFile(), "seed/payload.bin")).hasSize(16L << 20);
  }

  /**
   * Runs transfer.py with these arguments in this test's directory and waits for it. It and the
   * clients it started (aria2c) are killed at the end, also when it overran its time.
   */
  Transfer transfer(List<String> args, int waitSeconds) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
    command.addAll(args);
    command.addAll(List.of("--workdir", work.toString()));
    Path log = work.resolve("out.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(waitSeconds, TimeUnit.SECONDS)).as("transfer finished in time").isTrue();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    String jsonLine = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
    assertThat(jsonLine).as(out).isNotNull();
    return new Transfer(new JsonObject(jsonLine), p.exitValue(), out);
  }
}
