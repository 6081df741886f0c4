package io.swarmkeeper.http;

import static io.swarmkeeper.http.TrackerUnderTest.Response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.SwarmLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP tracker over a real socket on loopback. */
class HttpTrackerIntegrationTest {
  private static final byte[] A =
      InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567").toBytes();
  private static final byte[] B =
      InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98").toBytes();

  private TrackerUnderTest tracker;

  private void start(HttpTrackerOptions options, AnnounceLimits limits) throws Exception {
    tracker = new TrackerUnderTest(options, limits);
  }

  private void start(HttpTrackerOptions options) throws Exception {
    start(options, new AnnounceLimits(50, 200, 3));
  }

  private void start() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append('%').append(String.format("%02x", b & 0xFF));
    }
    return sb.toString();
  }

  static String peerId(int n) {
    return escape(String.format("-SK0001-%012d", n).getBytes(StandardCharsets.US_ASCII));
  }

  static String announcePath(byte[] hash, int peer, int peerPort, String extra) {
    return announcePath(escape(hash), peer, peerPort, extra);
  }

  static String announcePath(String escapedHash, int peer, int peerPort, String extra) {
    return "/announce?info_hash="
        + escapedHash
        + "&peer_id="
        + peerId(peer)
        + "&port="
        + peerPort
        + "&uploaded=0&downloaded=0"
        + extra;
  }

  private Map<String, Object> announce(
      String from, byte[] hash, int peer, int peerPort, String extra) throws Exception {
    Response r = tracker.send(from, "GET", announcePath(hash, peer, peerPort, extra));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.bencoded();
  }

  private Map<String, Object> announce(byte[] hash, int peer, int peerPort, String extra)
      throws Exception {
    return announce("127.0.0.1", hash, peer, peerPort, extra);
  }

  private static String failure(Map<String, Object> d) {
    Object f = d.get("failure reason");
    return f == null ? null : new String((byte[]) f, StandardCharsets.UTF_8);
  }

  @Test
  void announceAnswersCompactPeersAndCounts() throws Exception {
    start();
    announce(A, 1, 6001, "&left=0&event=started");
    announce(A, 2, 6002, "&left=100&event=started");
    announce(B, 3, 6003, "&left=100&event=started");
    Map<String, Object> d = announce(A, 4, 6004, "&left=100&event=started&compact=1");
    assertThat(failure(d)).isNull();
    assertThat(d).containsEntry("interval", 1800L).containsEntry("min interval", 900L);
    assertThat(d).containsEntry("complete", 1L).containsEntry("incomplete", 2L);
    byte[] peers = (byte[]) d.get("peers");
    assertThat(peers).hasSize(12);
    for (int off = 0; off < peers.length; off += 6) {
      assertThat(peers[off]).isEqualTo((byte) 127);
      int p = (peers[off + 4] & 0xFF) << 8 | (peers[off + 5] & 0xFF);
      assertThat(p).isIn(6001, 6002);
    }
    // numwant and a seeder sees leechers only
    Map<String, Object> seeder = announce(A, 1, 6001, "&left=0&numwant=50");
    assertThat((byte[]) seeder.get("peers")).hasSize(12);
    assertThat((byte[]) announce(A, 4, 6004, "&left=100&numwant=1").get("peers")).hasSize(6);
  }

  @Test
  void compactZeroIsAnsweredCompact() throws Exception {
    // BEP 23: compact is advisory, the tracker may answer either format; the store keeps no peer
    // ids, so a BEP 3 dictionary list could not carry the "peer id" it requires
    start();
    announce(A, 1, 6001, "&left=10");
    Map<String, Object> d = announce(A, 2, 6002, "&left=10&compact=0");
    assertThat(d.get("peers")).isInstanceOf(byte[].class);
    assertThat((byte[]) d.get("peers")).containsExactly(127, 0, 0, 1, 0x17, 0x71);
  }

  @Test
  void ipv6ClientsGetPeers6() throws Exception {
    assumeTrue(hasIpv6Loopback());
    start(new HttpTrackerOptions().setHost("::"));
    announce("::1", A, 1, 7001, "&left=10");
    announce("127.0.0.1", A, 2, 7002, "&left=10");
    Map<String, Object> d = announce("::1", A, 3, 7003, "&left=10");
    assertThat((byte[]) d.get("peers6")).hasSize(18);
    assertThat((byte[]) d.get("peers")).isEmpty();
    assertThat(d).containsEntry("incomplete", 3L);
  }

  private static boolean hasIpv6Loopback() {
    try (java.net.DatagramSocket s =
        new java.net.DatagramSocket(new java.net.InetSocketAddress("::1", 0))) {
      return s.isBound();
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void scrapeCountsByRawHash() throws Exception {
    start();
    announce(A, 1, 6001, "&left=0&event=completed");
    announce(A, 2, 6002, "&left=5");
    byte[] unknown = new byte[20];
    Response r = tracker.get("/scrape?info_hash=" + escape(A) + "&info_hash=" + escape(unknown));
    Map<String, Object> files = (Map<String, Object>) r.bencoded().get("files");
    Map<String, Object> a =
        (Map<String, Object>) files.get(new String(A, StandardCharsets.ISO_8859_1));
    assertThat(a)
        .containsEntry("complete", 1L)
        .containsEntry("downloaded", 1L)
        .containsEntry("incomplete", 1L);
    Map<String, Object> z =
        (Map<String, Object>) files.get(new String(unknown, StandardCharsets.ISO_8859_1));
    assertThat(z).containsEntry("complete", 0L).containsEntry("incomplete", 0L);

    assertThat(tracker.get("/scrape").failure()).contains("full scrape is not allowed");
    String four = "/scrape" + ("?info_hash=" + escape(A)) + ("&info_hash=" + escape(A)).repeat(3);
    assertThat(tracker.get(four).failure()).contains("too many info_hash");
  }

  @Test
  @SuppressWarnings("unchecked")
  void fullScrapeWhenAllowed() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1").setAllowFullScrape(true));
    announce(A, 1, 6001, "&left=0");
    announce(B, 1, 6001, "&left=1");
    Map<String, Object> files =
        (Map<String, Object>) tracker.get("/scrape").bencoded().get("files");
    assertThat(files).hasSize(2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void scrapeOfTheDocumentedMaximumOf74FullyEscapedHashesIsServed() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1"), AnnounceLimits.DEFAULT);
    StringBuilder target = new StringBuilder("/scrape?");
    for (int i = 0; i < 74; i++) {
      byte[] h = A.clone();
      h[19] = (byte) i;
      target.append(i == 0 ? "" : "&").append("info_hash=").append(escape(h));
    }
    assertThat(target.length()).isGreaterThan(4096); // past Vert.x's default request line
    Response r = tracker.get(target.toString());
    assertThat(r.status()).isEqualTo(200);
    assertThat((Map<String, Object>) r.bencoded().get("files")).hasSize(74);
  }

  @Test
  void aRequestLineTooLongGetsA414ThatSaysWhy() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1"), AnnounceLimits.DEFAULT);
    int max = tracker.handler.maxRequestLineLength();
    Response r = tracker.get("/scrape?info_hash=" + "a".repeat(max));
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.text()).contains("request line longer than " + max, "at most 74 info_hash");
    assertThat(tracker.counters().get(Counter.MALFORMED_HTTP)).isEqualTo(1);
  }

  @Test
  void plusInTheQueryIsALiteralPlusSoInfoHashBytesDoNotChange() throws Exception {
    start();
    byte[] withPlus = A.clone();
    withPlus[0] = '+';
    withPlus[1] = '+';
    // a client that leaves '+' unescaped (RFC 3986 lets it) ...
    String sent = "++" + escape(Arrays.copyOfRange(withPlus, 2, 20));
    Response r = tracker.get(announcePath(sent, 1, 6001, "&left=1"));
    assertThat(r.failure()).isNull();
    // ... is in the swarm a fully escaped scrape names, and not in the one with spaces
    byte[] withSpaces = withPlus.clone();
    withSpaces[0] = ' ';
    withSpaces[1] = ' ';
    String scrape = "/scrape?info_hash=" + escape(withPlus) + "&info_hash=" + escape(withSpaces);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> files =
        (Map<String, Map<String, Object>>) tracker.get(scrape).bencoded().get("files");
    assertThat(files.get(new String(withPlus, StandardCharsets.ISO_8859_1)))
        .containsEntry("incomplete", 1L);
    assertThat(files.get(new String(withSpaces, StandardCharsets.ISO_8859_1)))
        .containsEntry("incomplete", 0L);
  }

  @Test
  void onlyGetIsServedAndOtherMethodsGet405WithAllow() throws Exception {
    start();
    String announce = announcePath(A, 1, 6001, "&left=1");
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "FROB", "HEAD"}) {
      Response r = tracker.send("127.0.0.1", method, announce, "Content-Length: 0");
      assertThat(r.status()).as(method).isEqualTo(405);
      assertThat(r.header("Allow")).as(method).isEqualTo("GET");
      if (!method.equals("HEAD")) {
        assertThat(r.text()).contains("method " + method + " is not allowed on /announce");
      }
    }
    assertThat(tracker.send("127.0.0.1", "POST", "/scrape?info_hash=" + escape(A)).status())
        .isEqualTo(405);
    // none of them announced: the swarm is empty
    assertThat((byte[]) announce(A, 2, 6002, "&left=1").get("peers")).isEmpty();
    assertThat(tracker.counters().get(Counter.METHOD_NOT_ALLOWED)).isEqualTo(7);
    // HEAD is harmless on the probes: status and no body
    Response head = tracker.send("127.0.0.1", "HEAD", "/health");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    Response post = tracker.send("127.0.0.1", "POST", "/health", "Content-Length: 0");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void h2cIsNotServed() throws Exception {
    start();
    // an upgrade request is answered as HTTP/1.1, not with 101 Switching Protocols
    Response upgraded =
        tracker.get(
            "/health",
            "Connection: Upgrade, HTTP2-Settings",
            "Upgrade: h2c",
            "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA");
    assertThat(upgraded.status()).isEqualTo(200);
    assertThat(upgraded.text()).isEqualTo("ok\n");
    // prior knowledge: the HTTP/2 preface is an HTTP/1 request of an unknown version to Vert.x,
    // answered in HTTP/1 syntax ("501", then closed), not with an HTTP/2 SETTINGS frame
    try (Socket s = tracker.connect("127.0.0.1")) {
      byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
      s.getOutputStream().write(preface);
      s.getOutputStream().write(settings);
      Response r = Response.read(s.getInputStream());
      assertThat(r.head()).startsWith("HTTP/");
      assertThat(r.status()).isEqualTo(501);
    }
  }

  @Test
  void anAnnounceTheStoreRefusesAtACapGetsItsMessageAndIsCountedApart() throws Exception {
    start();
    tracker.store.setLimits(new SwarmLimits(0, 0, 1, 0, 0));
    assertThat(failure(announce(A, 1, 6001, "&left=1"))).isNull();
    Response r = tracker.get(announcePath(A, 2, 6002, "&left=1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.failure()).isNotBlank().doesNotContain("temporarily unavailable");
    assertThat(tracker.counters().refused(AnnounceRefusedException.Cause.PEERS_PER_SWARM))
        .isEqualTo(1);
    assertThat(tracker.counters().get(Counter.STORE_FAILURES)).isZero();
    // the peer already in the swarm is served as before
    assertThat(failure(announce(A, 1, 6001, "&left=1"))).isNull();
  }

  @Test
  void badRequestsGetAFailureThatNamesTheProblem() throws Exception {
    start();
    String ok = "&peer_id=" + peerId(1) + "&port=6881&left=1";
    String[][] cases = {
      {"/announce?peer_id=" + peerId(1) + "&port=1", "missing info_hash"},
      {
        "/announce?info_hash=" + escape(new byte[19]) + "&peer_id=" + peerId(1) + "&port=1",
        "info_hash must be 20 bytes, got 19"
      },
      {"/announce?info_hash=" + escape(A) + "&port=1", "missing peer_id"},
      {"/announce?info_hash=" + escape(A) + "&peer_id=" + peerId(1), "missing port"},
      {"/announce?info_hash=" + escape(A) + "&peer_id=" + peerId(1) + "&port=0", "invalid port"},
      {
        "/announce?info_hash=" + escape(A) + "&peer_id=" + peerId(1) + "&port=70000", "invalid port"
      },
      {"/announce?info_hash=" + escape(A) + ok + "&event=bogus", "unknown event 'bogus'"},
      {
        "/announce?info_hash=" + escape(A) + "&peer_id=" + peerId(1) + "&port=6881&left=lots",
        "invalid left 'lots'"
      },
      {"/announce?info_hash=" + escape(A) + ok + "&uploaded=-5", "invalid uploaded"},
      {"/announce?info_hash=%zz" + ok, "malformed query"},
      {"/scrape?info_hash=abc", "info_hash must be 20 bytes, got 3"},
    };
    for (String[] c : cases) {
      Response r = tracker.get(c[0]);
      assertThat(r.status()).as(c[0]).isEqualTo(200);
      assertThat(r.failure()).as(c[0]).contains(c[1]);
    }
    assertThat(tracker.counters().get(Counter.BAD_REQUESTS)).isEqualTo(cases.length);
    assertThat(tracker.get("/nothing").status()).isEqualTo(404);
    assertThat(tracker.get("/health").status()).isEqualTo(200);
    assertThat(tracker.get("/ready").status()).isEqualTo(200);
  }

  @Test
  void healthFollowsTheNodesFitnessSoASupervisorCanRestartIt() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean fit =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    tracker =
        new TrackerUnderTest(
            new HttpTrackerOptions().setHost("127.0.0.1"),
            new AnnounceLimits(50, 200, 3),
            fit::get);
    assertThat(tracker.get("/health").status()).isEqualTo(200);
    fit.set(false);
    Response failed = tracker.get("/health");
    assertThat(failed.status()).isEqualTo(503);
    assertThat(new String(failed.body(), StandardCharsets.UTF_8)).isEqualTo("failed\n");
  }

  @Test
  void ipParameterIsUsedOnlyWhenAllowed() throws Exception {
    start();
    announce(A, 3, 6003, "&left=1&ip=192.0.2.1");
    assertThat((byte[]) announce(A, 2, 6002, "&left=1").get("peers"))
        .containsExactly(127, 0, 0, 1, 0x17, 0x73);
    stop();
    start(new HttpTrackerOptions().setHost("127.0.0.1").setAllowIpParameter(true));
    announce(A, 1, 6001, "&left=1&ip=192.0.2.1");
    assertThat((byte[]) announce(A, 2, 6002, "&left=1").get("peers"))
        .containsExactly(192, 0, 2, 1, 0x17, 0x71);
    assertThat(failure(announce(A, 3, 6003, "&left=1&ip=example.com"))).contains("invalid ip");
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnectionAndSurvivesGarbage() throws Exception {
    start();
    try (Socket s = tracker.connect("127.0.0.1")) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        String req =
            "GET " + announcePath(A, i, 6000 + i, "&left=1") + " HTTP/1.1\r\nHost: x\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Response r = Response.read(in);
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).contains("8:completei0e");
      }
    }
    Random random = new Random(5);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[random.nextInt(60)];
      random.nextBytes(junk);
      // anything but what would end the request line
      String q =
          new String(junk, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x20\\x7f-\\xff]", "");
      Response r = tracker.get("/announce?" + q);
      assertThat(r.status()).as(q).isIn(200, 400);
      if (r.status() == 200) {
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1))
            .startsWith("d14:failure reason");
      } else {
        assertThat(r.text()).isEqualTo("malformed HTTP request\n");
      }
    }
    assertThat(failure(announce(A, 9, 6009, "&left=1"))).isNull();
  }
}
