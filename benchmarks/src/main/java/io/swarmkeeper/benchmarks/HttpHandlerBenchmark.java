package io.swarmkeeper.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.http.HttpTrackerHandler;
import io.swarmkeeper.http.HttpTrackerMetrics;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.http.HttpTrackerVerticle;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.RateLimitOptions;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP tracker as a client meets it: a real Vert.x HTTP server on loopback (one event loop)
 * with a populated {@link LocalSwarmStore}, and one keep-alive connection on which the benchmark
 * thread sends a GET and reads the whole answer. Run with {@code -prof gc}: JMH counts the bytes
 * every thread allocates, and the client here allocates nothing per request (its request bytes are
 * built in setup and its answers read into one array), so {@code gc.alloc.rate.norm} is the
 * server's. {@code health} is Vert.x's own cost of a request (decoding, the request and response
 * objects, the headers), {@code announce} that plus the tracker's: the difference is what the
 * tracker's code adds.
 *
 * <pre>
 * taskset -c 1 java -jar benchmarks/target/benchmarks.jar HttpHandlerBenchmark -prof gc
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
public class HttpHandlerBenchmark {
  private static final int REQUESTS = 4096;
  private static final byte[] CONTENT_LENGTH =
      "content-length:".getBytes(StandardCharsets.ISO_8859_1);

  @Param({"10000"})
  int swarms;

  @Param({"200000"})
  int peers;

  private Vertx vertx;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private byte[][] announces;
  private byte[] health;
  private final byte[] answer = new byte[64 * 1024];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Population population = new Population(swarms, peers, 50, 42);
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
    for (int i = 0; i < peers; i++) {
      store.announceNow(population.request(i, AnnounceEvent.STARTED));
    }
    HttpTrackerOptions options = new HttpTrackerOptions().setHost("127.0.0.1").setPort(0);
    RateLimiter limiter =
        new RateLimiter(
            new RateLimitOptions()
                .setRequestsPerSecond(10_000_000)
                .setBurst(100_000_000)
                .setExemptLoopback(false),
            Ticker.system());
    HttpTrackerHandler handler =
        new HttpTrackerHandler(
            store,
            IntervalPolicy.fixed(1800),
            AnnounceLimits.DEFAULT,
            options,
            () -> true,
            () -> true,
            new HttpTrackerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            limiter);
    vertx = Vertx.vertx();
    int port =
        HttpTrackerVerticle.deploy(vertx, options, handler, 1)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .port();
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
    announces = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      AnnounceRequest r = population.request(i * (peers / REQUESTS), AnnounceEvent.NONE);
      announces[i] =
          request(
              "/announce?info_hash="
                  + percentEncoded(r.infoHash().toBytes())
                  + "&peer_id=-SK0001-benchmark000&port="
                  + r.peer().port()
                  + "&uploaded=0&downloaded=0&left="
                  + r.left()
                  + "&compact=1&numwant=50");
    }
    health = request("/health");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    socket.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One announce from a known client, answered with up to 50 compact peers. */
  @Benchmark
  public int announce() throws IOException {
    byte[] request = announces[next];
    next = (next + 1) & (REQUESTS - 1);
    return exchange(request);
  }

  /** {@code GET /health}: what Vert.x costs per request before the tracker does anything. */
  @Benchmark
  public int health() throws IOException {
    return exchange(health);
  }

  /** Sends one request and reads its whole answer; answers the body's length. */
  private int exchange(byte[] request) throws IOException {
    out.write(request);
    int read = 0;
    int headEnd = -1;
    int bodyLength = -1;
    while (true) {
      int n = in.read(answer, read, answer.length - read);
      if (n < 0) {
        throw new IOException("connection closed after " + read + " bytes");
      }
      read += n;
      if (headEnd < 0) {
        headEnd = headEnd(read);
        if (headEnd >= 0) {
          bodyLength = contentLength(headEnd);
        }
      }
      if (headEnd >= 0 && read >= headEnd + bodyLength) {
        return bodyLength;
      }
    }
  }

  /** Where the body starts (after CRLF CRLF), or -1 while the head is incomplete. */
  private int headEnd(int read) {
    for (int i = 3; i < read; i++) {
      if (answer[i] == '\n' && answer[i - 1] == '\r' && answer[i - 2] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The Content-Length header's value, read without building strings. */
  private int contentLength(int headEnd) {
    byte[] name = CONTENT_LENGTH;
    outer:
    for (int i = 0; i + name.length < headEnd; i++) {
      for (int k = 0; k < name.length; k++) {
        if (Character.toLowerCase(answer[i + k]) != name[k]) {
          continue outer;
        }
      }
      int value = 0;
      for (int j = i + name.length; answer[j] != '\r'; j++) {
        if (answer[j] >= '0' && answer[j] <= '9') {
          value = value * 10 + answer[j] - '0';
        }
      }
      return value;
    }
    throw new IllegalStateException("answer without Content-Length");
  }

  private static byte[] request(String target) {
    return ("GET " + target + " HTTP/1.1\r\nHost: tracker\r\nUser-Agent: bench\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String percentEncoded(byte[] bytes) {
    StringBuilder s = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      s.append('%')
          .append(Character.forDigit((b >> 4) & 0xF, 16))
          .append(Character.forDigit(b & 0xF, 16));
    }
    return s.toString();
  }
}
