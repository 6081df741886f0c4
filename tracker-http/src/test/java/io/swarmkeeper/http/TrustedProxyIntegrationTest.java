package io.swarmkeeper.http;

import static io.swarmkeeper.http.HttpTrackerIntegrationTest.announcePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import io.swarmkeeper.http.TrackerUnderTest.Response;
import io.swarmkeeper.swarm.InfoHash;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client address behind a trusted proxy, over loopback: the proxy is 127.0.0.1, and an
 * untrusted observer on 127.0.0.2 announces to see which address the tracker stored.
 */
class TrustedProxyIntegrationTest {
  private static final byte[] A =
      InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567").toBytes();
  private static final String PROXY = "127.0.0.1";
  private static final String OBSERVER = "127.0.0.2";

  private TrackerUnderTest tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private void start(ProxyHeader header, String... trusted) throws Exception {
    tracker =
        new TrackerUnderTest(
            new HttpTrackerOptions()
                .setHost("127.0.0.1")
                .setTrustedProxies(List.of(trusted))
                .setProxyHeader(header));
  }

  private Response viaProxy(String... headers) throws Exception {
    return tracker.send(PROXY, "GET", announcePath(A, 1, 6001, "&left=1"), headers);
  }

  /** The peers the observer is given (6 bytes each), the proxied client being the only other. */
  private byte[] seenByObserver() throws Exception {
    Response r = tracker.send(OBSERVER, "GET", announcePath(A, 2, 6002, "&left=1"));
    assertThat(r.failure()).isNull();
    return (byte[]) r.bencoded().get("peers");
  }

  @Test
  void theRightMostUntrustedAddressOverAllForwardedForLinesIsTheClient() throws Exception {
    start(ProxyHeader.X_FORWARDED_FOR, "127.0.0.1/32", "10.0.0.0/8");
    // the client forged a line of its own and a first hop; the proxies appended the rest
    Response r =
        viaProxy(
            "X-Forwarded-For: 203.0.113.66",
            "X-Forwarded-For: 198.51.100.1, 192.0.2.7, 10.1.2.3",
            "X-Real-IP: 203.0.113.99");
    assertThat(r.failure()).isNull();
    assertThat(seenByObserver()).containsExactly(192, 0, 2, 7, 0x17, 0x71);
  }

  @Test
  void forwardedRfc7239IsReadTheSameWay() throws Exception {
    start(ProxyHeader.FORWARDED, "127.0.0.1/32");
    Response r =
        viaProxy(
            "Forwarded: for=203.0.113.66",
            "Forwarded: for=\"192.0.2.7:4711\";proto=http;by=127.0.0.1");
    assertThat(r.failure()).isNull();
    assertThat(seenByObserver()).containsExactly(192, 0, 2, 7, 0x17, 0x71);
  }

  @Test
  void xRealIpIsUsedOnlyWhereConfigured() throws Exception {
    start(ProxyHeader.X_REAL_IP, "127.0.0.1/32");
    assertThat(viaProxy("X-Real-IP: 192.0.2.7", "X-Forwarded-For: 203.0.113.66").failure())
        .isNull();
    assertThat(seenByObserver()).containsExactly(192, 0, 2, 7, 0x17, 0x71);
  }

  @Test
  void aTrustedProxyWithoutAUsableHeaderIsRefusedNotStored() throws Exception {
    start(ProxyHeader.X_FORWARDED_FOR, "127.0.0.1/32");
    for (String[] headers :
        new String[][] {
          {},
          {"X-Real-IP: 192.0.2.7"},
          {"X-Forwarded-For: unknown"},
          {"X-Forwarded-For: 192.0.2.7, junk"}
        }) {
      Response r = viaProxy(headers);
      assertThat(r.status()).as(String.join(",", headers)).isEqualTo(400);
      assertThat(r.failure()).contains("no usable X-Forwarded-For");
    }
    assertThat(tracker.counters().get(Counter.PROXY_HEADER_UNUSABLE)).isEqualTo(4);
    assertThat(seenByObserver()).isEmpty(); // the proxy's own address was never stored
  }

  @Test
  void anObfuscatedOrUnknownForwardedNodeIsRefused() throws Exception {
    start(ProxyHeader.FORWARDED, "127.0.0.1/32");
    assertThat(viaProxy("Forwarded: for=_hidden").status()).isEqualTo(400);
    assertThat(viaProxy("Forwarded: for=unknown").status()).isEqualTo(400);
    assertThat(viaProxy("Forwarded: for=\"192.0.2.7").status()).isEqualTo(400);
    assertThat(seenByObserver()).isEmpty();
  }

  @Test
  void headersFromAnUntrustedPeerAreIgnored() throws Exception {
    start(ProxyHeader.X_FORWARDED_FOR, "127.0.0.3/32");
    assertThat(viaProxy("X-Forwarded-For: 192.0.2.7").failure()).isNull();
    assertThat(seenByObserver()).containsExactly(127, 0, 0, 1, 0x17, 0x71);
  }
}
