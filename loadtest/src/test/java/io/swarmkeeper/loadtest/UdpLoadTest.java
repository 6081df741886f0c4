package io.swarmkeeper.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator against a real swarmkeeper, and against trackers that answer wrongly. */
class UdpLoadTest {
  private SwarmkeeperNode node;
  private SwarmkeeperNode second;
  private Thread badTracker;
  private DatagramSocket badSocket;

  private InetSocketAddress startSwarmkeeper(int intervalSeconds) throws Exception {
    node = newNode(intervalSeconds);
    return new InetSocketAddress("127.0.0.1", node.udpPort());
  }

  private static SwarmkeeperNode newNode(int intervalSeconds) throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setAnnounceIntervalSeconds(intervalSeconds)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setPort(-1)); // two nodes must not share 6969
    return SwarmkeeperNode.start(options, new SimpleMeterRegistry())
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (SwarmkeeperNode n : new SwarmkeeperNode[] {node, second}) {
      if (n != null) {
        n.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    if (badSocket != null) {
      badSocket.close();
      badTracker.join(5000);
    }
  }

  private static UdpLoad.Options options(
      InetSocketAddress target, double warmup, double duration, boolean closedLoop) {
    return new UdpLoad.Options(
        List.of(target), 32, 2, "127.0.0.10", warmup, duration, 1000, true, closedLoop, 1.0, 60, 0);
  }

  @Test
  void loadsSwarmkeeperWithEveryAnswerValid() throws Exception {
    InetSocketAddress target = startSwarmkeeper(1800);
    Scenario scenario = new Scenario(100, 3000, 2, 0.5, 0.05, 5, 30, 50, 1);
    LoadStats stats = new UdpLoad(options(target, 0.5, 1.5, false), scenario).run();
    assertThat(stats.responses).isGreaterThan(1000);
    assertThat(stats.invalid).as(String.valueOf(stats.firstInvalid)).isZero();
    assertThat(stats.timeouts).isZero();
    assertThat(stats.errorPackets).isZero();
    assertThat(stats.scrapes).isPositive();
    assertThat(stats.peersReturned / (double) stats.announces).isGreaterThan(5);
    assertThat(stats.maxInterval).isBetween(1800L, 1890L); // 5 % jitter, only upwards
    assertThat(stats.minInterval).isGreaterThanOrEqualTo(1800L);
    JsonObject json = new JsonObject(LoadStats.toJson(stats.toMap()));
    assertThat(json.getLong("responses")).isEqualTo(stats.responses);
    assertThat(json.getDouble("p99_ms")).isPositive();
    assertThat(stats.summary()).contains("responses/s");
  }

  @Test
  void closedLoopClientsObeyTheInterval() throws Exception {
    InetSocketAddress target = startSwarmkeeper(2);
    Scenario scenario = new Scenario(20, 400, 2, 0.5, 0, 5, 30, 50, 1);
    LoadStats stats = new UdpLoad(options(target, 1, 4, true), scenario).run();
    // 400 peers announcing every 2 s: about 200 announces/s, far below what an open loop sends.
    assertThat(stats.responsesPerSecond()).isBetween(120.0, 300.0);
    assertThat(stats.invalid).isZero();
  }

  @Test
  void clientsThatObeyTheIntervalAreSlowedToTheCapacityOfTheNode() throws Exception {
    // The closed loop at a small scale: 3,000 peers on a 2 s interval offer about 1,500
    // announces/s to a node whose capacity is 400/s. The node lengthens the interval, the clients
    // obey it, and the rate it sees falls towards its capacity.
    node =
        SwarmkeeperNode.start(
                new NodeOptions()
                    .setEventLoops(1)
                    .setAnnounceIntervalSeconds(2)
                    .setInterval(
                        new IntervalOptions()
                            .setMinSeconds(2)
                            .setMaxSeconds(30)
                            .setCapacity(400)
                            .setSmoothingSeconds(1))
                    .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
                    .setHttp(new HttpTrackerOptions().setPort(-1)),
                new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", node.udpPort());
    Scenario scenario = new Scenario(50, 3000, 2, 0.5, 0, 5, 30, 50, 1);
    java.util.concurrent.CompletableFuture<LoadStats> run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new UdpLoad(options(target, 0, 16, true), scenario).run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<double[]> seconds = new java.util.ArrayList<>(); // announces served, interval
    double last = node.udpMetrics().requests("announce", "ok");
    while (!run.isDone()) {
      Thread.sleep(1000);
      double now = node.udpMetrics().requests("announce", "ok");
      seconds.add(new double[] {now - last, node.intervalPolicy().currentSeconds()});
      last = now;
    }
    LoadStats stats = run.get();
    StringBuilder series = new StringBuilder("per second (announces, interval):");
    for (double[] s : seconds) {
      series.append(String.format(" %.0f/%.0f", s[0], s[1]));
    }
    assertThat(stats.invalid).isZero();
    assertThat(seconds.size()).isGreaterThan(12);
    // Clients come back in clumps (they all started at once), so rates are means over seconds.
    int n = seconds.size();
    double early = seconds.subList(0, 4).stream().mapToDouble(s -> s[0]).average().orElse(0);
    double late = seconds.subList(n - 9, n - 1).stream().mapToDouble(s -> s[0]).average().orElse(0);
    assertThat(early).as("offered at first (per second); %s", series).isGreaterThan(1000);
    assertThat(late)
        .as("offered at the end, obeying the longer interval; %s", series)
        .isLessThan(early * 0.6);
    assertThat(seconds.get(n - 2)[1]).as("the interval handed out").isGreaterThanOrEqualTo(4);
    assertThat(stats.maxInterval).isGreaterThanOrEqualTo(4L);
  }

  @Test
  void aFixedRateOffersThatRateWhateverTheWindow() throws Exception {
    InetSocketAddress target = startSwarmkeeper(1800);
    Scenario scenario = new Scenario(100, 3000, 2, 0.5, 0.01, 5, 30, 50, 1);
    // The window alone would let the generator send tens of thousands of requests per second.
    // +-20 %: on a busy 2-core machine a stall before the measured 2 s sends (and answers) the
    // requests due during it in a burst, in or out of the window.
    LoadStats stats = new UdpLoad(options(target, 1, 2, false).withRate(3000), scenario).run();
    assertThat(stats.responsesPerSecond()).isBetween(2400.0, 3600.0);
    assertThat(stats.requests).isBetween(4800L, 7200L);
    assertThat(stats.invalid).isZero();
    assertThat(stats.timeouts).isZero();
  }

  @Test
  void eachSourceSticksToOneOfSeveralTrackers() throws Exception {
    // Two nodes with their own random connection-id keys: an id one issued is silence at the
    // other, so a request sent to the wrong node times out.
    node = newNode(1800);
    second = newNode(1800);
    List<InetSocketAddress> both =
        List.of(
            new InetSocketAddress("127.0.0.1", node.udpPort()),
            new InetSocketAddress("127.0.0.1", second.udpPort()));
    Scenario scenario = new Scenario(50, 2000, 4, 0.5, 0.05, 5, 30, 50, 1);
    UdpLoad.Options o =
        new UdpLoad.Options(both, 32, 4, "127.0.0.10", 0, 0.5, 1000, true, false, 1.0, 60, 0);
    LoadStats stats = new UdpLoad(o, scenario).run();
    assertThat(stats.timeouts).isZero();
    assertThat(stats.invalid).as(String.valueOf(stats.firstInvalid)).isZero();
    assertThat(stats.errorPackets).isZero();
    // Sources 0 and 2 go to the first node, 1 and 3 to the second: half of the peers each, less
    // the few that stopped after the population.
    assertThat(node.store().peerCount()).isBetween(900L, 1000L);
    assertThat(second.store().peerCount()).isBetween(900L, 1000L);
    assertThat(node.store().peerCount() + second.store().peerCount())
        .isEqualTo(scenario.activePeers());
  }

  @Test
  void aPopulationAlreadyDoneIsNotAnnouncedAgain() throws Exception {
    // The peers of the first half that got a regular announce (not "started"): a peer's index is
    // the last 12 digits of its peer id (-SKLT01-NNNNNNNNNNNN).
    java.util.Set<Integer> firstHalfAgain = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger secondHalfStarted = new AtomicInteger();
    InetSocketAddress target =
        startBadTracker(
            (a, from) -> {
              int peer = Integer.parseInt(a.peerId().substring(8));
              if (a.event() != 2 && peer < 2000) { // a peer that announced before
                firstHalfAgain.add(peer);
              } else if (a.event() == 2 && peer >= 2000) {
                secondHalfStarted.incrementAndGet();
              }
              return announced(a, List.of());
            });
    Scenario whole = new Scenario(10, 4000, 2, 0.5, 0, 5, 30, 50, 1);
    Scenario half = whole.limitedTo(2000);
    UdpLoad.Options o =
        new UdpLoad.Options(
            List.of(target), 16, 2, "127.0.0.10", 0, 0, 1000, true, false, 1.0, 60, 0);
    new UdpLoad(o, half).run();
    firstHalfAgain.clear();
    new UdpLoad(o, whole).populatedAlready(half).run();
    // the second half was populated, and its peers read right
    assertThat(secondHalfStarted.get()).isBetween(2000, 2500);
    // Announcing the first half again would reach all 2,000 of its peers; only the few announces
    // sent at random (over all 4,000 peers) between the last population announce and the end of
    // the run remain, a few hundred on a slow machine, half of them to the first half.
    assertThat(firstHalfAgain.size()).isLessThan(1000);
    assertThat(whole.activePeers()).isGreaterThan(3900);
  }

  @Test
  void theWindowHooksRunOnceEachAtTheMeasuredWindowsEdges() throws Exception {
    InetSocketAddress target = startBadTracker((a, from) -> announced(a, List.of()));
    Scenario scenario = new Scenario(10, 200, 2, 0.5, 0, 5, 30, 50, 1);
    List<Long> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
    LoadStats stats =
        new UdpLoad(options(target, 0.3, 0.5, false).withRate(2000), scenario)
            .onWindow(() -> starts.add(System.nanoTime()), () -> ends.add(System.nanoTime()))
            .run();
    assertThat(starts).hasSize(1);
    assertThat(ends).hasSize(1);
    // What the hooks read covers the window the stats count, give or take a scheduling tick.
    assertThat(starts.get(0)).isBetween(stats.startNanos - 20_000_000, stats.startNanos);
    assertThat(ends.get(0)).isBetween(stats.endNanos, stats.endNanos + 20_000_000);
  }

  @Test
  void refusesMoreTrackersThanSourceAddresses() {
    List<InetSocketAddress> three =
        List.of(
            new InetSocketAddress("127.0.0.1", 1),
            new InetSocketAddress("127.0.0.1", 2),
            new InetSocketAddress("127.0.0.1", 3));
    Scenario scenario = new Scenario(10, 100, 2, 0.5, 0, 5, 30, 50, 1);
    UdpLoad.Options o =
        new UdpLoad.Options(three, 8, 2, "127.0.0.10", 0, 0.1, 1000, true, false, 1.0, 60, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UdpLoad(o, scenario).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 trackers need at least as many source addresses");
  }

  /**
   * A tracker that answers announces with what {@code answer} makes of (request, sender), and
   * connects and scrapes correctly.
   */
  private InetSocketAddress startBadTracker(
      BiFunction<UdpRequest.Announce, InetSocketAddress, ByteBuf> answer) throws SocketException {
    badSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    badTracker =
        new Thread(
            () -> {
              byte[] buf = new byte[2048];
              while (!badSocket.isClosed()) {
                try {
                  DatagramPacket p = new DatagramPacket(buf, buf.length);
                  badSocket.receive(p);
                  InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                  UdpRequest req =
                      UdpCodec.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()), 74);
                  ByteBuf out = Unpooled.buffer();
                  if (req instanceof UdpRequest.Connect c) {
                    UdpResponseCodec.encode(new UdpResponse.Connected(c.transactionId(), 9), out);
                  } else if (req instanceof UdpRequest.Announce a) {
                    out = answer.apply(a, from);
                  } else if (req instanceof UdpRequest.Scrape s) {
                    List<ScrapeStats> none =
                        Collections.nCopies(s.infoHashes().size(), ScrapeStats.EMPTY);
                    UdpResponseCodec.encode(new UdpResponse.Scraped(s.transactionId(), none), out);
                  }
                  byte[] bytes = ByteBufUtil.getBytes(out);
                  badSocket.send(new DatagramPacket(bytes, bytes.length, from));
                } catch (Exception e) {
                  return;
                }
              }
            });
    badTracker.start();
    return (InetSocketAddress) badSocket.getLocalSocketAddress();
  }

  private static ByteBuf announced(UdpRequest.Announce a, List<PeerEndpoint> peers) {
    ByteBuf out = Unpooled.buffer();
    UdpResponseCodec.encode(new UdpResponse.Announced(a.transactionId(), 1800, 1, 0, peers), out);
    return out;
  }

  @Test
  void countsAnswersThatReturnTheRequesterItself() throws Exception {
    InetSocketAddress target =
        startBadTracker(
            (a, from) -> announced(a, List.of(PeerEndpoint.of(from.getAddress(), a.port()))));
    Scenario scenario = new Scenario(10, 100, 1, 0.5, 0, 5, 30, 50, 1);
    LoadStats stats = new UdpLoad(options(target, 0.2, 0.5, false), scenario).run();
    assertThat(stats.invalid).isPositive();
    assertThat(stats.firstInvalid).contains("in its own peer list");
  }

  @Test
  void countsAnswersWithTheWrongPeerStride() throws Exception {
    InetSocketAddress target =
        startBadTracker(
            (a, from) -> announced(a, List.of(PeerEndpoint.ipv4(0x0A000001, 1))).writeByte(0));
    Scenario scenario = new Scenario(10, 100, 1, 0.5, 0, 5, 30, 50, 1);
    LoadStats stats = new UdpLoad(options(target, 0.2, 0.5, false), scenario).run();
    assertThat(stats.invalid).isPositive();
    assertThat(stats.firstInvalid).contains("not 6 bytes");
  }
}
