package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a whitelist node: torrents it has seen keep being answered from its
 * cache, others are refused with an error rather than a hang or a crash, and once PostgreSQL is
 * back the node follows publishes and deletes again by itself (the listener reconnects). Under a
 * private node, keys it has seen keep working too.
 */
class RegistryOutageTest {
  @Test
  void aWhitelistNodeKeepsAnsweringKnownTorrentsWhilePostgresIsDownAndRecovers() throws Exception {
    Path data = Files.createTempDirectory("registry-outage");
    EmbeddedPostgres postgres = database(data, 0);
    int port = postgres.getPort();
    String url = "postgres://postgres:postgres@127.0.0.1:" + port + "/postgres";
    SwarmkeeperNode node =
        SwarmkeeperNode.start(
                RegistryPair.options(url, "whitelist"),
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    try {
      byte[] known = RegistryNodeTest.torrent("known.bin", 20_000, (byte) 7);
      byte[] later = RegistryNodeTest.torrent("later.bin", 20_000, (byte) 8);
      assertThat(WhitelistNodeTest.api(node, "POST", "/api/v1/torrents", known)).isEqualTo(201);
      assertThat(WhitelistNodeTest.udpAnnounce(node, WhitelistNodeTest.hash(known)))
          .isEqualTo("announced");

      postgres.close();
      assertThat(WhitelistNodeTest.udpAnnounce(node, WhitelistNodeTest.hash(known)))
          .isEqualTo("announced");
      assertThat(WhitelistNodeTest.httpAnnounce(node, WhitelistNodeTest.hash(known)))
          .isEqualTo("announced");
      // Unknown while the database is away: an error answer, not a hang.
      assertThat(WhitelistNodeTest.udpAnnounce(node, WhitelistNodeTest.hash(later)))
          .startsWith("error: ");
      assertThat(node.failure()).isNull();
      // Still ready (it serves), and says what is missing; the gauge says it too.
      WhitelistNodeTest.within(5_000, () -> node.degraded() != null);
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .isEqualTo(
              "ready; the registry database is unreachable (torrents already known are"
                  + " served)\n");
      assertThat(metric(node, "swarmkeeper_registry_up")).isEqualTo("0.0");

      postgres = database(data, port);
      // The API works again on the same pool, and the listener is back: a publish is followed.
      WhitelistNodeTest.within(
          20_000,
          () -> {
            try {
              return WhitelistNodeTest.api(node, "POST", "/api/v1/torrents", later) == 201;
            } catch (Exception e) {
              return false;
            }
          });
      WhitelistNodeTest.within(
          20_000, WhitelistNodeTest.udpSays(node, WhitelistNodeTest.hash(later), "announced"));
      WhitelistNodeTest.within(5_000, () -> node.degraded() == null);
      assertThat(metric(node, "swarmkeeper_registry_up")).isEqualTo("1.0");
      assertThat(
              WhitelistNodeTest.api(
                  node, "DELETE", "/api/v1/torrents/" + RegistryNodeTest.infoHash(known), null))
          .isEqualTo(204);
      WhitelistNodeTest.within(
          5_000,
          WhitelistNodeTest.udpSays(
              node, WhitelistNodeTest.hash(known), "error: unregistered torrent"));
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      postgres.close();
    }
  }

  @Test
  void aPrivateNodeKeepsAnsweringKnownKeysWhilePostgresIsDown() throws Exception {
    Path data = Files.createTempDirectory("registry-outage-private");
    EmbeddedPostgres postgres = database(data, 0);
    String url = "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    SwarmkeeperNode node =
        SwarmkeeperNode.start(
                RegistryPair.options(url, "private"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    try {
      byte[] file = RegistryNodeTest.torrent("private-outage.bin", 20_000, (byte) 11);
      assertThat(WhitelistNodeTest.api(node, "POST", "/api/v1/torrents", file)).isEqualTo(201);
      byte[] h = WhitelistNodeTest.hash(file);
      String known = PrivateNodeTest.passkey(node, null);
      String later = PrivateNodeTest.passkey(node, null); // issued, never used before the outage
      assertThat(PrivateNodeTest.both(node, h, "/" + known)).isEqualTo("announced | announced");

      postgres.close();
      assertThat(PrivateNodeTest.both(node, h, "/" + known)).isEqualTo("announced | announced");
      // A key the node has not seen cannot be checked: an error answer, never peers, no hang.
      assertThat(PrivateNodeTest.udp(node, h, "/" + later + "/announce")).startsWith("error: ");
      assertThat(PrivateNodeTest.http(node, h, "/" + later)).startsWith("error: ");
      assertThat(node.failure()).isNull();
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      postgres.close();
    }
  }

  static final HttpClient http = HttpClient.newHttpClient();

  /** One sample's value from the node's /metrics. */
  static String metric(SwarmkeeperNode node, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  /** A PostgreSQL on {@code data} (kept across restarts), on {@code port} or a free one (0). */
  static EmbeddedPostgres database(Path data, int port) throws Exception {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false);
    if (port > 0) {
      b.setPort(port);
    }
    return b.start();
  }
}
