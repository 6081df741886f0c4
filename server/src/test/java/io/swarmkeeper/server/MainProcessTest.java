package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real command line in its own JVM: start, serve, stop on SIGTERM with exit 0. */
class MainProcessTest {
  @TempDir Path dir;

  @Test
  void startsServesAndStopsCleanlyOnSigterm() throws Exception {
    try (NodeProcess p =
        NodeProcess.launch(
            "--udp-port", "0", "--http-port", "0", "--host", "127.0.0.1", "--event-loops", "2")) {
      Matcher start =
          p.await(
              Pattern.compile(
                  "listening on udp 127\\.0\\.0\\.1:(\\d+).*http 127\\.0\\.0\\.1:(\\d+)"),
              30);
      assertThat(start).as("the start line names the UDP and HTTP addresses").isNotNull();
      int port = Integer.parseInt(start.group(1));
      int httpPort = Integer.parseInt(start.group(2));
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      try (UdpClient c = new UdpClient(port)) {
        assertThat(c.scrape(new byte[20])).containsExactly(0, 0);
      }

      p.signal("TERM");
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(p.output()).contains("stopped");
    }
  }

  @Test
  void helpListsEveryFlag() throws Exception {
    try (NodeProcess p = NodeProcess.launch("--help")) {
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(p.output())
          .contains(
              "--udp-port",
              "--http-port",
              "--host",
              "--config",
              "--event-loops",
              "--interval",
              "--udp-transport",
              "--admin-port",
              "--set",
              "--print-default-config");
    }
  }

  /** Each bad value, from a flag, --set or the environment: exit 2 and one line saying why. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--set udp.port=99999 | udp.port must be 0..65535",
        "--udp-port abc | Invalid value for option '--udp-port': 'abc' is not an int",
        "--admin-port 1.5 | Invalid value for option '--admin-port': '1.5' is not an int",
        "--udp-transport fast | udp.transport must be one of auto, epoll, vertx, got 'fast'",
        "--set udp.port=4294973265 | udp.port must be a whole number of at most 2147483647,"
            + " got 4294973265",
        "--set limits.max-swarms=-1 | limits.max-swarms must be >= 0 (0 for no limit), got -1",
        "--set log-level=loud | log-level must be one of error, warn, info, debug, trace,"
            + " got 'loud'",
        "--interval 600 --set interval.max-seconds=300 | interval.max-seconds (300) must not be"
            + " below interval.min-seconds (600)",
        "--set rate-limit.burst=0 | rate-limit.burst must be 1..100000000, got 0",
        "--set interval.jitter-percent=50 | interval.jitter-percent must be 0..20, got 50",
      })
  void badOptionExitsWithAMessage(String args, String message) throws Exception {
    try (NodeProcess p = NodeProcess.launch(args.trim().split(" "))) {
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(p.output()).contains(message).doesNotContain("Exception");
    }
  }

  @Test
  void printedDefaultConfigLoadsBackToTheDefaults() throws Exception {
    try (NodeProcess p = NodeProcess.launch("--print-default-config")) {
      assertThat(p.waitFor(20)).isTrue();
      assertThat(p.exitValue()).isZero();
      for (String name : new String[] {"default.json", "default.yaml"}) {
        Path file = dir.resolve(name);
        Files.writeString(file, p.output(), StandardCharsets.UTF_8);
        NodeOptions loaded = ConfigLoader.load(file, Map.of(), Map.of());
        assertThat(loaded.toJson()).isEqualTo(new NodeOptions().toJson());
      }
    }
  }
}
