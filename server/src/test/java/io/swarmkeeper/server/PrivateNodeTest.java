package io.swarmkeeper.server;

import static io.swarmkeeper.server.WhitelistNodeTest.escaped;
import static io.swarmkeeper.server.WhitelistNodeTest.hash;
import static io.swarmkeeper.server.WhitelistNodeTest.httpAsk;
import static io.swarmkeeper.server.WhitelistNodeTest.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmkeeper.udp.UdpResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Private mode over a real PostgreSQL, two nodes on one database: an announce is served only for a
 * registered torrent and only with a valid passkey, over HTTP ({@code /{passkey}/announce}) and UDP
 * (BEP 41 URL data); no key, a wrong, malformed, expired or revoked key gets an error and never
 * peers. A key revoked on one node stops working on the other within a second.
 */
class PrivateNodeTest {
  static RegistryPair nodes;
  static SwarmkeeperNode a;
  static SwarmkeeperNode b;

  @BeforeAll
  static void start() throws Exception {
    nodes = RegistryPair.start("private");
    a = nodes.a();
    b = nodes.b();
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** A new passkey from the API; {@code expiresAt} an ISO time or null. */
  static String passkey(SwarmkeeperNode node, String expiresAt) throws Exception {
    JsonObject body = new JsonObject().put("name", "test user");
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    HttpResponse<String> r =
        WhitelistNodeTest.http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.adminPort() + "/api/v1/passkeys"))
                .header("Authorization", "Bearer " + RegistryNodeTest.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("passkey");
  }

  /** The UDP answer to an announce with this URL data: "announced" or the error's message. */
  static String udp(SwarmkeeperNode node, byte[] hash, String urlData) throws Exception {
    try (UdpClient client = new UdpClient(node.udpPort())) {
      UdpResponse r = client.announceAnswer(hash, 6881, 0, 2, urlData);
      if (r instanceof UdpResponse.TrackerError e) {
        return "error: " + e.message();
      }
      assertThat(r).isInstanceOf(UdpResponse.Announced.class);
      return "announced";
    }
  }

  static String http(SwarmkeeperNode node, byte[] hash, String prefix) throws Exception {
    return httpAsk(
        node,
        prefix
            + "/announce?info_hash="
            + escaped(hash)
            + "&peer_id=-SK0001-private00000&port=6883&left=0&compact=1");
  }

  /** Both protocols' answers to an announce under {@code prefix} ("" or "/KEY"), "udp | http". */
  static String both(SwarmkeeperNode node, byte[] hash, String prefix) throws Exception {
    return udp(node, hash, prefix.isEmpty() ? null : prefix + "/announce")
        + " | "
        + http(node, hash, prefix);
  }

  /** Publishes a made-up torrent through node a; answers its info_hash. */
  static byte[] published(String name, byte fill) throws Exception {
    byte[] file = RegistryNodeTest.torrent(name, 20_000, fill);
    assertThat(WhitelistNodeTest.api(a, "POST", "/api/v1/torrents", file)).isEqualTo(201);
    return hash(file);
  }

  static final String NO_KEY =
      "error: private tracker: announce with your passkey, /PASSKEY/announce";

  @Test
  void servesARegisteredTorrentOnlyWithAValidPasskeyOverUdpAndHttp() throws Exception {
    byte[] registered = published("private.bin", (byte) 7);
    byte[] unregistered = hash(RegistryNodeTest.torrent("not-published.bin", 20_000, (byte) 8));
    String key = passkey(a, null);
    String expired = passkey(a, "2020-01-01T00:00:00Z");
    String wrong = "0123456789abcdef0123456789abcdef";
    double udpBefore = refusedAccess(a.registry(), "udp");
    double httpBefore = refusedAccess(a.registry(), "http");

    for (SwarmkeeperNode node : new SwarmkeeperNode[] {a, b}) {
      // twice each: the second answer comes from the caches
      for (int i = 0; i < 2; i++) {
        assertThat(both(node, registered, "/" + key)).isEqualTo("announced | announced");
        assertThat(both(node, unregistered, "/" + key))
            .isEqualTo("error: unregistered torrent | error: unregistered torrent");
        assertThat(both(node, registered, "")).isEqualTo(NO_KEY + " | " + NO_KEY);
        assertThat(both(node, registered, "/" + wrong))
            .isEqualTo("error: invalid passkey | error: invalid passkey");
        assertThat(both(node, registered, "/not-a-passkey"))
            .isEqualTo("error: invalid passkey | error: invalid passkey");
        assertThat(both(node, registered, "/" + expired))
            .isEqualTo("error: passkey expired | error: passkey expired");
      }
    }
    // The refusals are counted apart from the caps': 5 refused announces, twice, on each node.
    assertThat(refusedAccess(a.registry(), "udp") - udpBefore).isEqualTo(10.0);
    assertThat(refusedAccess(a.registry(), "http") - httpBefore).isEqualTo(10.0);
  }

  private static double refusedAccess(MeterRegistry registry, String protocol) {
    var search =
        registry.get("swarmkeeper." + protocol + ".rejected").tag("reason", "refused_access");
    return protocol.equals("udp") ? search.counter().count() : search.functionCounter().count();
  }

  @Test
  void aScrapeNeedsAPasskeyToo() throws Exception {
    byte[] h = published("scraped.bin", (byte) 9);
    String key = passkey(a, null);
    assertThat(httpAsk(a, "/" + key + "/scrape?info_hash=" + escaped(h))).isEqualTo("scraped");
    assertThat(httpAsk(a, "/scrape?info_hash=" + escaped(h))).isEqualTo(NO_KEY);
    assertThat(httpAsk(a, "/0123456789abcdef0123456789abcdef/scrape?info_hash=" + escaped(h)))
        .isEqualTo("error: invalid passkey");
    assertThat(httpAsk(a, "/" + key + "/scrape")).as("a full scrape").startsWith("error: ");
    // BEP 41 puts no options on a scrape: over UDP a private tracker cannot be scraped.
    try (UdpClient client = new UdpClient(a.udpPort())) {
      assertThat(client.scrapeAnswer(h))
          .isEqualTo(new UdpResponse.TrackerError(9, NO_KEY.substring("error: ".length())));
    }
  }

  @Test
  void aKeyRevokedOnOneNodeStopsWorkingOnTheOtherWithinASecond() throws Exception {
    byte[] h = published("revoked.bin", (byte) 10);
    String key = passkey(a, null);
    // b has the key cached as valid...
    assertThat(both(b, h, "/" + key)).isEqualTo("announced | announced");
    assertThat(WhitelistNodeTest.api(a, "DELETE", "/api/v1/passkeys/" + key, null)).isEqualTo(204);
    // ...until a's revocation is notified.
    within(1000, says(b, h, key, "error: invalid passkey | error: invalid passkey"));
    assertThat(both(a, h, "/" + key)).isEqualTo("error: invalid passkey | error: invalid passkey");
  }

  private static BooleanSupplier says(SwarmkeeperNode node, byte[] h, String key, String answer) {
    return () -> {
      try {
        return both(node, h, "/" + key).equals(answer);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }
}
