package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} over real sockets: what it counts moves by exactly what the test sent, the
 * text passes Prometheus's own checker ({@code promtool check metrics}, where installed) without a
 * complaint about our meters, and it is served on the admin listener instead of the tracker's port
 * when there is one.
 */
class MetricsEndpointTest {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([^ ]+)( [0-9]+)?$");

  private SwarmkeeperNode node;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void start(int adminPort) throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(2)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setAdmin(new AdminOptions().setHost("127.0.0.1").setPort(adminPort));
    node =
        SwarmkeeperNode.start(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample of the text, by its name and labels as written. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a sample line: %s", line).isTrue();
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(3)));
    }
    return samples;
  }

  private Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> r = get(port, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    promtoolAccepts(r.body());
    return parse(r.body());
  }

  private static void promtoolAccepts(String text) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      return; // .ci/run installs it; a developer machine may not have it
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("promtool check metrics").doesNotContain("error while linting");
    // Lint complaints name the metric first. Micrometer's own JVM meters draw two
    // (process_cpu_time_ns_total, system_cpu_count), kept under the names dashboards know; ours
    // must draw none.
    assertThat(out.lines())
        .as("promtool check metrics")
        .noneMatch(l -> l.startsWith("swarmkeeper"));
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    assertThat(after).as("a sample %s", key).containsKey(key);
    double was = before.getOrDefault(key, 0.0);
    return after.get(key) - (Double.isNaN(was) ? 0 : was); // NaN: not counted yet
  }

  private static String requests(String protocol, String action, String outcome) {
    return "swarmkeeper_requests_total{action=\""
        + action
        + "\",outcome=\""
        + outcome
        + "\",protocol=\""
        + protocol
        + "\"}";
  }

  private static byte[] hash(int n) {
    byte[] h = new byte[20];
    h[0] = (byte) n;
    h[19] = 42;
    return h;
  }

  private static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      sb.append('%').append(String.format("%02x", x & 0xFF));
    }
    return sb.toString();
  }

  @Test
  void countersHistogramsAndGaugesMoveByExactlyWhatWasSent() throws Exception {
    start(-1);
    int port = node.httpPort();
    Map<String, Double> before = scrape(port);
    try (UdpClient udp = new UdpClient(node.udpPort())) {
      for (int i = 0; i < 5; i++) {
        assertThat(udp.announceAction(hash(i % 3), 7000 + i, 100)).isEqualTo(1); // 3 swarms
      }
      udp.scrape(hash(0));
      udp.scrape(hash(1));
      assertThat(
              udp.exchange(
                  new UdpRequest.Announce(
                      udp.connectionId(),
                      9,
                      io.swarmkeeper.swarm.InfoHash.fromBytes(hash(0)),
                      "-SK0001-servertest00",
                      0,
                      1,
                      0,
                      2,
                      0,
                      0,
                      -1,
                      7100,
                      null)))
          .isInstanceOf(UdpResponse.Announced.class);
    }
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          get(
              port,
              "/announce?info_hash="
                  + escape(hash(5))
                  + "&peer_id="
                  + escape(new byte[20])
                  + "&port="
                  + (8000 + i)
                  + "&left=0&uploaded=0&downloaded=0");
      assertThat(r.statusCode()).isEqualTo(200);
    }
    HttpResponse<String> bad = get(port, "/announce?info_hash=short");
    assertThat(bad.body()).contains("failure reason");
    Map<String, Double> after = scrape(port);

    assertThat(delta(before, after, requests("udp", "connect", "ok"))).isEqualTo(1);
    assertThat(delta(before, after, requests("udp", "announce", "ok"))).isEqualTo(6);
    assertThat(delta(before, after, requests("udp", "scrape", "ok"))).isEqualTo(2);
    assertThat(delta(before, after, requests("http", "announce", "ok"))).isEqualTo(2);
    assertThat(delta(before, after, requests("http", "announce", "error"))).isEqualTo(1);
    assertThat(
            delta(
                before,
                after,
                "swarmkeeper_request_duration_seconds_count{action=\"announce\",protocol=\"udp\"}"))
        .isEqualTo(6);
    assertThat(
            delta(
                before,
                after,
                "swarmkeeper_request_duration_seconds_bucket{action=\"announce\",protocol=\"udp\",le=\"1.0\"}"))
        .isEqualTo(6);
    assertThat(
            delta(
                before,
                after,
                "swarmkeeper_request_duration_seconds_count{action=\"announce\",protocol=\"http\"}"))
        .isEqualTo(3);
    assertThat(delta(before, after, "swarmkeeper_swarms")).isEqualTo(4);
    assertThat(delta(before, after, "swarmkeeper_peers")).isEqualTo(8); // 5 + 1 udp, 2 http
    assertThat(after.get("swarmkeeper_announce_interval_seconds")).isEqualTo(1800);
    // The census follows at the end of the next sweep pass (every 100 ms for so small a store).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Map<String, Double> census = after;
    while (!(delta(before, census, "swarmkeeper_seeders") >= 2) // NaN until the first pass
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      census = scrape(port);
    }
    assertThat(delta(before, census, "swarmkeeper_peers_by_family{family=\"ipv4\"}")).isEqualTo(8);
    assertThat(delta(before, census, "swarmkeeper_peers_by_family{family=\"ipv6\"}")).isZero();
    assertThat(delta(before, census, "swarmkeeper_seeders")).isEqualTo(2); // the HTTP ones, left=0
    assertThat(delta(before, census, "swarmkeeper_leechers")).isEqualTo(6);
    assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\""));
    assertThat(after.keySet()).anyMatch(k -> k.startsWith("swarmkeeper_event_loop_lag_seconds"));
    assertThat(after).containsKey("swarmkeeper_udp_socket_drops_total");
    assertThat(delta(before, after, "swarmkeeper_http_rejected_total{reason=\"bad_requests\"}"))
        .isEqualTo(1);
  }

  @Test
  void withAnAdminListenerTheMetricsAreServedThereAndNotOnTheTrackerPort() throws Exception {
    start(0);
    assertThat(scrape(node.adminPort())).containsKey("swarmkeeper_swarms");
    assertThat(get(node.httpPort(), "/metrics").statusCode()).isEqualTo(404);
  }

  @Test
  void anH2cUpgradeRequestToTheAdminListenerIsAnsweredInHttp11() throws Exception {
    // Java's HttpClient asks to upgrade to h2c by default; the upgraded connection used to stall
    // a large answer (/metrics) until the idle timeout closed it.
    start(0);
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.adminPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("GET /metrics HTTP/1.1\r\nHost: node\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                      + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      byte[] head = new byte[12];
      int n = 0;
      while (n < head.length) {
        int r = s.getInputStream().read(head, n, head.length - n);
        assertThat(r).isPositive();
        n += r;
      }
      assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
    }
  }
}
