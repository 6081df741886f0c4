package io.swarmkeeper.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.AccessOptions;
import io.swarmkeeper.server.AdminOptions;
import io.swarmkeeper.server.ApiOptions;
import io.swarmkeeper.server.DatabaseOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real clients through a private tracker: a node in private mode on a real PostgreSQL
 * (embedded), the torrent published to its registry first, every client announcing with its own
 * passkey in the tracker URL: {@code http://HOST:PORT/PASSKEY/announce}, and over UDP {@code
 * udp://HOST:PORT/PASSKEY/announce}, whose path the clients send as BEP 41 URL data. The seeder and
 * the leechers hold different keys. With a key the tracker never issued, a leecher is refused and
 * finds no one.
 */
class RealClientPrivateTransferTest extends RealClientTransferSuite {
  private static final String TOKEN = "private-transfer-test-token";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static EmbeddedPostgres postgres;
  static SwarmkeeperNode node;
  static String seederKey;
  static String leecherKey;

  @BeforeAll
  static void startNode() throws Exception {
    postgres = EmbeddedPostgres.start();
    NodeOptions options =
        new NodeOptions()
            .setAnnounceIntervalSeconds(5) // a leecher that announced before the seeder retries
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setAdmin(new AdminOptions().setHost("127.0.0.1").setPort(0))
            .setDatabase(
                new DatabaseOptions()
                    .setUrl(
                        "postgres://postgres:postgres@127.0.0.1:"
                            + postgres.getPort()
                            + "/postgres"))
            .setApi(new ApiOptions().setToken(TOKEN))
            .setAccess(new AccessOptions().setMode("private"));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    seederKey = passkey("seeder");
    leecherKey = passkey("leechers");
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A passkey made through the node's API. */
  private static String passkey(String name) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api("/passkeys")))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("name", name).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("passkey");
  }

  private static double refusedUdp() {
    return node.registry()
        .get("swarmkeeper.udp.rejected")
        .tag("reason", "refused_access")
        .counter()
        .count();
  }

  private static String api(String path) {
    return "http://127.0.0.1:" + node.adminPort() + "/api/v1" + path;
  }

  /** The private announce URL of the node for "udp" or "http" with this key. */
  private static String url(String protocol, String key) {
    int port = protocol.equals("udp") ? node.udpPort() : node.httpPort();
    return protocol + "://127.0.0.1:" + port + "/" + key + "/announce";
  }

  @Override
  Trackers trackers(String protocol) {
    return new Trackers(url(protocol, seederKey), List.of(url(protocol, leecherKey)));
  }

  /**
   * aria2 (1.36, Debian's) sends no BEP 41 URL data to a UDP tracker, so it cannot carry a passkey
   * there: a private tracker refuses it ("private tracker: announce with your passkey"). Seen on
   * the wire: its announce to udp://HOST:PORT/KEY/announce is 100 bytes, BEP 15's 98 and two zero
   * bytes, no URL data. Over HTTP it leeches with the others.
   */
  @Override
  boolean aria2(String protocol) {
    return protocol.equals("http");
  }

  @Override
  List<String> transferArgs() {
    return List.of("--publish", api("/torrents"), "--token", TOKEN);
  }

  /** The control: the seeder holds a good key, the leecher one never issued; nothing moves. */
  @ParameterizedTest
  @ValueSource(strings = {"udp", "http"})
  void aLeecherWithAWrongPasskeyFindsNoOne(String protocol) throws Exception {
    double refusedBefore = refusedUdp();
    Transfer transfer =
        transfer(
            List.of(
                "--tracker",
                url(protocol, seederKey),
                "--leecher-tracker",
                url(protocol, "0123456789abcdef0123456789abcdef"),
                "--size-mib",
                "1",
                "--libtorrent-leechers",
                "1",
                "--timeout",
                "12",
                "--publish",
                api("/torrents"),
                "--token",
                TOKEN),
            60);
    assertThat(transfer.exitCode()).as(transfer.output()).isEqualTo(1);
    JsonObject leecher = transfer.result().getJsonObject("results").getJsonObject("libtorrent-0");
    assertThat(leecher.getValue("seconds")).as(transfer.output()).isNull();
    assertThat(leecher.getBoolean("identical")).isFalse();
    // What libtorrent was told: the tracker's refusal, not a timeout. Over UDP libtorrent 2.0
    // reports the error packet without its text; the node's count of access refusals says why.
    String errors = transfer.result().getJsonArray("tracker_errors").encode();
    assertThat(errors).as(transfer.output()).contains("tracker sent a failure message");
    if (protocol.equals("http")) {
      assertThat(errors).contains("invalid passkey");
    } else {
      assertThat(refusedUdp() - refusedBefore).as("UDP announces refused").isPositive();
    }
  }
}
