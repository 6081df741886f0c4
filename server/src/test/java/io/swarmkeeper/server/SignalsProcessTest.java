package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP reloads and keeps every swarm; SIGTERM twice stops once, quietly. */
class SignalsProcessTest {
  private static final byte[] HASH = new byte[20];

  static {
    HASH[0] = 42;
  }

  @TempDir Path dir;

  @Test
  void sighupKeepsEverySwarmAndAppliesChangedLimits() throws Exception {
    Path config = dir.resolve("swarmkeeper.yaml");
    Files.writeString(config, "limits:\n  max-swarms: 1000\n");
    try (NodeProcess p =
        NodeProcess.launch(
            "--config",
            config.toString(),
            "--host",
            "127.0.0.1",
            "--udp-port",
            "0",
            "--http-port",
            "-1")) {
      int port = p.awaitUdpPort();
      try (UdpClient c = new UdpClient(port)) {
        assertThat(c.announceAction(HASH, 7001, 100)).isEqualTo(1);

        Files.writeString(config, "limits:\n  max-swarms: 1\nlog-level: debug\n");
        p.signal("HUP");
        assertThat(
                p.await(
                    Pattern.compile(
                        "reloaded the config: \\[log-level: info -> debug,"
                            + " limits.max-swarms: 1000 -> 1]"),
                    20))
            .as("the reload says what changed; output:\n%s", p.output())
            .isNotNull();
        assertThat(p.isAlive()).isTrue();
        assertThat(c.scrape(HASH)).as("seeders, leechers").containsExactly(0, 1);

        Files.writeString(config, "limits:\n  max-swarms: many\n");
        p.signal("HUP");
        assertThat(
                p.await(
                    Pattern.compile(
                        "reload refused, the running config stays: limits.max-swarms must be a"
                            + " whole number, got 'many'"),
                    20))
            .isNotNull();
        assertThat(c.scrape(HASH)).containsExactly(0, 1);
      }
      p.signal("TERM");
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
  }

  @Test
  void aRepeatedSigtermIsQuiet() throws Exception {
    try (NodeProcess p =
        NodeProcess.launch(
            "--host", "127.0.0.1", "--udp-port", "0", "--http-port", "0", "--event-loops", "2")) {
      p.awaitUdpPort();
      // Before the fix each signal closed the node again: "unclean stop ... Already undeployed"
      // (a race, so the old code failed this in about half of the runs).
      p.signalBurst("TERM", "INT", "TERM", "INT");
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(p.output())
          .contains("stopped")
          .doesNotContain("ERROR")
          .doesNotContain("unclean stop")
          .doesNotContain("undeployed")
          .doesNotContain("\tat ");
    }
  }
}
