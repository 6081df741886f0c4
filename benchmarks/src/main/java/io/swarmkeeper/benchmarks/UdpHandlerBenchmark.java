package io.swarmkeeper.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.RateLimitOptions;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.ConnectionIds;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpTrackerHandler;
import io.swarmkeeper.udp.UdpTrackerMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole UDP request path without the socket: a BEP 15 datagram in, decoded, checked,
 * rate-limited, announced into a populated {@link LocalSwarmStore}, metered and answered into a
 * buffer. Run with {@code -prof gc} for the bytes allocated per request ({@code
 * gc.alloc.rate.norm}): the answer buffer is reused, so what is counted is the handler's own.
 *
 * <pre>
 * taskset -c 1 java -jar benchmarks/target/benchmarks.jar UdpHandlerBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class UdpHandlerBenchmark {
  private static final int PACKETS = 4096;

  @Param({"10000"})
  int swarms;

  @Param({"200000"})
  int peers;

  /** Whether every request goes through a rate limiter (the default for a public node). */
  @Param({"true"})
  boolean rateLimited;

  private UdpTrackerHandler handler;
  private ByteBuf[] announces;
  private ByteBuf connect;
  private InetSocketAddress sender;
  private final ByteBuf answer = Unpooled.buffer(1500);
  private int next;

  private final UdpTrackerHandler.Responder responder =
      new UdpTrackerHandler.Responder() {
        @Override
        public ByteBuf allocate(int bytes) {
          return answer.clear();
        }

        @Override
        public void send(ByteBuf response, InetSocketAddress recipient) {
          // the socket's part: not measured
        }
      };

  @Setup
  public void setUp() throws Exception {
    Population population = new Population(swarms, peers, 50, 42);
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
    for (int i = 0; i < peers; i++) {
      store.announceNow(population.request(i, AnnounceEvent.STARTED));
    }
    ConnectionIds ids =
        new ConnectionIds(
            ConnectionIds.keyFromHex("00112233445566778899aabbccddeeff"),
            InstantSource.system(),
            3600);
    RateLimiter limiter =
        rateLimited
            ? new RateLimiter(
                new RateLimitOptions()
                    .setRequestsPerSecond(10_000_000)
                    .setBurst(100_000_000)
                    .setExemptLoopback(false),
                Ticker.system())
            : RateLimiter.off();
    handler =
        new UdpTrackerHandler(
            store,
            ids,
            IntervalPolicy.fixed(1800),
            AnnounceLimits.DEFAULT,
            false,
            new UdpTrackerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            limiter);
    sender = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 6881);
    long connectionId = ids.issue(PeerEndpoint.of(sender));
    announces = new ByteBuf[PACKETS];
    for (int i = 0; i < PACKETS; i++) {
      AnnounceRequest r = population.request(i * (peers / PACKETS), AnnounceEvent.NONE);
      ByteBuf b = Unpooled.buffer(UdpCodec.ANNOUNCE_REQUEST_SIZE);
      UdpCodec.encode(
          new UdpRequest.Announce(
              connectionId,
              i,
              r.infoHash(),
              "-SK0001-benchmark000",
              0,
              r.left(),
              0,
              0,
              0,
              0,
              50,
              r.peer().port(),
              null),
          b);
      announces[i] = b;
    }
    connect = Unpooled.buffer(16);
    UdpCodec.encode(new UdpRequest.Connect(7), connect);
  }

  /** One announce datagram from a known client, answered with up to 50 peers. */
  @Benchmark
  public ByteBuf announce() {
    ByteBuf packet = announces[next];
    next = (next + 1) & (PACKETS - 1);
    packet.readerIndex(0);
    handler.handle(packet, sender, responder);
    return answer;
  }

  /** One connect datagram, answered with a connection id. */
  @Benchmark
  public ByteBuf connect() {
    connect.readerIndex(0);
    handler.handle(connect, sender, responder);
    return answer;
  }
}
