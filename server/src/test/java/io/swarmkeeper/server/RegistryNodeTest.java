package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node with {@code --database}: the registry's API on the admin port, or on the HTTP port. */
class RegistryNodeTest {
  static final String TOKEN = "0123456789abcdef0123";
  static EmbeddedPostgres postgres;
  static String url;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startDatabase() throws Exception {
    postgres = EmbeddedPostgres.start();
    url = "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    postgres.close();
  }

  static NodeOptions options(int adminPort, int httpPort, String databaseUrl) {
    return new NodeOptions()
        .setEventLoops(1)
        .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
        .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(httpPort))
        .setAdmin(new AdminOptions().setPort(adminPort))
        .setDatabase(new DatabaseOptions().setUrl(databaseUrl))
        .setApi(new ApiOptions().setToken(TOKEN));
  }

  static SwarmkeeperNode start(NodeOptions options) throws Exception {
    return SwarmkeeperNode.start(options, new SimpleMeterRegistry())
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  /** A valid single-file v1 torrent of {@code size} bytes of {@code fill}, made by hand. */
  static byte[] torrent(String name, int size, byte fill) throws Exception {
    byte[] data = new byte[size];
    java.util.Arrays.fill(data, fill);
    int pieceLength = 16384;
    java.io.ByteArrayOutputStream pieces = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < size; at += pieceLength) {
      pieces.writeBytes(
          MessageDigest.getInstance("SHA-1")
              .digest(java.util.Arrays.copyOfRange(data, at, Math.min(size, at + pieceLength))));
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("length", (long) size);
    info.put("name", name);
    info.put("piece length", (long) pieceLength);
    info.put("pieces", pieces.toByteArray());
    return Bencode.encode(Map.of("announce", "udp://127.0.0.1:6969/announce", "info", info));
  }

  static String infoHash(byte[] torrent) throws Exception {
    int[] span = Bencode.valueSpan(torrent, "info");
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-1")
                .digest(java.util.Arrays.copyOfRange(torrent, span[0], span[1])));
  }

  /** A request to a node's port; with {@code token} as the bearer token when not null. */
  static HttpResponse<String> send(int port, String method, String path, byte[] body, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/x-bittorrent");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheApiOnTheAdminPortWithMagnetLinksNamingThisNode() throws Exception {
    SwarmkeeperNode node = start(options(0, -1, url));
    try {
      byte[] file = torrent("admin-port.bin", 40_000, (byte) 1);
      HttpResponse<String> created =
          send(node.adminPort(), "POST", "/api/v1/torrents", file, TOKEN);
      assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
      JsonObject record = new JsonObject(created.body());
      assertThat(record.getString("info_hash")).isEqualTo(infoHash(file));
      assertThat(record.getInteger("pieces")).isEqualTo(3);
      assertThat(record.getString("magnet"))
          .contains("&tr=udp%3A%2F%2F127.0.0.1%3A" + node.udpPort() + "%2Fannounce");
      HttpResponse<String> got =
          send(node.adminPort(), "GET", "/api/v1/torrents/" + infoHash(file), null, null);
      assertThat(new JsonObject(got.body()).getInteger("seeders")).isZero();
      assertThat(send(node.adminPort(), "POST", "/api/v1/torrents", file, null).statusCode())
          .isEqualTo(401);
      // The admin port's own paths are still there.
      assertThat(send(node.adminPort(), "GET", "/health", null, null).body()).isEqualTo("ok\n");
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesTheApiOnTheTrackersHttpPortWithoutAnAdminListener() throws Exception {
    SwarmkeeperNode node = start(options(-1, 0, url));
    try {
      byte[] file = torrent("http-port.bin", 20_000, (byte) 2);
      HttpResponse<String> created = send(node.httpPort(), "POST", "/api/v1/torrents", file, TOKEN);
      assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
      HttpResponse<byte[]> bytes =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + node.httpPort()
                              + "/api/v1/torrents/"
                              + infoHash(file)
                              + "/torrent"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(bytes.body()).isEqualTo(file);
      HttpResponse<String> deleted =
          send(node.httpPort(), "DELETE", "/api/v1/torrents/" + infoHash(file), null, TOKEN);
      assertThat(deleted.statusCode()).isEqualTo(204);
      // Announces on the same port are untouched.
      assertThat(send(node.httpPort(), "GET", "/announce", null, null).body())
          .contains("failure reason");
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutADatabaseTheApiSaysHowToTurnItOn() throws Exception {
    SwarmkeeperNode node = start(options(0, -1, ""));
    try {
      HttpResponse<String> r = send(node.adminPort(), "GET", "/api/v1/torrents", null, null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(r.body()).getString("error"))
          .isEqualTo(
              "no torrent registry on this node: start it with --database"
                  + " postgres://USER:PASS@HOST:PORT/DB");
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDatabaseThatCannotBeReachedFailsTheStartNamingIt() {
    String unreachable = "postgres://swarm:hunter2@127.0.0.1:1/registry";
    assertThatThrownBy(() -> start(options(0, -1, unreachable)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageStartingWith(
            "cannot open the registry database postgres://swarm:***@127.0.0.1:1/registry: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aBadDatabaseUrlIsAConfigErrorNamingTheKey() {
    assertThatThrownBy(() -> new DatabaseOptions().setUrl("mysql://u:p@h/db"))
        .hasMessage(
            "database.url must be postgres://USER:PASS@HOST:PORT/DB, got mysql://u:***@h/db");
    assertThatThrownBy(() -> new ApiOptions().setToken("short"))
        .hasMessage("api.token must be at least 16 characters, got 5");
  }
}
