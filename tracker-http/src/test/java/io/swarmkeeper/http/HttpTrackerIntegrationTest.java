package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP tracker over a real socket on loopback. */
class HttpTrackerIntegrationTest {
  private static final byte[] A =
      InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567").toBytes();
  private static final byte[] B =
      InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98").toBytes();

  private Vertx vertx;
  private int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private void start(HttpTrackerOptions options) throws Exception {
    vertx = Vertx.vertx();
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
    HttpTrackerHandler handler =
        new HttpTrackerHandler(
            store, IntervalPolicy.fixed(1800), new AnnounceLimits(50, 200, 3), options, () -> true);
    port =
        await(
                HttpTrackerVerticle.deploy(
                    vertx, new HttpTrackerOptions(options).setPort(0), handler, 2))
            .port();
  }

  private void start() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1"));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append('%').append(String.format("%02x", b & 0xFF));
    }
    return sb.toString();
  }

  private static String peerId(int n) {
    return escape(String.format("-SK0001-%012d", n).getBytes(StandardCharsets.US_ASCII));
  }

  private HttpResponse<byte[]> get(String host, String pathAndQuery, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + pathAndQuery));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET with the request target sent verbatim (malformed ones too); status and body. */
  private Map.Entry<Integer, byte[]> raw(String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      byte[] all = s.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      int bodyAt = text.indexOf("\r\n\r\n") + 4;
      return Map.entry(status, java.util.Arrays.copyOfRange(all, bodyAt, all.length));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> announce(
      String host, byte[] hash, int peer, int peerPort, String extra, String... headers)
      throws Exception {
    HttpResponse<byte[]> r =
        get(
            host,
            "/announce?info_hash="
                + escape(hash)
                + "&peer_id="
                + peerId(peer)
                + "&port="
                + peerPort
                + "&uploaded=0&downloaded=0"
                + extra,
            headers);
    assertThat(r.statusCode()).isEqualTo(200);
    return (Map<String, Object>) Bencode.decode(r.body());
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
  @SuppressWarnings("unchecked")
  void dictionaryModelWhenNotCompact() throws Exception {
    start();
    announce(A, 1, 6001, "&left=10");
    Map<String, Object> d = announce(A, 2, 6002, "&left=10&compact=0");
    List<Object> peers = (List<Object>) d.get("peers");
    assertThat(peers).hasSize(1);
    Map<String, Object> p = (Map<String, Object>) peers.get(0);
    assertThat(new String((byte[]) p.get("ip"), StandardCharsets.US_ASCII)).isEqualTo("127.0.0.1");
    assertThat(p).containsEntry("port", 6001L);
  }

  @Test
  void ipv6ClientsGetPeers6() throws Exception {
    assumeTrue(hasIpv6Loopback());
    start(new HttpTrackerOptions().setHost("::"));
    announce("[::1]", A, 1, 7001, "&left=10");
    announce("127.0.0.1", A, 2, 7002, "&left=10");
    Map<String, Object> d = announce("[::1]", A, 3, 7003, "&left=10");
    assertThat((byte[]) d.get("peers6")).hasSize(18);
    assertThat((byte[]) d.get("peers")).isEmpty();
    assertThat(d).containsEntry("incomplete", 3L);
  }

  private static boolean hasIpv6Loopback() {
    try (java.net.DatagramSocket s =
        new java.net.DatagramSocket(new java.net.InetSocketAddress("::1", 0))) {
      return true;
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
    HttpResponse<byte[]> r =
        get("127.0.0.1", "/scrape?info_hash=" + escape(A) + "&info_hash=" + escape(unknown));
    Map<String, Object> files =
        (Map<String, Object>) ((Map<String, Object>) Bencode.decode(r.body())).get("files");
    Map<String, Object> a =
        (Map<String, Object>) files.get(new String(A, StandardCharsets.ISO_8859_1));
    assertThat(a)
        .containsEntry("complete", 1L)
        .containsEntry("downloaded", 1L)
        .containsEntry("incomplete", 1L);
    Map<String, Object> z =
        (Map<String, Object>) files.get(new String(unknown, StandardCharsets.ISO_8859_1));
    assertThat(z).containsEntry("complete", 0L).containsEntry("incomplete", 0L);

    Map<String, Object> full =
        (Map<String, Object>) Bencode.decode(get("127.0.0.1", "/scrape").body());
    assertThat(failure(full)).contains("full scrape is not allowed");
    String four =
        "/scrape?info_hash="
            + escape(A)
            + "&info_hash="
            + escape(A)
            + "&info_hash="
            + escape(A)
            + "&info_hash="
            + escape(A);
    assertThat(failure((Map<String, Object>) Bencode.decode(get("127.0.0.1", four).body())))
        .contains("too many info_hash");
  }

  @Test
  @SuppressWarnings("unchecked")
  void fullScrapeWhenAllowed() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1").setAllowFullScrape(true));
    announce(A, 1, 6001, "&left=0");
    announce(B, 1, 6001, "&left=1");
    Map<String, Object> files =
        (Map<String, Object>)
            ((Map<String, Object>) Bencode.decode(get("127.0.0.1", "/scrape").body())).get("files");
    assertThat(files).hasSize(2);
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
      Map.Entry<Integer, byte[]> r = raw(c[0]);
      assertThat(r.getKey()).as(c[0]).isEqualTo(200);
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) Bencode.decode(r.getValue());
      assertThat(failure(d)).as(c[0]).contains(c[1]);
    }
    assertThat(get("127.0.0.1", "/nothing").statusCode()).isEqualTo(404);
    assertThat(get("127.0.0.1", "/health").statusCode()).isEqualTo(200);
    assertThat(get("127.0.0.1", "/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1").setTrustedProxies(List.of("127.0.0.0/8")));
    announce("127.0.0.1", A, 1, 6001, "&left=1", "X-Forwarded-For", "198.51.100.1, 203.0.113.9");
    Map<String, Object> d = announce(A, 2, 6002, "&left=1");
    byte[] peers = (byte[]) d.get("peers");
    assertThat(peers).containsExactly(203, 0, 113, 9, 0x17, 0x71);
    stop();
    start(new HttpTrackerOptions().setHost("127.0.0.1"));
    announce("127.0.0.1", A, 1, 6001, "&left=1", "X-Forwarded-For", "203.0.113.9");
    byte[] untrusted = (byte[]) announce(A, 2, 6002, "&left=1").get("peers");
    assertThat(untrusted).containsExactly(127, 0, 0, 1, 0x17, 0x71);
    // the ip parameter is ignored unless allowed
    announce(A, 3, 6003, "&left=1&ip=192.0.2.1");
    assertThat((byte[]) announce(A, 2, 6002, "&left=1").get("peers")).doesNotContain((byte) 192);
  }

  @Test
  void ipParameterIsUsedWhenAllowed() throws Exception {
    start(new HttpTrackerOptions().setHost("127.0.0.1").setAllowIpParameter(true));
    announce(A, 1, 6001, "&left=1&ip=192.0.2.1");
    assertThat((byte[]) announce(A, 2, 6002, "&left=1").get("peers"))
        .containsExactly(192, 0, 2, 1, 0x17, 0x71);
    assertThat(failure(announce(A, 3, 6003, "&left=1&ip=example.com"))).contains("invalid ip");
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnectionAndSurvivesGarbage() throws Exception {
    start();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        String req =
            "GET /announce?info_hash="
                + escape(A)
                + "&peer_id="
                + peerId(i)
                + "&port="
                + (6000 + i)
                + "&left=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        byte[] body = in.readNBytes(length);
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("8:completei0e");
      }
    }
    Random random = new Random(5);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[random.nextInt(60)];
      random.nextBytes(junk);
      // anything but what would end the request line
      String q =
          new String(junk, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x20\\x7f-\\xff]", "");
      Map.Entry<Integer, byte[]> r = raw("/announce?" + q);
      assertThat(r.getKey()).as(q).isIn(200, 400);
      if (r.getKey() == 200) {
        assertThat(new String(r.getValue(), StandardCharsets.ISO_8859_1))
            .startsWith("d14:failure reason");
      }
    }
    assertThat(failure(announce(A, 9, 6009, "&left=1"))).isNull();
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      sb.append((char) c);
    }
    return sb.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1 200", "HTTP/1.1 200");
  }
}
