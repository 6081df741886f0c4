package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.RateLimitOptions;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-address rate limits over real sockets from distinct loopback addresses: one address flooding
 * at 20 x its limit gets silence (UDP) or 429 (HTTP), and another address is served throughout.
 */
class RateLimitTest {
  private static final int PER_SECOND = 20;

  private SwarmkeeperNode node;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void start() throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(2)
            .setUdp(new UdpTrackerOptions().setHost("0.0.0.0").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("0.0.0.0").setPort(0))
            .setRateLimit(
                new RateLimitOptions()
                    .setRequestsPerSecond(PER_SECOND)
                    .setBurst(PER_SECOND)
                    .setExemptLoopback(false));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  private static byte[] hash(int n) {
    byte[] h = new byte[20];
    h[0] = (byte) n;
    return h;
  }

  @Test
  void aFloodingUdpAddressIsSilencedWhileAnotherIsServed() throws Exception {
    start();
    try (UdpClient flooder = new UdpClient(node.udpPort(), "127.0.0.2");
        UdpClient honest = new UdpClient(node.udpPort(), "127.0.0.3")) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      int served = 0;
      int sent = 0;
      while (System.nanoTime() < end) {
        // 20 x the limit: 400 requests/s from the flooder...
        for (int i = 0; i < 20; i++) {
          flooder.sendAnnounce(hash(1), 6000 + i, 100);
          sent++;
        }
        // ...and the honest client's announces all answered, at its own pace
        assertThat(honest.announceAction(hash(2), 7000, 100)).isEqualTo(1);
        served++;
        Thread.sleep(50);
      }
      assertThat(served).isGreaterThanOrEqualTo(15);
      double limited = node.udpMetrics().requests("announce", "rate_limited");
      // the flooder got its burst and its rate, no more: the rest was silenced
      assertThat(limited).isGreaterThan(sent - PER_SECOND * 4);
      assertThat(node.udpMetrics().requests("announce", "ok")).isLessThan(served + PER_SECOND * 4);
    }
  }

  private static String httpGet(String source, int port, String path) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: tracker\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aFloodingHttpAddressGets429WithAFailureReasonWhileAnotherIsServed() throws Exception {
    start();
    String scrape = "/scrape?info_hash=" + "%00".repeat(20);
    int limited = 0;
    for (int i = 0; i < PER_SECOND * 3; i++) {
      String r = httpGet("127.0.0.2", node.httpPort(), scrape);
      if (r.startsWith("HTTP/1.1 429")) {
        limited++;
        assertThat(r).contains("failure reason").contains("rate limited");
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(PER_SECOND);
    assertThat(httpGet("127.0.0.3", node.httpPort(), scrape)).startsWith("HTTP/1.1 200");
  }
}
