package io.swarmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.testsupport.Eventually;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's) scrapes a running node (the built distribution, Hazelcast store, a
 * fleet of one) with the shipped scrape job, k8s/monitoring/prometheus-scrape.yaml, and evaluates
 * the shipped alert rules; after real UDP and HTTP load, including a rate-limited burst and a
 * malformed datagram, every query of the Grafana dashboard (k8s/monitoring/grafana-dashboard.json)
 * returns data from it. Only the job's Kubernetes discovery is replaced: by a static target
 * carrying the labels Kubernetes discovery gives a tracker pod, so the job's relabelling runs as
 * shipped (a second target, the pod's tracker port, must be dropped by it), and the intervals are
 * shortened.
 */
class MonitoringTest {
  private static final Path K8S = Path.of(System.getProperty("user.dir"));
  private static final Path LAUNCHER = K8S.resolve("../server/target/swarmkeeper/bin/swarmkeeper");
  private static final String PROMETHEUS = "/usr/bin/prometheus";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String POD = "swarmkeeper-5d8c7b9f4-x2x7q";

  /** Substituted for Grafana's variables in the dashboard's queries. */
  private static final Map<String, String> VARIABLES =
      Map.of("$__rate_interval", "1m", "$instance", ".+");

  @TempDir static Path tmp;
  private static Process node;
  private static Process prometheus;
  private static int trackerPort;
  private static int adminPort;
  private static int prometheusPort;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startNodeAndPrometheus() throws Exception {
    boolean installed = Files.isExecutable(Path.of(PROMETHEUS));
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install prometheus (see .ci/run)");
    }
    assumeTrue(installed, "prometheus missing: apt-get install prometheus");
    assertThat(LAUNCHER).as("the server's distribution (mvn package)").isExecutable();
    trackerPort = TrackerCalls.freePort();
    adminPort = TrackerCalls.freePort();
    prometheusPort = TrackerCalls.freePort();
    node =
        new ProcessBuilder(
                LAUNCHER.toString(),
                "--store=hazelcast",
                "--cluster-name=monitoring-test-" + ProcessHandle.current().pid(),
                "--cluster-host=127.0.0.1",
                "--cluster-port=" + TrackerCalls.freePort(),
                "--host=127.0.0.1",
                "--udp-port=" + trackerPort,
                "--http-port=" + trackerPort,
                "--admin-port=" + adminPort,
                "--event-loops=1",
                // A burst of 10 per address, so the test's flood from one address is rate-limited.
                "--set=rate-limit.exempt-loopback=false",
                "--set=rate-limit.requests-per-second=5",
                "--set=rate-limit.burst=10")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("node.log").toFile())
            .start();
    Eventually.within(60_000, () -> status("http://127.0.0.1:" + adminPort + "/ready") == 200);

    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, JSON.writeValueAsString(prometheusConfig()));
    prometheus =
        new ProcessBuilder(
                PROMETHEUS,
                "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();
    Eventually.within(
        60_000, () -> status("http://127.0.0.1:" + prometheusPort + "/-/ready") == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : new Process[] {prometheus, node}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** The shipped scrape job, its discovery replaced by static targets with a pod's labels. */
  private static ObjectNode prometheusConfig() throws Exception {
    JsonNode shipped = YAML.readTree(K8S.resolve("monitoring/prometheus-scrape.yaml").toFile());
    ObjectNode job = (ObjectNode) shipped.get("scrape_configs").get(0).deepCopy();
    assertThat(job.get("job_name").asText()).isEqualTo("swarmkeeper");
    assertThat(job.remove("kubernetes_sd_configs")).isNotEmpty();
    job.put("scrape_interval", "1s").put("scrape_timeout", "1s");
    ArrayNode targets = job.putArray("static_configs");
    targets.add(pod("127.0.0.1:" + adminPort, "admin"));
    targets.add(pod("127.0.0.1:" + trackerPort, "tracker-http")); // not /metrics: dropped
    ObjectNode config = JSON.createObjectNode();
    config.putObject("global").put("scrape_interval", "1s").put("evaluation_interval", "1s");
    config.putArray("rule_files").add(K8S.resolve("monitoring/alerts.rules.yaml").toString());
    config.putArray("scrape_configs").add(job);
    return config;
  }

  private static ObjectNode pod(String address, String portName) {
    ObjectNode target = JSON.createObjectNode();
    target.putArray("targets").add(address);
    target
        .putObject("labels")
        .put("__meta_kubernetes_namespace", "swarmkeeper")
        .put("__meta_kubernetes_pod_name", POD)
        .put("__meta_kubernetes_pod_node_name", "node-a")
        .put("__meta_kubernetes_pod_label_app_kubernetes_io_name", "swarmkeeper")
        .put("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true")
        .put("__meta_kubernetes_pod_container_port_name", portName);
    return target;
  }

  @Test
  void theShippedJobScrapesTheNodeAndTheAlertRulesEvaluateOnItsSeries() throws Exception {
    Eventually.within(30_000, () -> !query("up{job=\"swarmkeeper\"} == 1").isEmpty());
    JsonNode up = query("up{job=\"swarmkeeper\"}");
    assertThat(up).as("only the admin port is a target").hasSize(1);
    JsonNode labels = up.get(0).get("metric");
    assertThat(labels.get("namespace").asText()).isEqualTo("swarmkeeper");
    assertThat(labels.get("pod").asText()).isEqualTo(POD);
    assertThat(labels.get("node").asText()).isEqualTo("node-a");
    assertThat(labels.get("instance").asText()).isEqualTo("127.0.0.1:" + adminPort);

    JsonNode groups = api("/api/v1/rules").get("data").get("groups");
    List<String> healthy = new ArrayList<>();
    groups.forEach(
        g ->
            g.get("rules")
                .forEach(
                    r -> {
                      if ("ok".equals(r.get("health").asText())) {
                        healthy.add(r.get("name").asText());
                      }
                    }));
    Eventually.within(10_000, () -> alertState("SwarmkeeperFleetMembersBelowExpected") != null);
    assertThat(healthy).hasSize(8);
    // A fleet of one is below the 3 the rule expects: the rule sees the node's series.
    assertThat(alertState("SwarmkeeperFleetMembersBelowExpected")).isEqualTo("pending");
    assertThat(alertState("SwarmkeeperDown")).isNull();
  }

  @Test
  void everyQueryOfTheGrafanaDashboardReturnsDataAfterLoad() throws Exception {
    JsonNode dashboard = JSON.readTree(K8S.resolve("monitoring/grafana-dashboard.json").toFile());
    Map<String, String> queries = new TreeMap<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.get("title").asText()).isNotBlank();
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            panel.get("title").asText() + " / " + target.get("legendFormat").asText(),
            target.get("expr").asText());
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
    String instances = dashboard.get("templating").get("list").get(1).get("definition").asText();
    assertThat(instances).startsWith("label_values(");
    queries.put(
        "variable instance",
        instances.substring("label_values(".length(), instances.lastIndexOf(',')));

    Eventually.within(30_000, () -> !query("up{job=\"swarmkeeper\"} == 1").isEmpty());
    load();
    // The node's census and the interval policy publish every few seconds; Prometheus scrapes
    // every second: wait for the load to show in both.
    Eventually.within(
        30_000,
        () ->
            !query("max(swarmkeeper_peers{job=\"swarmkeeper\"}) > 0").isEmpty()
                && !query("sum(rate(swarmkeeper_requests_total{outcome=\"rate_limited\"}[1m])) > 0")
                    .isEmpty());

    Map<String, String> empty = new TreeMap<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      String expr = q.getValue();
      for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
        expr = expr.replace(v.getKey(), v.getValue());
      }
      assertThat(expr).as(q.getKey()).doesNotContain("$");
      JsonNode result = query(expr);
      boolean number = false;
      for (JsonNode series : result) {
        String value = series.get("value").get(1).asText();
        number |= !value.equals("NaN");
      }
      if (!number) {
        empty.put(q.getKey(), expr);
      }
    }
    assertThat(empty).as("dashboard queries without a number").isEmpty();
  }

  /**
   * Announces and scrapes over UDP and HTTP from several addresses (seeders and leechers of 20
   * torrents), a burst from one address past its rate limit, and a datagram too short to read.
   */
  private static void load() throws Exception {
    InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", trackerPort);
    for (int source = 2; source <= 5; source++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0." + source, 0))) {
        udp.setSoTimeout(2000);
        long id =
            ((UdpResponse.Connected) TrackerCalls.exchange(udp, tracker, new UdpRequest.Connect(1)))
                .connectionId();
        for (int t = 0; t < 4; t++) {
          byte[] hash = new byte[20];
          hash[0] = (byte) t;
          UdpResponse r =
              TrackerCalls.exchange(
                  udp,
                  tracker,
                  new UdpRequest.Announce(
                      id,
                      2,
                      InfoHash.fromBytes(hash),
                      "-SK0001-monitor" + source + "0000",
                      0,
                      source % 2 == 0 ? 0 : 1000,
                      0,
                      2,
                      0,
                      source,
                      50,
                      6881 + t,
                      null));
          assertThat(r).isInstanceOf(UdpResponse.Announced.class);
        }
      }
    }
    byte[] hash = new byte[20];
    HttpResponse<byte[]> announce =
        TrackerCalls.httpAnnounce(HTTP, trackerPort, hash, "-SK0001-monitorhttp1", 7000, 5);
    assertThat(new String(announce.body(), StandardCharsets.ISO_8859_1)).contains("8:intervali");
    HttpResponse<String> scrape =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + trackerPort
                            + "/scrape?info_hash="
                            + "%00".repeat(20)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);

    // One address, 40 connects at once: past the burst of 10, the rest are rate-limited.
    int answered = 0;
    try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress("127.0.0.9", 0))) {
      flood.setSoTimeout(300);
      for (int i = 0; i < 40; i++) {
        TrackerCalls.send(flood, tracker, new UdpRequest.Connect(100 + i));
      }
      TrackerCalls.send(flood, tracker, null); // too short: dropped, counted
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      try {
        while (true) {
          flood.receive(p);
          answered++;
        }
      } catch (SocketTimeoutException done) {
        // every answer read
      }
    }
    assertThat(answered).as("connects answered within the burst").isBetween(1, 39);
  }

  private static String alertState(String name) {
    JsonNode alerts;
    try {
      alerts = api("/api/v1/alerts").get("data").get("alerts");
    } catch (Exception e) {
      throw new AssertionError("/api/v1/alerts", e);
    }
    for (JsonNode a : alerts) {
      if (name.equals(a.get("labels").get("alertname").asText())) {
        return a.get("state").asText();
      }
    }
    return null;
  }

  private static JsonNode query(String expr) {
    try {
      JsonNode body = api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
      assertThat(body.get("status").asText()).as(expr + ": " + body).isEqualTo("success");
      return body.get("data").get("result");
    } catch (Exception e) {
      throw new AssertionError(expr, e);
    }
  }

  private static JsonNode api(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception notYet) {
      return -1;
    }
  }
}
