package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.testsupport.Eventually;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard over HTTP on a single node with the memory store and no admin listener (so on the
 * tracker's HTTP port), without a registry or a fleet: the page and its files, the stats with the
 * largest swarms, the stream, lookups, and refusals of anything but a GET.
 */
class DashboardEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private SwarmkeeperNode node;

  @BeforeEach
  void start() throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setSweepPeriodMillis(100)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0));
    node =
        SwarmkeeperNode.start(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAndItsFilesAreServedFromTheJarOnTheTrackersPort() throws Exception {
    for (String path : new String[] {"/", "/dashboard"}) {
      HttpResponse<String> page = send("GET", path);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("<title>swarmkeeper</title>", "dashboard/app.js");
    }
    HttpResponse<String> uplot = send("GET", "/dashboard/uplot.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot").hasSizeGreaterThan(20_000);
    assertThat(send("GET", "/dashboard/app.js").body()).contains("EventSource");
    assertThat(send("GET", "/dashboard/app.css").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/dashboard/../pom.xml").statusCode()).isEqualTo(404);
    // The tracker still answers what it did.
    assertThat(send("GET", "/health").body()).isEqualTo("ok\n");
  }

  @Test
  void statsCountTheSwarmsAndListTheLargestWithoutAFleetOrARegistry() throws Exception {
    byte[] big = HexFormat.of().parseHex("ab".repeat(20));
    byte[] small = HexFormat.of().parseHex("cd".repeat(20));
    try (UdpClient a = new UdpClient(node.udpPort(), "127.0.0.2");
        UdpClient b = new UdpClient(node.udpPort(), "127.0.0.3")) {
      assertThat(a.announceAction(big, 6881, 0)).isEqualTo(1);
      assertThat(b.announceAction(big, 6882, 100)).isEqualTo(1);
      assertThat(a.announceAction(small, 6883, 100)).isEqualTo(1);
    }
    Eventually.within(
        10_000,
        () -> {
          JsonObject s = stats("?history=false");
          return s.getJsonArray("largest_swarms").size() == 2
              && s.getJsonObject("now") != null
              && s.getJsonObject("now").getLong("peers") == 3;
        });
    JsonObject s = stats("?history=false");
    assertThat(s.containsKey("last_seconds")).isFalse();
    assertThat(s.getValue("fleet")).isNull();
    assertThat(s.getJsonObject("node").getString("store")).isEqualTo("memory");
    assertThat(s.getJsonObject("node").getBoolean("admin_listener")).isFalse();
    JsonObject first = s.getJsonArray("largest_swarms").getJsonObject(0);
    assertThat(first.getString("info_hash")).isEqualTo("ab".repeat(20));
    assertThat(first.getInteger("seeders")).isEqualTo(1);
    assertThat(first.getInteger("leechers")).isEqualTo(1);
    assertThat(first.getValue("name")).isNull();
    assertThat(s.getJsonObject("interval_policy").getString("explanation")).isNotBlank();
    assertThat(s.toString()).doesNotContain("127.0.0.2").doesNotContain("servertest");

    Eventually.within(5_000, () -> stats("").getJsonArray("last_seconds").size() >= 2);
    JsonObject swarm =
        new JsonObject(
            send("GET", "/api/v1/swarm?q=magnet:?xt%3Durn:btih:" + "AB".repeat(20)).body());
    assertThat(swarm.getInteger("seeders")).isEqualTo(1);
    assertThat(swarm.getInteger("leechers")).isEqualTo(1);
    assertThat(swarm.getValue("registered")).isNull();
  }

  @Test
  void theStreamSendsTheStatsEverySecond() throws Exception {
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + DashboardEndpoint.STREAM))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      int events = 0;
      long started = System.nanoTime();
      while (events < 3) {
        String line = in.readLine();
        assertThat(line).as("the stream ended").isNotNull();
        if (line.startsWith("data: ")) {
          JsonObject e = new JsonObject(line.substring(6));
          assertThat(e.getJsonObject("interval_policy").getInteger("seconds")).isPositive();
          events++;
        }
      }
      // The first at once, then one a second.
      assertThat(System.nanoTime() - started).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1500));
    }
  }

  @Test
  void itIsReadOnlyAndABadQueryIsToldWhatWasExpected() throws Exception {
    for (String path : new String[] {"/", DashboardEndpoint.STATS, DashboardEndpoint.SWARM}) {
      HttpResponse<String> post = send("POST", path);
      assertThat(post.statusCode()).as("POST " + path).isEqualTo(405);
    }
    HttpResponse<String> bad = send("GET", "/api/v1/swarm?q=12345");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("error"))
        .contains("not an info_hash", "40 hex digits");
    assertThat(send("GET", "/api/v1/swarm").statusCode()).isEqualTo(400);
    HttpResponse<String> head = send("HEAD", DashboardEndpoint.STREAM);
    assertThat(head.statusCode()).as("HEAD opens no stream").isEqualTo(200);
    assertThat(head.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
  }

  @Test
  void onThePublicPortAPrivateTrackerListsNoSwarmAndRefusesLookups() throws Exception {
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 60);
    store.announce(
        new AnnounceRequest(
            InfoHash.fromHex("ab".repeat(20)),
            PeerEndpoint.ipv4(0x0a000001, 6881),
            AnnounceEvent.STARTED,
            0,
            0));
    store.sweepAll();
    Vertx vertx = Vertx.vertx();
    try {
      AdaptiveIntervalPolicy policy =
          new AdaptiveIntervalPolicy(new IntervalOptions(), 1000, 60, () -> 0, Ticker.system());
      StatsRecorder recorder = new StatsRecorder(new SimpleMeterRegistry(), store, policy);
      for (boolean publicPort : new boolean[] {false, true}) {
        for (boolean privateTracker : new boolean[] {false, true}) {
          DashboardEndpoint d =
              new DashboardEndpoint(
                  vertx,
                  recorder,
                  store,
                  policy,
                  null,
                  null,
                  new JsonObject(),
                  publicPort,
                  privateTracker);
          int listed = d.current().getJsonArray("largest_swarms").size();
          assertThat(listed)
              .as("public port " + publicPort + ", private " + privateTracker)
              .isEqualTo(publicPort && privateTracker ? 0 : 1);
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private JsonObject stats(String query) {
    try {
      return new JsonObject(send("GET", DashboardEndpoint.STATS + query).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
