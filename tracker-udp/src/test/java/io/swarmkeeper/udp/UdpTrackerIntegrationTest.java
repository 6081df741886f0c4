package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The tracker over real sockets on loopback, run once per I/O path. */
class UdpTrackerIntegrationTest {
  private static final InfoHash A = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
  private static final InfoHash B = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");
  private static final int STARTED = 2;
  private static final int STOPPED = 3;
  private static final int COMPLETED = 1;
  private static final int NONE = 0;

  private Vertx vertx;
  private UdpTrackerDeployment deployment;
  private LocalSwarmStore store;
  private UdpTrackerMetrics metrics;
  private ConnectionIds ids;
  private final ConnectionIdsTest.MutableClock clock = new ConnectionIdsTest.MutableClock();
  private final Set<String> storeThreads = ConcurrentHashMap.newKeySet();

  /** Records which threads call the store, then delegates. */
  private SwarmStore recording(LocalSwarmStore delegate) {
    return new ForwardingSwarmStore(delegate) {
      @Override
      public Future<AnnounceResult> announce(AnnounceRequest request) {
        storeThreads.add(Thread.currentThread().getName());
        return super.announce(request);
      }
    };
  }

  private void start(UdpTransport transport, String host, int instances, boolean allowIp)
      throws Exception {
    start(transport, host, instances, allowIp, new AnnounceLimits(5, 20, 74));
  }

  private void start(
      UdpTransport transport, String host, int instances, boolean allowIp, AnnounceLimits limits)
      throws Exception {
    if (transport == UdpTransport.EPOLL) {
      assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
    }
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(4));
    store = new LocalSwarmStore(Ticker.system(), 3600);
    metrics = new UdpTrackerMetrics(new SimpleMeterRegistry());
    ids = new ConnectionIds(ConnectionIds.keyFromHex(null), clock, 120);
    UdpTrackerHandler handler =
        new UdpTrackerHandler(
            recording(store), ids, IntervalPolicy.fixed(1800), limits, allowIp, metrics);
    UdpTrackerOptions options =
        new UdpTrackerOptions().setHost(host).setPort(0).setTransport(transport);
    deployment = await(UdpTrackerDeployment.deploy(vertx, options, handler, instances));
    assertThat(deployment.transport()).isEqualTo(transport);
  }

  private void start(UdpTransport transport) throws Exception {
    start(transport, "127.0.0.1", 2, false);
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

  private TrackerClient client() throws Exception {
    TrackerClient c = TrackerClient.ipv4(deployment.port());
    c.connect();
    return c;
  }

  @org.junit.jupiter.api.Test
  void warnsWhenTheKernelGrantsSmallerBuffersThanAsked() throws Exception {
    start(UdpTransport.EPOLL);
    int huge = 1 << 30; // far above any net.core.rmem_max
    UdpTrackerOptions options =
        new UdpTrackerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setTransport(UdpTransport.EPOLL)
            .setReceiveBufferBytes(huge);
    UdpTrackerVerticle verticle =
        new UdpTrackerVerticle(options, null); // never receives a datagram
    await(vertx.deployVerticle(verticle));
    assertThat(verticle.bufferWarning())
        .contains("net.core.rmem_max")
        .contains(String.valueOf(huge));
    UdpTrackerVerticle modest =
        new UdpTrackerVerticle(
            new UdpTrackerOptions(options).setReceiveBufferBytes(65536).setSendBufferBytes(65536),
            null);
    await(vertx.deployVerticle(modest));
    assertThat(modest.bufferWarning()).isNull();
  }

  @org.junit.jupiter.api.Test
  void epollReadsSeveralDatagramsPerCall() throws Exception {
    start(UdpTransport.EPOLL);
    UdpTrackerVerticle verticle =
        new UdpTrackerVerticle(
            new UdpTrackerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setTransport(UdpTransport.EPOLL),
            null);
    await(vertx.deployVerticle(verticle));
    // One recvmmsg per wake-up instead of one recvmsg per datagram: about 1.4 x the responses/s
    // in loadtest/bench.sh. It was once meant to be on and was not; this keeps it on.
    assertThat(verticle.datagramsPerRead()).isEqualTo(UdpTrackerVerticle.RECVMMSG_DATAGRAMS);
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void aBurstOfDatagramsIsAnsweredOneByOne(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = TrackerClient.ipv4(deployment.port())) {
      int n = 200; // many recvmmsg batches, each datagram a slice of one receive buffer
      for (int i = 0; i < n; i++) {
        c.send(new UdpRequest.Connect(1000 + i));
      }
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        UdpResponse r = c.receive(5000);
        assertThat(r).as("answer %d of %d", i + 1, n).isInstanceOf(UdpResponse.Connected.class);
        answered.add(TrackerClient.transactionId(r));
      }
      assertThat(answered).hasSize(n).allMatch(tx -> tx >= 1000 && tx < 1000 + n);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void connectAnswers16BytesWithTheTransactionId(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = TrackerClient.ipv4(deployment.port())) {
      // The codec reads a connect answer of exactly 16 bytes only.
      UdpResponse.Connected r =
          c.exchange(new UdpRequest.Connect(0x01020304), 0x01020304, UdpResponse.Connected.class);
      assertThat(ids.verify(r.connectionId(), PeerEndpoint.ipv4(0x7F000001, 1))).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void unknownOrExpiredConnectionIdGetsSilence(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = client()) {
      long good = c.connectionId;
      c.send(TrackerClient.announceRequest(good ^ 1, 1, A, 100, STARTED, 0, 10, 6881));
      c.send(new UdpRequest.Scrape(12345, 2, List.of(A)));
      // port 0 and event 7 would get an error packet if their ids were verified
      c.send(TrackerClient.announceRequest(good ^ 2, 3, A, 100, STARTED, 0, 10, 0));
      c.send(TrackerClient.announceRequest(good ^ 1, 4, A, 100, 7, 0, 10, 6881));
      assertThat(c.receive(300)).isNull();
      assertThat(metrics.rejected("bad_connection_id")).isEqualTo(4);

      clock.millis += 121_000; // past the 120 s lifetime
      c.send(TrackerClient.announceRequest(good, 5, A, 100, STARTED, 0, 10, 6881));
      assertThat(c.receive(300)).isNull();
      assertThat(store.peerCount()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void announceReturnsCountsAndOtherPeersOfTheSwarm(UdpTransport transport) throws Exception {
    start(transport);
    List<TrackerClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        clients.add(client());
      }
      clients.get(7).announce(B, 7000, 100, STARTED, 0); // another swarm
      for (int i = 0; i < 4; i++) {
        clients.get(i).announce(A, 6000 + i, 0, STARTED, 0); // seeders
      }
      for (int i = 4; i < 7; i++) {
        clients.get(i).announce(A, 6000 + i, 100, STARTED, 0); // leechers
      }
      UdpResponse.Announced r = clients.get(4).announce(A, 6004, 100, NONE, 20);
      assertThat(r.intervalSeconds()).isEqualTo(1800);
      assertThat(r.seeders()).isEqualTo(4);
      assertThat(r.leechers()).isEqualTo(3);
      assertThat(r.peers())
          .hasSize(6)
          .doesNotContain(PeerEndpoint.ipv4(0x7F000001, 6004))
          .allSatisfy(p -> assertThat(p.port()).isBetween(6000, 6006));

      // a seeder is sent leechers only
      UdpResponse.Announced s = clients.get(0).announce(A, 6000, 0, NONE, 20);
      assertThat(s.peers())
          .extracting(PeerEndpoint::port)
          .containsExactlyInAnyOrder(6004, 6005, 6006);

      // numwant: -1 is the default (5 here), 0 none, above the maximum capped
      assertThat(clients.get(4).announce(A, 6004, 100, NONE, -1).peers()).hasSize(5);
      assertThat(clients.get(4).announce(A, 6004, 100, NONE, 0).peers()).isEmpty();
      assertThat(clients.get(4).announce(A, 6004, 100, NONE, 3).peers()).hasSize(3);
    } finally {
      clients.forEach(TrackerClient::close);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void maximumNumWantCapsTheAnswer(UdpTransport transport) throws Exception {
    start(transport);
    for (int i = 0; i < 40; i++) {
      store.announceNow(
          new AnnounceRequest(
              A, PeerEndpoint.ipv4(0x0A000000 + i, 1000), AnnounceEvent.STARTED, 1, 0));
    }
    try (TrackerClient c = client()) {
      assertThat(c.announce(A, 6881, 100, STARTED, 1000).peers()).hasSize(20);
    }
  }

  /** 1,000 peers and max-numwant 10,000: the answer still fits one 1,200-byte datagram. */
  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void anIpv4AnswerFitsOneDatagramWhateverMaxNumWant(UdpTransport transport) throws Exception {
    start(transport, "127.0.0.1", 1, false, new AnnounceLimits(10_000, 10_000, 74));
    for (int i = 0; i < 1000; i++) {
      store.announceNow(
          new AnnounceRequest(
              A, PeerEndpoint.ipv4(0x0A000000 + i, 1000), AnnounceEvent.STARTED, 1, 0));
    }
    try (TrackerClient c = client()) {
      List<PeerEndpoint> peers = c.announce(A, 6881, 100, STARTED, 10_000).peers();
      assertThat(peers).hasSize(196).doesNotHaveDuplicates();
      assertThat(UdpResponseCodec.ANNOUNCE_HEADER_SIZE + 6 * peers.size())
          .isLessThanOrEqualTo(1200);
      assertThat(c.announce(A, 6881, 100, NONE, -1).peers()).hasSize(196); // the default, 10,000
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void anIpv6AnswerFitsOneDatagramWhateverMaxNumWant(UdpTransport transport) throws Exception {
    assumeTrue(hasIpv6Loopback(), "no IPv6 loopback here");
    start(transport, "::", 1, false, new AnnounceLimits(10_000, 10_000, 74));
    for (int i = 0; i < 1000; i++) {
      store.announceNow(
          new AnnounceRequest(
              A, PeerEndpoint.ipv6(0x20010db800000000L, i, 1000), AnnounceEvent.STARTED, 1, 0));
    }
    InetSocketAddress tracker6 = new InetSocketAddress("::1", deployment.port());
    try (TrackerClient c = new TrackerClient(InetAddress.getByName("::1"), tracker6)) {
      c.connect();
      List<PeerEndpoint> peers = c.announce(A, 6881, 100, STARTED, 10_000).peers();
      assertThat(peers).hasSize(65).allMatch(PeerEndpoint::ipv6);
      assertThat(UdpResponseCodec.ANNOUNCE_HEADER_SIZE + 18 * peers.size())
          .isLessThanOrEqualTo(1200);
    }
  }

  /** A refusal is the store's answer, not its failure: the client reads why, and it is counted. */
  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void anAnnouncePastAStoreLimitGetsTheStoresMessage(UdpTransport transport) throws Exception {
    start(transport);
    store.setLimits(new SwarmLimits(0, 0, 1, 0, 0)); // one peer per swarm
    try (TrackerClient first = client();
        TrackerClient second = client()) {
      assertThat(first.announce(A, 6001, 100, STARTED, 10).leechers()).isEqualTo(1);
      String message = second.error(second.announceRequest(42, A, 6002, STARTED));
      Throwable refusal =
          store
              .announce(
                  new AnnounceRequest(
                      A, PeerEndpoint.ipv4(0x0A000001, 1), AnnounceEvent.STARTED, 1, 0))
              .cause();
      assertThat(refusal).isInstanceOf(AnnounceRefusedException.class);
      assertThat(message).isEqualTo(refusal.getMessage());
      assertThat(metrics.rejected("refused_by_limit")).isEqualTo(1);
      assertThat(metrics.rejected("store_failure")).isZero();
      assertThat(store.peerCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void eventsStoppedAndCompleted(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient a = client();
        TrackerClient b = client()) {
      a.announce(A, 6001, 100, STARTED, 0);
      b.announce(A, 6002, 100, STARTED, 0);
      UdpResponse.Announced done = a.announce(A, 6001, 0, COMPLETED, 10);
      assertThat(done.seeders()).isEqualTo(1);
      assertThat(done.leechers()).isEqualTo(1);
      a.announce(A, 6001, 0, COMPLETED, 10); // counted once per peer
      assertThat(a.scrape(List.of(A))).containsExactly(new ScrapeStats(1, 1, 1));
      UdpResponse.Announced stopped = b.announce(A, 6002, 100, STOPPED, 10);
      assertThat(stopped.leechers()).isZero();
      assertThat(a.announce(A, 6001, 0, NONE, 10).peers()).isEmpty();
      assertThat(a.scrape(List.of(A))).containsExactly(new ScrapeStats(1, 1, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void portZeroAndBadEventGetErrorPackets(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = client()) {
      assertThat(c.exchange(c.announceRequest(77, A, 0, STARTED)))
          .isEqualTo(new UdpResponse.TrackerError(77, "invalid port 0"));
      assertThat(c.error(c.announceRequest(78, A, 6881, 9))).contains("event");
      assertThat(store.peerCount()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void ipFieldIsIgnoredUnlessAllowed(UdpTransport transport) throws Exception {
    assertThat(peerAnnouncedWithIpField(transport, false))
        .isEqualTo(PeerEndpoint.ipv4(0x7F000001, 6881));
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void ipFieldIsUsedWhenAllowed(UdpTransport transport) throws Exception {
    assertThat(peerAnnouncedWithIpField(transport, true))
        .isEqualTo(PeerEndpoint.ipv4(0x01020304, 6881));
  }

  /** One client announces with IP field 1.2.3.4; what another client is told about it. */
  private PeerEndpoint peerAnnouncedWithIpField(UdpTransport transport, boolean allowed)
      throws Exception {
    start(transport, "127.0.0.1", 1, allowed);
    try (TrackerClient c = client();
        TrackerClient d = client()) {
      c.exchange(
          TrackerClient.announceRequest(c.connectionId, 1, A, 100, STARTED, 0x01020304, 0, 6881),
          1,
          UdpResponse.Announced.class);
      List<PeerEndpoint> peers = d.announce(A, 6882, 100, STARTED, 10).peers();
      assertThat(peers).hasSize(1);
      return peers.get(0);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void scrapeAnswersInOrderUpToTheLimit(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = client()) {
      c.announce(A, 6001, 0, STARTED, 0);
      c.announce(B, 6001, 100, STARTED, 0);
      List<InfoHash> hashes = new ArrayList<>();
      hashes.add(B);
      for (int i = 0; i < 72; i++) {
        hashes.add(InfoHash.of(i, i, i));
      }
      hashes.add(A);
      List<ScrapeStats> stats = c.scrape(hashes);
      assertThat(stats).hasSize(74);
      assertThat(stats.get(0)).isEqualTo(new ScrapeStats(0, 0, 1));
      assertThat(stats.get(73)).isEqualTo(new ScrapeStats(1, 0, 0));
      assertThat(stats.subList(1, 73)).containsOnly(ScrapeStats.EMPTY);
      hashes.add(InfoHash.of(99, 99, 99));
      assertThat(c.error(new UdpRequest.Scrape(c.connectionId, 5, hashes)))
          .contains("too many info hashes");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void ipv6ClientsGet18BytePeersOfTheIpv6Swarm(UdpTransport transport) throws Exception {
    InetAddress loopback6 = InetAddress.getByName("::1");
    assumeTrue(hasIpv6Loopback(), "no IPv6 loopback here");
    start(transport, "::", 2, false);
    InetSocketAddress tracker6 = new InetSocketAddress(loopback6, deployment.port());
    try (TrackerClient v4 = client();
        TrackerClient a = new TrackerClient(loopback6, tracker6);
        TrackerClient b = new TrackerClient(loopback6, tracker6)) {
      v4.announce(A, 7000, 100, STARTED, 0);
      a.connect();
      b.connect();
      a.announce(A, 7001, 100, STARTED, 0);
      UdpResponse.Announced r = b.announce(A, 7002, 100, STARTED, 50);
      assertThat(r.peers()).hasSize(1);
      PeerEndpoint peer = r.peers().get(0);
      assertThat(peer.ipv6()).isTrue();
      assertThat(peer.port()).isEqualTo(7001);
      assertThat(r.leechers()).isEqualTo(3);
      // the IPv4 client, reaching the same dual-stack socket, sees only the IPv4 swarm
      assertThat(v4.announce(A, 7000, 100, NONE, 50).peers()).isEmpty();
    }
  }

  private static boolean hasIpv6Loopback() {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("::1", 0))) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void announceWithBep41OptionsIsServed(UdpTransport transport) throws Exception {
    start(transport);
    try (TrackerClient c = client()) {
      UdpRequest.Announce plain = c.announceRequest(9, A, 6881, STARTED);
      // two URLData options, as the URL is longer than one option holds
      UdpRequest.Announce withUrl = plain.withUrlData("/announce?key=" + "x".repeat(300));
      assertThat(c.exchange(withUrl, 9, UdpResponse.Announced.class).leechers()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void survivesRandomDatagramsThenServes(UdpTransport transport) throws Exception {
    start(transport);
    Random random = new Random(1234);
    try (TrackerClient c = client()) {
      for (int i = 0; i < 10_000; i++) {
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        if (junk.length >= 12 && i % 3 == 0) {
          junk[11] = (byte) random.nextInt(4); // a real action with garbage around it
        }
        if (junk.length >= 8 && i % 7 == 0) {
          Unpooled.wrappedBuffer(junk).setLong(0, c.connectionId); // a valid id, garbage after
        }
        c.send(junk);
        if (i % 100 == 0) {
          // leave the loopback buffers room (paranoid leak tracking slows the tracker in tests);
          // this is no flood test
          Thread.sleep(5);
        }
      }
      while (c.receive(200) != null) {
        // drain the error packets answered to garbage that carried the valid id
      }
      TrackerClient fresh = client();
      try (fresh) {
        assertThat(fresh.announce(A, 6881, 100, STARTED, 10).leechers()).isGreaterThanOrEqualTo(1);
      }
      assertThat(metrics.rejectedTotal()).isGreaterThan(5_000);
      assertThat(metrics.handlerFailures()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void severalEventLoopsKeepCountsExact(UdpTransport transport) throws Exception {
    start(transport, "127.0.0.1", 4, false);
    int clients = 16;
    int peersPerClient = 60;
    InfoHash[] hashes = new InfoHash[5];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = InfoHash.of(42, 42, i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  try (TrackerClient t = client()) {
                    for (int p = 0; p < peersPerClient; p++) {
                      int port = 10_000 + client * 100 + p;
                      InfoHash h = hashes[p % hashes.length];
                      t.announce(h, port, p % 2 == 0 ? 0 : 100, STARTED, 5);
                      if (p % 4 == 0) {
                        t.announce(h, port, 0, STOPPED, 0);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int expected = clients * (peersPerClient - peersPerClient / 4);
    assertThat(store.peerCount()).isEqualTo(expected);
    try (TrackerClient c = client()) {
      List<ScrapeStats> stats = c.scrape(List.of(hashes));
      assertThat(stats.stream().mapToInt(s -> s.seeders() + s.leechers()).sum())
          .isEqualTo(expected);
      assertThat(stats.stream().mapToInt(ScrapeStats::seeders).sum())
          .isEqualTo(clients * (peersPerClient / 2 - peersPerClient / 4));
    }
    if (transport == UdpTransport.EPOLL) {
      assertThat(deployment.instances()).isEqualTo(4);
      assertThat(storeThreads).as("event loops that served announces").hasSizeGreaterThan(1);
    }
    assertThat(storeThreads).allSatisfy(t -> assertThat(t).contains("eventloop"));
  }
}
