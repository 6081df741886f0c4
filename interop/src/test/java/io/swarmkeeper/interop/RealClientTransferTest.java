package io.swarmkeeper.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real BitTorrent clients move a 16 MiB file through a swarmkeeper node, the tracker being the only
 * way they can find each other: a libtorrent seeder, two libtorrent leechers and an aria2 leecher,
 * over the UDP tracker and over the HTTP tracker. Every leecher must end with identical bytes. The
 * clients come from Debian (python3-libtorrent, aria2); .ci/run installs them. Without them the
 * test is skipped, except under CI, where their absence fails it.
 */
class RealClientTransferTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static SwarmkeeperNode node;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean clients =
        run(List.of(PYTHON, "-c", "import libtorrent"), 30) == 0
            && run(List.of("aria2c", "--version"), 30) == 0;
    if (ci && !clients) {
      throw new AssertionError("CI must install python3-libtorrent and aria2 (see .ci/run)");
    }
    assumeTrue(
        clients, "python3-libtorrent or aria2c missing: apt-get install python3-libtorrent aria2");
    NodeOptions options =
        new NodeOptions()
            .setAnnounceIntervalSeconds(
                5) // a leecher that announced before the seeder retries soon
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int run(List<String> command, int seconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(seconds, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "http"})
  void libtorrentAndAria2LeechersGetTheSeededFile(String protocol) throws Exception {
    String tracker =
        protocol.equals("udp")
            ? "udp://127.0.0.1:" + node.udpPort() + "/announce"
            : "http://127.0.0.1:" + node.httpPort() + "/announce";
    Path script = Path.of("src/test/python/transfer.py").toAbsolutePath();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                PYTHON,
                script.toString(),
                "--tracker",
                tracker,
                "--workdir",
                work.toString(),
                "--size-mib",
                "16",
                "--libtorrent-leechers",
                "2",
                "--aria2",
                "--timeout",
                "150"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).as("transfer finished in time").isTrue();
    String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
    String jsonLine = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
    assertThat(jsonLine).as(out).isNotNull();
    JsonObject result = new JsonObject(jsonLine);
    System.out.println(protocol + " transfer: " + result.encode());
    JsonObject results = result.getJsonObject("results");
    assertThat(results.fieldNames())
        .containsExactlyInAnyOrder("libtorrent-0", "libtorrent-1", "aria2");
    for (String client : results.fieldNames()) {
      JsonObject r = results.getJsonObject(client);
      assertThat(r.getBoolean("identical")).as(client + " " + r.encode() + "\n" + out).isTrue();
      // seconds from the start to a complete copy; null when the client never finished
      assertThat(r.getDouble("seconds")).as(client + " finished").isBetween(0.0, 150.0);
    }
    assertThat(result.getBoolean("ok")).as(out).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(new File(work.toFile(), "seed/payload.bin")).hasSize(16L << 20);
  }

  /** The control: with no tracker to ask, the same clients find no peer and fetch nothing. */
  @org.junit.jupiter.api.Test
  void withoutATrackerNothingIsTransferred() throws Exception {
    Path script = Path.of("src/test/python/transfer.py").toAbsolutePath();
    int deadPort;
    try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
      deadPort = s.getLocalPort(); // closed again before the clients start: nobody answers there
    }
    Process p =
        new ProcessBuilder(
                PYTHON,
                script.toString(),
                "--tracker",
                "udp://127.0.0.1:" + deadPort + "/announce",
                "--workdir",
                work.toString(),
                "--size-mib",
                "1",
                "--libtorrent-leechers",
                "1",
                "--timeout",
                "10")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    JsonObject result =
        new JsonObject(
            out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    assertThat(result.getJsonObject("results").getJsonObject("libtorrent-0").getValue("seconds"))
        .isNull();
  }
}
