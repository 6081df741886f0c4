package io.swarmkeeper.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.FastThreadLocal;
import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import io.swarmkeeper.http.HttpTrackerMetrics.Action;
import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.PasskeyPath;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.RequestMeters.Outcome;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP tracker (BEP 3 announce, BEP 23 compact peers, BEP 7 IPv6 peers, BEP 48 scrape) and the
 * health endpoints. A bad request gets a bencoded {@code failure reason} that names the problem; an
 * unknown path gets 404, a method other than GET 405. Nothing a client sends escapes as an
 * exception, nothing is logged per request, and no stack trace ever reaches a client.
 */
public final class HttpTrackerHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrackerHandler.class);

  /** "info_hash=" + 20 bytes as %XX + "&": one hash of a scrape, fully escaped. */
  private static final int SCRAPE_HASH_CHARS = 10 + 3 * InfoHash.BYTES + 1;

  /** "GET /scrape?" and " HTTP/1.1", plus room for parameters a client adds (key, passkey...). */
  private static final int REQUEST_LINE_SLACK = 12 + 9 + 1024;

  /** Each event loop's announce, reused from one request to the next. */
  private static final FastThreadLocal<AnnounceCall> CALLS =
      new FastThreadLocal<>() {
        @Override
        protected AnnounceCall initialValue() {
          return new AnnounceCall();
        }
      };

  private final SwarmStore store;
  private final IntervalPolicy intervalPolicy;
  private final AnnounceLimits limits;
  private final HttpTrackerOptions options;
  private final ClientAddressResolver clientAddresses;
  private final BooleanSupplier ready;
  private final BooleanSupplier healthy;
  private final HttpTrackerCounters counters;
  private final ConnectionGuard connectionGuard;
  private final HttpTrackerMetrics metrics;
  private final RateLimiter rateLimiter;
  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final Map<String, Handler<HttpServerRequest>> prefixRoutes = new ConcurrentHashMap<>();

  public HttpTrackerHandler(
      SwarmStore store,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      HttpTrackerOptions options,
      BooleanSupplier ready) {
    this(store, intervalPolicy, limits, options, ready, () -> true);
  }

  /**
   * @param ready whether {@code /ready} says the node serves
   * @param healthy whether {@code /health} says the process is fit to live (a supervisor restarts
   *     it when not)
   */
  public HttpTrackerHandler(
      SwarmStore store,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      HttpTrackerOptions options,
      BooleanSupplier ready,
      BooleanSupplier healthy) {
    this(
        store,
        intervalPolicy,
        limits,
        options,
        ready,
        healthy,
        new HttpTrackerMetrics(new SimpleMeterRegistry()),
        RateLimiter.off());
  }

  /**
   * @param metrics where requests are counted and timed
   * @param rateLimiter the per-address limits announces and scrapes are held to
   */
  public HttpTrackerHandler(
      SwarmStore store,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      HttpTrackerOptions options,
      BooleanSupplier ready,
      BooleanSupplier healthy,
      HttpTrackerMetrics metrics,
      RateLimiter rateLimiter) {
    this.metrics = metrics;
    this.rateLimiter = rateLimiter;
    this.store = store;
    this.intervalPolicy = intervalPolicy;
    this.limits = limits;
    this.options = new HttpTrackerOptions(options);
    AddressMatcher trustedProxies = AddressMatcher.of(options.getTrustedProxies());
    this.clientAddresses = new ClientAddressResolver(trustedProxies, options.getProxyHeader());
    this.ready = ready;
    this.healthy = healthy;
    this.counters = new HttpTrackerCounters(this::openConnections);
    this.connectionGuard =
        new ConnectionGuard(
            ConnectionGuard.effectiveCap(
                options.getMaxConnections(), ConnectionGuard.openFileLimit()),
            options.getMaxConnectionsPerAddress(),
            trustedProxies,
            counters);
  }

  /**
   * Serves {@code path} (GET) with {@code handler} too: the node's {@code /metrics} when it has no
   * admin listener. Call before the tracker serves.
   */
  public void route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
  }

  /**
   * Serves every path under {@code prefix} (any method) with {@code handler}: the node's registry
   * API when it has no admin listener. Call before the tracker serves.
   */
  public void routeUnder(String prefix, Handler<HttpServerRequest> handler) {
    prefixRoutes.put(prefix, handler);
  }

  /** What this tracker refused and why, over every verticle that serves with this handler. */
  public HttpTrackerCounters counters() {
    return counters;
  }

  private int openConnections() {
    return connectionGuard.open();
  }

  /** Shared by every verticle serving with this handler, so the caps hold over all loops. */
  ConnectionGuard connectionGuard() {
    return connectionGuard;
  }

  /**
   * The longest request line served: enough for a scrape of {@code max-scrape-hashes} hashes, each
   * fully %-escaped (Vert.x's default of 4,096 bytes stops at 57 of them).
   */
  int maxRequestLineLength() {
    return Math.max(
        HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH,
        limits.maxScrapeHashes() * SCRAPE_HASH_CHARS + REQUEST_LINE_SLACK);
  }

  /** A request the tracker refuses, with the reason the client is told. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final Counter counter;

    Refused(String reason) {
      this(reason, 200, Counter.BAD_REQUESTS);
    }

    Refused(String reason, int status, Counter counter) {
      super(reason, null, false, false);
      this.status = status;
      this.counter = counter;
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String path = request.path() == null ? "" : request.path();
    // A private tracker's users announce to /{passkey}/announce; the store judges the key.
    String passkey = PasskeyPath.passkey(path);
    String route = PasskeyPath.route(path, passkey);
    Action action = Action.of(route);
    try {
      switch (route) {
        case "/announce" -> {
          Origin origin = origin(request);
          if (methodAllowed(request, false) && admitted(request, action, origin)) {
            announce(request, start, origin, passkey);
          }
        }
        case "/scrape" -> {
          if (methodAllowed(request, false) && admitted(request, action, null)) {
            scrape(request, start, passkey);
          }
        }
        case "/health" -> {
          if (methodAllowed(request, true)) {
            boolean fit = healthy.getAsBoolean();
            text(request, fit ? 200 : 503, fit ? "ok\n" : "failed\n");
          }
        }
        case "/ready" -> {
          if (methodAllowed(request, true)) {
            boolean isReady = ready.getAsBoolean();
            text(request, isReady ? 200 : 503, isReady ? "ready\n" : "starting\n");
          }
        }
        default -> {
          Handler<HttpServerRequest> extra = routes.get(path);
          Handler<HttpServerRequest> under = extra == null ? under(path) : null;
          if (under != null) {
            under.handle(request);
          } else if (extra == null) {
            text(request, 404, "not found: use /announce or /scrape\n");
          } else if (methodAllowed(request, true)) {
            extra.handle(request);
          }
        }
      }
    } catch (Refused e) {
      counters.count(e.counter);
      failure(request, e.status, e.getMessage());
      metrics.answered(action, Outcome.ERROR, start);
    } catch (RuntimeException e) {
      if (counters.count(Counter.INTERNAL_ERRORS) == 1) {
        LOG.warn("an HTTP request failed unexpectedly (later ones are only counted)", e);
      }
      failure(request, 200, "internal error");
      metrics.answered(action, Outcome.ERROR, start);
    }
  }

  private Handler<HttpServerRequest> under(String path) {
    for (Map.Entry<String, Handler<HttpServerRequest>> e : prefixRoutes.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Where a request comes from, read once: the TCP peer (null if unreadable) and the client, which
   * is the peer, or the client a trusted proxy names in its header (null if it names none usable).
   */
  private record Origin(InetAddress peer, InetAddress client) {}

  private Origin origin(HttpServerRequest request) {
    InetAddress peer = IpLiteral.address(request.remoteAddress().hostAddress());
    if (peer == null || !clientAddresses.trusts(peer)) {
      return new Origin(peer, peer);
    }
    return new Origin(
        peer,
        clientAddresses.client(request.headers().getAll(clientAddresses.header().headerName())));
  }

  /**
   * Whether the client's address has a token left; else a 429 with a bencoded failure reason. The
   * address is the connection's, or the client a trusted proxy names (never the ip parameter, which
   * the client chooses). {@code known} is the request's origin if already read, else null.
   */
  private boolean admitted(HttpServerRequest request, Action action, Origin known) {
    if (!rateLimiter.enabled()) {
      return true;
    }
    Origin origin = known != null ? known : origin(request);
    InetAddress address = origin.client() != null ? origin.client() : origin.peer();
    if (address == null || rateLimiter.tryAcquire(PeerEndpoint.of(address, 0))) {
      return true;
    }
    metrics.outcome(action, Outcome.RATE_LIMITED);
    request.response().putHeader("Retry-After", "1");
    failure(request, 429, "rate limited: too many requests from your address, slow down");
    return false;
  }

  /**
   * Answers what Vert.x could not parse as HTTP/1.x, in words, and closes the connection (the
   * decoder has lost its place in the stream).
   */
  void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String body;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      body =
          "request line longer than "
              + maxRequestLineLength()
              + " bytes: a scrape takes at most "
              + limits.maxScrapeHashes()
              + " info_hash\n";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      body =
          "request headers longer than " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes\n";
    } else {
      status = 400;
      body = "malformed HTTP request\n";
    }
    counters.count(Counter.MALFORMED_HTTP);
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", "close")
        .end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)))
        .onComplete(done -> request.connection().close());
  }

  /**
   * GET only, as BEP 3 specifies: announcing through POST, PUT or an invented method would change
   * state through requests caches and proxies treat differently. HEAD where it is harmless.
   */
  private boolean methodAllowed(HttpServerRequest request, boolean headToo) {
    HttpMethod method = request.method();
    if (method == HttpMethod.GET || (headToo && method == HttpMethod.HEAD)) {
      return true;
    }
    counters.count(Counter.METHOD_NOT_ALLOWED);
    String allow = headToo ? "GET, HEAD" : "GET";
    request.response().putHeader("Allow", allow);
    text(
        request,
        405,
        "method "
            + method.name()
            + " is not allowed on "
            + request.path()
            + ": use "
            + allow
            + "\n");
    return false;
  }

  private void announce(HttpServerRequest request, long start, Origin origin, String passkey)
      throws Refused {
    QueryString q = query(request);
    InfoHash infoHash = InfoHash.fromBytes(twentyBytes(q, "info_hash"));
    twentyBytes(q, "peer_id");
    int port = (int) number(q, "port", 1, 65535, -1);
    if (port < 0) {
      throw new Refused("missing port");
    }
    number(q, "uploaded", 0, Long.MAX_VALUE, 0);
    number(q, "downloaded", 0, Long.MAX_VALUE, 0);
    long left = number(q, "left", 0, Long.MAX_VALUE, -1);
    AnnounceEvent event = event(q.text("event"));
    int numWant = (int) number(q, "numwant", -1, Integer.MAX_VALUE, -1);
    // compact=0 is answered compact too: BEP 23 makes compact advisory so that a tracker may
    // support only the compact format, and clients must read both (see ARCHITECTURE.md).
    PeerEndpoint peer = PeerEndpoint.of(clientAddress(q, origin), port);
    AnnounceCall call =
        CALLS
            .get()
            .infoHash(infoHash.high(), infoHash.middle(), infoHash.low())
            .peer(peer.ipv6(), peer.high(), peer.low(), port)
            .passkey(passkey)
            .wants(event, left, limits.resolveNumWant(numWant, peer.ipv6()));
    if (store.answersInline(call)) {
      try {
        store.announceInto(call); // answered on the spot: no future, no result, no peer array
      } catch (RuntimeException e) {
        failed(request, Action.ANNOUNCE, start, e);
        return;
      }
      announced(
          request, call.seeders(), call.leechers(), call.ipv6(), call.peers(), call.peerBytes());
      metrics.answered(Action.ANNOUNCE, Outcome.OK, start);
      return;
    }
    store
        .announce(call.request())
        .onComplete(
            result -> {
              if (result.succeeded()) {
                AnnounceResult r = result.result();
                byte[] peers = r.compactPeers();
                announced(request, r.seeders(), r.leechers(), r.ipv6(), peers, peers.length);
                metrics.answered(Action.ANNOUNCE, Outcome.OK, start);
              } else {
                failed(request, Action.ANNOUNCE, start, result.cause());
              }
            });
  }

  /**
   * A request the store refused (a cap, or the access mode: its message is the failure reason) or
   * failed.
   */
  private void failed(HttpServerRequest request, Action action, long start, Throwable cause) {
    if (cause instanceof AnnounceRefusedException refused) {
      counters.countRefused(refused.limit());
      failure(request, 200, refused.getMessage());
    } else {
      storeFailed(request, cause);
    }
    metrics.answered(action, Outcome.ERROR, start);
  }

  private static final byte[] COMPLETE = Bencode.key("complete");
  private static final byte[] INCOMPLETE = Bencode.key("incomplete");
  private static final byte[] INTERVAL = Bencode.key("interval");
  private static final byte[] MIN_INTERVAL = Bencode.key("min interval");
  private static final byte[] PEERS = Bencode.key("peers");
  private static final byte[] PEERS6 = Bencode.key("peers6");

  /**
   * The answer to an announce, bencoded straight into the response's buffer (keys in sorted order,
   * as bencoding requires): the counts, the interval and half of it as the minimum, and the peers,
   * compact (BEP 23), IPv6 ones under {@code peers6} (BEP 7) with an empty {@code peers}.
   */
  private void announced(
      HttpServerRequest request,
      int seeders,
      int leechers,
      boolean ipv6,
      byte[] peers,
      int peerBytes) {
    int interval = intervalPolicy.intervalSeconds();
    Buffer out = Buffer.buffer(ANNOUNCE_ANSWER_BYTES + peerBytes);
    out.appendByte((byte) 'd');
    Bencode.appendEntry(out, COMPLETE, seeders);
    Bencode.appendEntry(out, INCOMPLETE, leechers);
    Bencode.appendEntry(out, INTERVAL, interval);
    Bencode.appendEntry(out, MIN_INTERVAL, Math.max(1, interval / 2));
    Bencode.appendEntry(out, PEERS, peers, ipv6 ? 0 : peerBytes);
    if (ipv6) {
      Bencode.appendEntry(out, PEERS6, peers, peerBytes);
    }
    out.appendByte((byte) 'e');
    bencoded(request, 200, out);
  }

  /** An announce answer without its peers is at most this long. */
  private static final int ANNOUNCE_ANSWER_BYTES = 160;

  private void scrape(HttpServerRequest request, long start, String passkey) throws Refused {
    QueryString q = query(request);
    List<byte[]> raw = q.all("info_hash");
    if (raw.isEmpty()) {
      if (!options.isAllowFullScrape()) {
        throw new Refused("full scrape is not allowed: name one or more info_hash");
      }
      store
          .scrapeAll(10_000)
          .onComplete(
              result -> {
                if (result.failed()) {
                  failed(request, Action.SCRAPE, start, result.cause());
                  return;
                }
                Map<byte[], Object> files = new LinkedHashMap<>();
                result.result().forEach((h, s) -> files.put(h.toBytes(), stats(s)));
                bencoded(request, 200, Map.of("files", files));
                metrics.answered(Action.SCRAPE, Outcome.OK, start);
              });
      return;
    }
    if (raw.size() > limits.maxScrapeHashes()) {
      throw new Refused("too many info_hash (at most " + limits.maxScrapeHashes() + ")");
    }
    List<InfoHash> hashes = new ArrayList<>(raw.size());
    for (byte[] h : raw) {
      if (h.length != InfoHash.BYTES) {
        throw new Refused("info_hash must be 20 bytes, got " + h.length);
      }
      hashes.add(InfoHash.fromBytes(h));
    }
    store
        .scrape(hashes, passkey)
        .onComplete(
            result -> {
              if (result.failed()) {
                failed(request, Action.SCRAPE, start, result.cause());
                return;
              }
              Map<byte[], Object> files = new LinkedHashMap<>();
              for (int i = 0; i < hashes.size(); i++) {
                files.put(raw.get(i), stats(result.result().get(i)));
              }
              bencoded(request, 200, Map.of("files", files));
              metrics.answered(Action.SCRAPE, Outcome.OK, start);
            });
  }

  private void storeFailed(HttpServerRequest request, Throwable cause) {
    if (counters.count(Counter.STORE_FAILURES) == 1) {
      LOG.warn("the swarm store failed a request (later failures are only counted): {}", cause);
    }
    failure(request, 200, "tracker temporarily unavailable");
  }

  private static Map<String, Object> stats(ScrapeStats s) {
    return Map.of("complete", s.seeders(), "downloaded", s.completed(), "incomplete", s.leechers());
  }

  private static QueryString query(HttpServerRequest request) throws Refused {
    try {
      return QueryString.parse(request.query());
    } catch (IllegalArgumentException e) {
      throw new Refused("malformed query: " + e.getMessage());
    }
  }

  private static byte[] twentyBytes(QueryString q, String name) throws Refused {
    byte[] v = q.first(name);
    if (v == null) {
      throw new Refused("missing " + name);
    }
    if (v.length != 20) {
      throw new Refused(name + " must be 20 bytes, got " + v.length);
    }
    return v;
  }

  private static long number(QueryString q, String name, long min, long max, long absent)
      throws Refused {
    String v = q.text(name);
    if (v == null || v.isEmpty()) {
      return absent;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new Refused("invalid " + name + " " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Refused("invalid " + name + " '" + v + "': not a number");
    }
  }

  private static AnnounceEvent event(String v) throws Refused {
    if (v == null || v.isEmpty() || v.equals("empty") || v.equals("paused")) {
      return AnnounceEvent.NONE;
    }
    return switch (v) {
      case "started" -> AnnounceEvent.STARTED;
      case "completed" -> AnnounceEvent.COMPLETED;
      case "stopped" -> AnnounceEvent.STOPPED;
      default -> throw new Refused("unknown event '" + v + "'");
    };
  }

  /**
   * The ip parameter where allowed; else the client a trusted proxy names in its header; else the
   * TCP peer. A trusted proxy that names no usable client is refused, never stored as a peer.
   */
  private InetAddress clientAddress(QueryString q, Origin origin) throws Refused {
    String ip = q.text("ip");
    if (options.isAllowIpParameter() && ip != null) {
      InetAddress parsed = IpLiteral.address(ip);
      if (parsed == null) {
        throw new Refused("invalid ip '" + ip + "'");
      }
      return parsed;
    }
    if (origin.peer() == null) {
      throw new Refused("unknown client address");
    }
    if (origin.client() == null) {
      throw new Refused(
          "the proxy in front of this tracker sent no usable "
              + clientAddresses.header().headerName()
              + " header (http.proxy-header), so the client address is unknown",
          400,
          Counter.PROXY_HEADER_UNUSABLE);
    }
    return origin.client();
  }

  private static void bencoded(HttpServerRequest request, int status, Map<String, Object> body) {
    bencoded(request, status, Buffer.buffer(Bencode.encode(body)));
  }

  /** Sends a bencoded answer, already written. */
  private static void bencoded(HttpServerRequest request, int status, Buffer body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(body);
  }

  private static void failure(HttpServerRequest request, int status, String reason) {
    if (!request.response().ended()) {
      bencoded(request, status, Map.of("failure reason", reason));
    }
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
  }
}
