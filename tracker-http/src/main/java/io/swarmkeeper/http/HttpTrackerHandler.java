package io.swarmkeeper.http;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP tracker (BEP 3 announce, BEP 23 compact peers, BEP 7 IPv6 peers, BEP 48 scrape) and the
 * health endpoints. A bad request gets a bencoded {@code failure reason} that names the problem; an
 * unknown path gets 404. Nothing a client sends escapes as an exception.
 */
public final class HttpTrackerHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrackerHandler.class);

  private final SwarmStore store;
  private final IntervalPolicy intervalPolicy;
  private final AnnounceLimits limits;
  private final HttpTrackerOptions options;
  private final AddressMatcher trustedProxies;
  private final BooleanSupplier ready;

  public HttpTrackerHandler(
      SwarmStore store,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      HttpTrackerOptions options,
      BooleanSupplier ready) {
    this.store = store;
    this.intervalPolicy = intervalPolicy;
    this.limits = limits;
    this.options = new HttpTrackerOptions(options);
    this.trustedProxies = AddressMatcher.of(options.getTrustedProxies());
    this.ready = ready;
  }

  /** A request the tracker refuses, with the reason the client is told. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      switch (request.path()) {
        case "/announce" -> announce(request);
        case "/scrape" -> scrape(request);
        case "/health" -> text(request, 200, "ok\n");
        case "/ready" ->
            text(
                request,
                ready.getAsBoolean() ? 200 : 503,
                ready.getAsBoolean() ? "ready\n" : "starting\n");
        default -> text(request, 404, "not found: use /announce or /scrape\n");
      }
    } catch (Refused e) {
      failure(request, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("HTTP request {} failed: {}", request.uri(), e.toString());
      failure(request, "internal error");
    }
  }

  private void announce(HttpServerRequest request) throws Refused {
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
    boolean compact = !"0".equals(q.text("compact"));
    PeerEndpoint peer = PeerEndpoint.of(clientAddress(request, q), port);
    AnnounceRequest announce =
        new AnnounceRequest(
            infoHash, peer, event, left, limits.resolveNumWant(numWant, peer.ipv6()));
    store
        .announce(announce)
        .onComplete(
            result -> {
              if (result.failed()) {
                LOG.warn("swarm store failed: {}", result.cause().toString());
                failure(request, "tracker temporarily unavailable");
                return;
              }
              bencoded(request, announceResponse(result.result(), compact));
            });
  }

  private Map<String, Object> announceResponse(AnnounceResult r, boolean compact) {
    int interval = intervalPolicy.intervalSeconds();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("complete", r.seeders());
    d.put("incomplete", r.leechers());
    d.put("interval", interval);
    d.put("min interval", Math.max(1, interval / 2));
    if (compact) {
      d.put("peers", r.ipv6() ? new byte[0] : r.compactPeers());
      if (r.ipv6()) {
        d.put("peers6", r.compactPeers());
      }
    } else {
      List<Object> peers = new ArrayList<>();
      for (PeerEndpoint p : r.peers()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ip", p.address().getHostAddress());
        entry.put("port", p.port());
        peers.add(entry);
      }
      d.put("peers", peers);
    }
    return d;
  }

  private void scrape(HttpServerRequest request) throws Refused {
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
                  failure(request, "full scrape is not available");
                  return;
                }
                Map<byte[], Object> files = new LinkedHashMap<>();
                result.result().forEach((h, s) -> files.put(h.toBytes(), stats(s)));
                bencoded(request, Map.of("files", files));
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
        .scrape(hashes)
        .onComplete(
            result -> {
              if (result.failed()) {
                failure(request, "tracker temporarily unavailable");
                return;
              }
              Map<byte[], Object> files = new LinkedHashMap<>();
              for (int i = 0; i < hashes.size(); i++) {
                files.put(raw.get(i), stats(result.result().get(i)));
              }
              bencoded(request, Map.of("files", files));
            });
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

  /** The TCP peer, or what a trusted proxy says, or the ip parameter where allowed. */
  private InetAddress clientAddress(HttpServerRequest request, QueryString q) throws Refused {
    InetAddress remote = literal(request.remoteAddress().hostAddress());
    if (remote == null) {
      throw new Refused("unknown client address");
    }
    InetAddress client = remote;
    if (trustedProxies.matches(remote)) {
      String realIp = request.getHeader("X-Real-IP");
      String forwarded = request.getHeader("X-Forwarded-For");
      String named = realIp != null ? realIp : forwarded == null ? null : lastHop(forwarded);
      InetAddress parsed = named == null ? null : literal(named.trim());
      if (parsed != null) {
        client = parsed;
      }
    }
    if (options.isAllowIpParameter() && q.text("ip") != null) {
      InetAddress parsed = literal(q.text("ip"));
      if (parsed == null) {
        throw new Refused("invalid ip '" + q.text("ip") + "'");
      }
      client = parsed;
    }
    return client;
  }

  private static String lastHop(String forwardedFor) {
    String[] hops = forwardedFor.split(",");
    return hops[hops.length - 1];
  }

  /** An IP literal as an address, or null: never a DNS lookup. */
  private static InetAddress literal(String s) {
    if (s == null) {
      return null;
    }
    String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (!io.netty.util.NetUtil.isValidIpV4Address(host)
        && !io.netty.util.NetUtil.isValidIpV6Address(host)) {
      return null;
    }
    try {
      return InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private static void bencoded(HttpServerRequest request, Map<String, Object> body) {
    request
        .response()
        .putHeader("Content-Type", "text/plain")
        .end(Buffer.buffer(Bencode.encode(body)));
  }

  private static void failure(HttpServerRequest request, String reason) {
    if (!request.response().ended()) {
      bencoded(request, Map.of("failure reason", reason));
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
