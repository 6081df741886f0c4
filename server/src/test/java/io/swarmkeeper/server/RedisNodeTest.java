package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.redis.RedisStoreOptions;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.testsupport.RedisServer;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Nodes with {@code --store redis} on a real Redis (Debian's redis-server): two nodes serve one set
 * of swarms over both protocols and accept each other's connection ids; Redis stopped under load
 * leaves every request answered (degraded, with the longer interval, said in /ready and the
 * metrics), and once Redis is back the node serves whole again with what Redis kept.
 */
class RedisNodeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int DEGRADED_INTERVAL = 5400;

  @Test
  void twoNodesOnOneRedisServeOneSetOfSwarmsOverUdpAndHttp() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      SwarmkeeperNode a = start(redis);
      SwarmkeeperNode b = start(redis);
      try {
        InfoHash h = InfoHash.fromHex("aa112233445566778899aabbccddeeff00112233");
        UdpResponse.Announced first = udpAnnounce(a, h, 7001, 100);
        assertThat(first.peers()).isEmpty();
        assertThat(ports(httpAnnounce(b, h, 7002, 0))).containsExactly(7001);
        // A connection id node A issued, accepted by node B: the key is agreed through Redis.
        long fromA;
        try (UdpClient toA = new UdpClient(a.udpPort())) {
          fromA = toA.connectionId();
        }
        try (UdpClient toB = new UdpClient(b.udpPort(), fromA)) {
          assertThat(ports(announced(toB.announceAnswer(h.toBytes(), 7003, 100)).peers()))
              .containsExactlyInAnyOrder(7001, 7002);
        }
        assertThat(ports(httpAnnounce(a, h, 7004, 100)))
            .containsExactlyInAnyOrder(7001, 7002, 7003);
        // A seeder is sent the leechers only, whichever node it asks.
        assertThat(ports(udpAnnounce(a, h, 7002, 0).peers()))
            .containsExactlyInAnyOrder(7001, 7003, 7004);
        UdpResponse.Announced counts = udpAnnounce(b, h, 7001, 100);
        assertThat(counts.seeders()).isEqualTo(1);
        assertThat(counts.leechers()).isEqualTo(3);
        // The census (every second here): one node takes it, both read it, so both count the
        // one swarm and its four peers.
        for (SwarmkeeperNode node : List.of(a, b)) {
          WhitelistNodeTest.within(
              10_000, () -> node.store().swarmCount() == 1 && node.store().peerCount() == 4);
          assertThat(metric(node, "swarmkeeper_peers")).isEqualTo("4.0");
        }
      } finally {
        stop(a);
        stop(b);
      }
    }
  }

  @Test
  void redisStoppedUnderLoadIsAnsweredDegradedAndServiceIsWholeWhenItIsBack() throws Exception {
    try (RedisServer redis = RedisServer.start(true)) {
      SwarmkeeperNode node = start(redis);
      try {
        InfoHash h = InfoHash.fromHex("bb112233445566778899aabbccddeeff00112233");
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          udpAnnounce(node, h, 8000 + i, 100);
          before.add(8000 + i);
        }
        UdpResponse.Announced whole = udpAnnounce(node, h, 8100, 100);
        assertThat(whole.peers()).hasSize(20);
        assertThat(whole.intervalSeconds()).isLessThan(DEGRADED_INTERVAL);

        // A steady load over both protocols for the whole outage: every request answered.
        Load load = new Load(node);
        load.start();
        load.awaitAnswers(50);

        redis.stop();
        UdpResponse.Announced degraded = udpAnnounce(node, h, 8101, 100);
        assertThat(degraded.peers()).isEmpty();
        assertThat(degraded.seeders() + degraded.leechers()).isZero();
        assertThat(degraded.intervalSeconds()).isEqualTo(DEGRADED_INTERVAL);
        Map<?, ?> http = httpAnnounce(node, h, 8102, 100);
        assertThat(http.get("failure reason")).isNull();
        assertThat(((Number) http.get("interval")).intValue()).isEqualTo(DEGRADED_INTERVAL);
        assertThat(ports(http)).isEmpty();
        assertThat(node.failure()).isNull();
        assertThat(node.degraded()).startsWith("redis is unreachable");
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("ready; redis is unreachable");
        assertThat(metric(node, "swarmkeeper_redis_up")).isEqualTo("0.0");
        long answersDuringOutage = load.answered.get();
        load.awaitAnswers(answersDuringOutage + 50);

        redis.restart();
        // Back by itself on every event loop: the peers Redis kept are handed out again, the
        // interval is the policy's.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (node.degraded() != null && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(node.degraded()).as("15 s after redis came back").isNull();
        for (int i = 0; i < 8; i++) { // from fresh sockets: spread over the event loops
          UdpResponse.Announced r = udpAnnounce(node, h, 8103, 100);
          assertThat(ports(r.peers())).containsAll(before);
          assertThat(r.intervalSeconds()).isLessThan(DEGRADED_INTERVAL);
        }
        assertThat(metric(node, "swarmkeeper_redis_up")).isEqualTo("1.0");
        assertThat(Double.parseDouble(metric(node, "swarmkeeper_redis_failures_total")))
            .isGreaterThan(0);
        assertThat(Double.parseDouble(metric(node, "swarmkeeper_redis_degraded_answers_total")))
            .isGreaterThanOrEqualTo(2);
        load.awaitAnswers(load.answered.get() + 50);
        load.stop();
        assertThat(load.unanswered.get()).as("requests of the load left unanswered").isZero();
        assertThat(load.failed.get()).as("requests of the load answered with an error").isZero();
      } finally {
        stop(node);
      }
    }
  }

  /** UDP and HTTP announces one after another, each waited for, until stopped. */
  private static final class Load implements Runnable {
    final SwarmkeeperNode node;
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicReference<Throwable> broke = new AtomicReference<>();
    final Thread thread = new Thread(this, "redis-outage-load");

    Load(SwarmkeeperNode node) {
      this.node = node;
    }

    void start() {
      thread.start();
    }

    @Override
    public void run() {
      InfoHash h = InfoHash.fromHex("cc112233445566778899aabbccddeeff00112233");
      try (UdpClient udp = new UdpClient(node.udpPort())) {
        int i = 0;
        while (running.get()) {
          try {
            if (i % 2 == 0) {
              announced(udp.announceAnswer(h.toBytes(), 9000 + i % 500, 100));
            } else if (httpAnnounce(node, h, 9000 + i % 500, 100).get("failure reason") != null) {
              failed.incrementAndGet();
            }
            answered.incrementAndGet();
          } catch (java.net.SocketTimeoutException e) {
            unanswered.incrementAndGet();
          }
          i++;
        }
      } catch (Throwable e) {
        broke.set(e);
      }
    }

    void awaitAnswers(long n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (answered.get() < n && System.nanoTime() < deadline && broke.get() == null) {
        Thread.sleep(10);
      }
      assertThat(broke.get()).isNull();
      assertThat(answered.get()).isGreaterThanOrEqualTo((int) n);
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      assertThat(broke.get()).isNull();
    }
  }

  static SwarmkeeperNode start(RedisServer redis) throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(2)
            .setDefaultNumWant(50)
            .setStore("redis")
            .setRedis(
                new RedisStoreOptions()
                    .setUrls(List.of(redis.url()))
                    .setTimeoutMillis(200)
                    .setCensusSeconds(1)
                    .setDegradedIntervalSeconds(DEGRADED_INTERVAL))
            .setInterval(new IntervalOptions().setMinSeconds(1800).setMaxSeconds(7200))
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setAdmin(new AdminOptions().setHost("127.0.0.1").setPort(0));
    return SwarmkeeperNode.start(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  static void stop(SwarmkeeperNode node) throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** An announce (event started) from a fresh socket: its own connect, its own source port. */
  static UdpResponse.Announced udpAnnounce(SwarmkeeperNode node, InfoHash h, int port, long left)
      throws Exception {
    try (UdpClient udp = new UdpClient(node.udpPort())) {
      return announced(udp.announceAnswer(h.toBytes(), port, left));
    }
  }

  private static UdpResponse.Announced announced(UdpResponse r) {
    if (!(r instanceof UdpResponse.Announced a)) {
      throw new AssertionError("not an announce answer: " + r);
    }
    return a;
  }

  static Map<?, ?> httpAnnounce(SwarmkeeperNode node, InfoHash h, int port, long left)
      throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + node.httpPort()
                            + "/announce?info_hash="
                            + WhitelistNodeTest.escaped(h.toBytes())
                            + "&peer_id=-SK0001-redistest001&port="
                            + port
                            + "&left="
                            + left
                            + "&compact=1"))
                .timeout(java.time.Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return (Map<?, ?>) Bencode.decode(r.body());
  }

  private static List<Integer> ports(List<PeerEndpoint> peers) {
    return peers.stream().map(PeerEndpoint::port).toList();
  }

  private static List<Integer> ports(Map<?, ?> httpAnswer) {
    Object peers = httpAnswer.get("peers");
    byte[] compact = peers == null ? new byte[0] : (byte[]) peers;
    List<Integer> out = new ArrayList<>();
    for (int off = 0; off + 6 <= compact.length; off += 6) {
      out.add(((compact[off + 4] & 0xFF) << 8) | (compact[off + 5] & 0xFF));
    }
    return out;
  }

  static String metric(SwarmkeeperNode node, String name) throws Exception {
    return RegistryOutageTest.metric(node, name);
  }
}
