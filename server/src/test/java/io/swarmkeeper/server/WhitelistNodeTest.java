package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.udp.UdpResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whitelist mode over a real PostgreSQL, two nodes on one database: only registered torrents are
 * tracked, over UDP and HTTP, and a publish or delete on one node takes effect on the other within
 * a second (LISTEN/NOTIFY), cached answers included.
 */
class WhitelistNodeTest {
  static final String TOKEN = RegistryNodeTest.TOKEN;
  static RegistryPair nodes;
  static SwarmkeeperNode a;
  static SwarmkeeperNode b;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    nodes = RegistryPair.start("whitelist");
    a = nodes.a();
    b = nodes.b();
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** A registry API request to the node's admin port with the token; answers the status. */
  static int api(SwarmkeeperNode node, String method, String path, byte[] body) throws Exception {
    return RegistryNodeTest.send(node.adminPort(), method, path, body, TOKEN).statusCode();
  }

  /** The UDP answer to an announce of {@code hash}: peers' count, or the error's message. */
  static String udpAnnounce(SwarmkeeperNode node, byte[] hash) throws Exception {
    try (UdpClient client = new UdpClient(node.udpPort())) {
      UdpResponse r = client.announceAnswer(hash, 6881, 0);
      if (r instanceof UdpResponse.TrackerError e) {
        return "error: " + e.message();
      }
      return "announced";
    }
  }

  /** The HTTP answer to an announce: its failure reason, or "announced". */
  static String httpAnnounce(SwarmkeeperNode node, byte[] hash) throws Exception {
    return httpAsk(
        node,
        "/announce?info_hash="
            + escaped(hash)
            + "&peer_id=-SK0001-whitelist000&port=6882"
            + "&left=0&compact=1");
  }

  /** A hash as a query value: every byte %-escaped. */
  static String escaped(byte[] hash) {
    StringBuilder q = new StringBuilder();
    for (byte x : hash) {
      q.append('%').append(String.format("%02x", x));
    }
    return q.toString();
  }

  /** The answer to a GET of {@code pathAndQuery} on the tracker: its failure reason, or "ok". */
  @SuppressWarnings("unchecked")
  static String httpAsk(SwarmkeeperNode node, String pathAndQuery) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + pathAndQuery))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Map<String, Object> d = (Map<String, Object>) Bencode.decode(r.body());
    Object failure = d.get("failure reason");
    return failure == null
        ? (pathAndQuery.contains("/scrape") ? "scraped" : "announced")
        : "error: " + new String((byte[]) failure, StandardCharsets.UTF_8);
  }

  static byte[] hash(byte[] torrent) throws Exception {
    return HexFormat.of().parseHex(RegistryNodeTest.infoHash(torrent));
  }

  static void within(long millis, BooleanSupplier condition) throws Exception {
    io.swarmkeeper.testsupport.Eventually.within(millis, condition);
  }

  static BooleanSupplier udpSays(SwarmkeeperNode node, byte[] hash, String answer) {
    return () -> {
      try {
        return udpAnnounce(node, hash).equals(answer);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void tracksOnlyRegisteredTorrentsOverUdpAndHttp() throws Exception {
    byte[] registered = RegistryNodeTest.torrent("registered.bin", 30_000, (byte) 3);
    byte[] other = RegistryNodeTest.torrent("unregistered.bin", 30_000, (byte) 4);
    assertThat(api(a, "POST", "/api/v1/torrents", registered)).isEqualTo(201);
    for (SwarmkeeperNode node : new SwarmkeeperNode[] {a, b}) {
      assertThat(udpAnnounce(node, hash(registered))).isEqualTo("announced");
      assertThat(httpAnnounce(node, hash(registered))).isEqualTo("announced");
      assertThat(udpAnnounce(node, hash(other))).isEqualTo("error: unregistered torrent");
      assertThat(httpAnnounce(node, hash(other))).isEqualTo("error: unregistered torrent");
    }
    // The second announce of each is answered from the cache: the same answers.
    assertThat(udpAnnounce(b, hash(registered))).isEqualTo("announced");
    assertThat(udpAnnounce(b, hash(other))).isEqualTo("error: unregistered torrent");
  }

  @Test
  void aPublishOrADeleteOnOneNodeTakesEffectOnTheOtherWithinASecond() throws Exception {
    byte[] file = RegistryNodeTest.torrent("comes-and-goes.bin", 20_000, (byte) 5);
    byte[] h = hash(file);
    // b has it cached as unregistered...
    assertThat(udpAnnounce(b, h)).isEqualTo("error: unregistered torrent");
    assertThat(api(a, "POST", "/api/v1/torrents", file)).isEqualTo(201);
    // ...until a's publish is notified.
    within(1000, udpSays(b, h, "announced"));
    assertThat(api(a, "DELETE", "/api/v1/torrents/" + HexFormat.of().formatHex(h), null))
        .isEqualTo(204);
    within(1000, udpSays(b, h, "error: unregistered torrent"));
    within(1000, udpSays(a, h, "error: unregistered torrent"));
  }

  @Test
  void whitelistWithoutADatabaseIsAConfigError() {
    assertThatThrownBy(
            () ->
                new NodeOptions(
                    new JsonObject().put("access", new JsonObject().put("mode", "whitelist"))))
        .hasMessage(
            "access.mode whitelist needs the registry: set database.url (--database"
                + " postgres://USER:PASS@HOST:PORT/DB)");
    assertThatThrownBy(() -> new AccessOptions().setMode("private-ish"))
        .hasMessage("access.mode must be public, whitelist or private, got 'private-ish'");
  }
}
