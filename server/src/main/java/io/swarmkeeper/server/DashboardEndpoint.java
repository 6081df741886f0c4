package io.swarmkeeper.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swarmkeeper.registry.TorrentRegistry;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.webjars.WebJarVersionLocator;

/**
 * The live dashboard and its JSON, read-only: the page ({@code /} and {@code /dashboard}, with its
 * script, style and the uPlot chart library from its WebJar, all from the jar), {@code
 * /api/v1/stats} (now, the interval policy, the largest swarms, the fleet, and the rings of the
 * last minutes and hour), {@code /api/v1/stats/stream} (the same without the rings, once a second,
 * as Server-Sent Events) and {@code /api/v1/swarm?q=} (one swarm's counts, by info_hash or magnet
 * link). Served by the admin listener, or by the tracker's HTTP port without one. Nothing here
 * changes the tracker, and nothing carries a client's address or peer id.
 */
final class DashboardEndpoint {
  static final String STATS = "/api/v1/stats";
  static final String STREAM = "/api/v1/stats/stream";
  static final String SWARM = "/api/v1/swarm";

  /** Open streams at most: each costs a timer and a JSON a second. */
  static final int MAX_STREAMS = 32;

  private record Asset(String contentType, Buffer body, boolean revalidate) {}

  private final Vertx vertx;
  private final StatsRecorder recorder;
  private final SwarmStore store;
  private final AdaptiveIntervalPolicy interval;
  private final FleetView fleet;
  private final TorrentRegistry torrents;
  private final JsonObject node;
  private final String lookupRefusal;
  private final Map<String, Asset> assets;
  private final Set<String> paths;

  /** Torrent names by info_hash ("" while looked up or for none), each trusted for minutes. */
  private final Cache<InfoHash, String> names =
      Caffeine.newBuilder().maximumSize(1000).expireAfterWrite(Duration.ofMinutes(5)).build();

  private final boolean publicPort;
  private final boolean privateTracker;
  private final AtomicInteger streams = new AtomicInteger();
  private final long startedMillis = System.currentTimeMillis();

  /**
   * @param fleet the fleet's view, or null without the fleet store
   * @param torrents the registry (torrent names), or null
   * @param publicPort whether this is served on the tracker's public HTTP port (no admin listener):
   *     there fleet members' cluster addresses are not shown, nor a private tracker's swarms
   */
  DashboardEndpoint(
      Vertx vertx,
      StatsRecorder recorder,
      SwarmStore store,
      AdaptiveIntervalPolicy interval,
      FleetView fleet,
      TorrentRegistry torrents,
      JsonObject node,
      boolean publicPort,
      boolean privateTracker) {
    this.vertx = vertx;
    this.recorder = recorder;
    this.store = store;
    this.interval = interval;
    this.fleet = fleet;
    this.torrents = torrents;
    this.node = node.copy();
    this.publicPort = publicPort;
    this.privateTracker = privateTracker;
    this.lookupRefusal =
        publicPort && privateTracker
            ? "a private tracker looks swarms up on its admin listener only (--admin-port)"
            : null;
    Asset page = asset("io/swarmkeeper/server/dashboard/index.html", "text/html", true);
    WebJarVersionLocator webjars = new WebJarVersionLocator();
    this.assets =
        Map.of(
            "/",
            page,
            "/dashboard",
            page,
            "/dashboard/app.js",
            asset("io/swarmkeeper/server/dashboard/app.js", "text/javascript", true),
            "/dashboard/app.css",
            asset("io/swarmkeeper/server/dashboard/app.css", "text/css", true),
            "/dashboard/uplot.js",
            asset(webjars.fullPath("uplot", "dist/uPlot.iife.min.js"), "text/javascript", false),
            "/dashboard/uplot.css",
            asset(webjars.fullPath("uplot", "dist/uPlot.min.css"), "text/css", false));
    Set<String> all = new java.util.TreeSet<>(assets.keySet());
    all.addAll(List.of(STATS, STREAM, SWARM));
    this.paths = Set.copyOf(all);
  }

  /** Every path served here: the tracker's HTTP port routes them when there is no admin port. */
  Set<String> paths() {
    return paths;
  }

  boolean serves(String path) {
    return paths.contains(path);
  }

  void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().putHeader("allow", "GET, HEAD");
      text(request.response(), 405, "the dashboard is read-only: GET only\n");
      return;
    }
    String path = request.path();
    switch (path) {
      case STATS ->
          json(request.response(), 200, stats(!"false".equals(request.getParam("history"))));
      case STREAM -> stream(request);
      case SWARM -> swarm(request);
      default -> {
        Asset a = assets.get(path);
        request
            .response()
            .putHeader("content-type", a.contentType() + "; charset=utf-8")
            .putHeader("cache-control", a.revalidate() ? "no-cache" : "max-age=86400")
            .putHeader("x-content-type-options", "nosniff")
            .end(a.body());
      }
    }
  }

  /** What the page shows now: the node, the last sample, the interval policy, swarms, fleet. */
  JsonObject current() {
    IntervalOptions o = interval.options();
    JsonArray largest = new JsonArray();
    // A private tracker's swarms are its members' business: listed on the admin listener only.
    boolean listSwarms = !(publicPort && privateTracker);
    for (LargestSwarms.Entry e :
        listSwarms ? store.largestSwarms() : List.<LargestSwarms.Entry>of()) {
      largest.add(
          new JsonObject()
              .put("info_hash", e.infoHash().toHex())
              .put("name", name(e.infoHash()))
              .put("seeders", e.seeders())
              .put("leechers", e.leechers())
              .put("peers", e.peers()));
    }
    return new JsonObject()
        .put(
            "node",
            node.copy()
                .put("started_at", startedMillis)
                .put("uptime_seconds", (System.currentTimeMillis() - startedMillis) / 1000))
        .put("now", recorder.latest())
        .put(
            "interval_policy",
            new JsonObject()
                .put("seconds", interval.currentSeconds())
                .put("min_seconds", o.getMinSeconds())
                .put("max_seconds", o.getMaxSeconds())
                .put("adaptive", o.isAdaptive())
                .put("request_rate", StatsRecorder.round(interval.requestRate()))
                .put("capacity", interval.capacity())
                .put("load", StatsRecorder.round(interval.load()))
                .put("needed_seconds", StatsRecorder.round(interval.neededSeconds()))
                .put("explanation", interval.explanation()))
        .put("largest_swarms", largest)
        .put("fleet", fleet == null ? null : fleet.json(!publicPort));
  }

  JsonObject stats(boolean history) {
    JsonObject out = current();
    if (history) {
      out.put("last_seconds", recorder.lastSeconds()).put("last_minutes", recorder.lastMinutes());
    }
    return out;
  }

  /** The torrent's name from the registry once known; looked up once (null without one). */
  private String name(InfoHash hash) {
    if (torrents == null) {
      return null;
    }
    String known = names.getIfPresent(hash);
    if (known == null) {
      names.put(hash, ""); // one look-up at a time
      torrents
          .find(hash.toBytes())
          .onSuccess(r -> names.put(hash, r == null ? "" : r.name()))
          .onFailure(e -> names.invalidate(hash));
    }
    return known == null || known.isEmpty() ? null : known;
  }

  private void stream(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    response
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no"); // nginx in front: do not hold events back
    if (request.method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      text(response, 503, "too many dashboards open: at most " + MAX_STREAMS + "\n");
      return;
    }
    long[] timer = {-1};
    response.closeHandler(
        v -> {
          vertx.cancelTimer(timer[0]);
          streams.decrementAndGet();
        });
    response.setChunked(true).write("retry: 2000\n\n");
    send(response);
    timer[0] =
        vertx.setPeriodic(
            1000,
            id -> {
              if (!response.writeQueueFull()) { // a reader that stopped reading misses seconds
                send(response);
              }
            });
  }

  /** One event; a failure to make it ends the stream (the browser reconnects), never a slot. */
  private void send(HttpServerResponse response) {
    try {
      response.write("event: stats\ndata: " + current().encode() + "\n\n");
    } catch (RuntimeException e) {
      response.reset();
    }
  }

  private void swarm(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (lookupRefusal != null) {
      json(response, 403, new JsonObject().put("error", lookupRefusal));
      return;
    }
    InfoHash hash;
    try {
      hash = SwarmQuery.parse(request.getParam("q"));
    } catch (IllegalArgumentException e) {
      json(response, 400, new JsonObject().put("error", e.getMessage()));
      return;
    }
    store
        .scrape(List.of(hash))
        .onComplete(
            done -> {
              if (done.failed()) {
                json(
                    response,
                    503,
                    new JsonObject().put("error", "the store did not answer: " + done.cause()));
                return;
              }
              ScrapeStats s = done.result().get(0);
              JsonObject out =
                  new JsonObject()
                      .put("info_hash", hash.toHex())
                      .put("seeders", s.seeders())
                      .put("leechers", s.leechers())
                      .put("completed", s.completed())
                      .put("peers", s.seeders() + s.leechers());
              if (torrents == null) {
                json(response, 200, out.put("name", null).put("registered", null));
                return;
              }
              torrents
                  .find(hash.toBytes())
                  .onComplete(
                      r ->
                          json(
                              response,
                              200,
                              out.put(
                                      "name",
                                      r.succeeded() && r.result() != null
                                          ? r.result().name()
                                          : null)
                                  .put("registered", r.succeeded() ? r.result() != null : null)));
            });
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  private static void text(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(body);
  }

  private static Asset asset(String resource, String contentType, boolean revalidate) {
    if (resource == null) {
      throw new IllegalStateException("a dashboard file is missing from the jar (its WebJar?)");
    }
    try (InputStream in = DashboardEndpoint.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("a dashboard file is missing from the jar: " + resource);
      }
      return new Asset(contentType, Buffer.buffer(in.readAllBytes()), revalidate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
