package io.swarmkeeper.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.cluster.HazelcastSwarmStore;
import io.swarmkeeper.http.HttpTrackerCounters;
import io.swarmkeeper.redis.RedisSwarmStore;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters beyond the trackers' request meters: JVM and process, the store's swarms and
 * peers, the interval policy, the rate limiter, the fleet, and each event loop's lag; and the
 * Prometheus text at {@code /metrics}. Gauges are read when scraped, never on the request path.
 */
final class NodeMetrics {
  /** How often each event loop is asked to run a timer, to measure how late it runs it. */
  static final long LAG_PROBE_MILLIS = 500;

  private NodeMetrics() {}

  /**
   * Vert.x's own meters (worker pools, verticles); the request paths are metered by the trackers,
   * so Vert.x's per-datagram and per-request meters stay off (they would cost on every request).
   */
  static MicrometerMetricsOptions vertxMetrics() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true);
    for (MetricsDomain d :
        List.of(
            MetricsDomain.DATAGRAM_SOCKET,
            MetricsDomain.HTTP_SERVER,
            MetricsDomain.NET_SERVER,
            MetricsDomain.HTTP_CLIENT,
            MetricsDomain.NET_CLIENT,
            MetricsDomain.EVENT_BUS)) {
      options.addDisabledMetricsCategory(d);
    }
    return options;
  }

  static void bindProcess(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Whether the registry's PostgreSQL is reachable, as its change listener's connection says. */
  static void bindRegistry(
      MeterRegistry registry, io.swarmkeeper.registry.TorrentRegistry torrents) {
    Gauge.builder("swarmkeeper.registry.up", torrents, t -> t.listening() ? 1 : 0)
        .description("1 while the registry's PostgreSQL connection (change notifications) is up")
        .register(registry);
  }

  static void bindCompleted(
      MeterRegistry registry, io.swarmkeeper.registry.CompletedCounts counts) {
    Gauge.builder("swarmkeeper.completed.pending", counts, c -> c.pending())
        .description("Swarms whose completed counts wait to be written to PostgreSQL")
        .register(registry);
    FunctionCounter.builder("swarmkeeper.completed.written", counts, c -> c.written())
        .description("Swarm rows of completed counts written to PostgreSQL")
        .register(registry);
    FunctionCounter.builder("swarmkeeper.completed.flush.failures", counts, c -> c.failedFlushes())
        .description("Writes of completed counts PostgreSQL did not take (kept for the next)")
        .register(registry);
    FunctionCounter.builder("swarmkeeper.completed.dropped", counts, c -> c.dropped())
        .description("Completions lost because completed.max-pending swarms were waiting")
        .register(registry);
  }

  static void bindStore(MeterRegistry registry, SwarmStore store) {
    Gauge.builder("swarmkeeper.swarms", store, SwarmStore::swarmCount)
        .description("Swarms held (with the fleet: the whole fleet's, as its members published)")
        .register(registry);
    Gauge.builder("swarmkeeper.peers", store, SwarmStore::peerCount)
        .description("Peers held, both address families")
        .register(registry);
    // As of the last full sweep pass (NaN before the first): the sweep visits every swarm anyway.
    Gauge.builder("swarmkeeper.peers.by.family", store, s -> census(s, PeerCensus::ipv4Peers))
        .description("Peers by address family, as of the last expiry sweep pass")
        .tag("family", "ipv4")
        .register(registry);
    Gauge.builder("swarmkeeper.peers.by.family", store, s -> census(s, PeerCensus::ipv6Peers))
        .description("Peers by address family, as of the last expiry sweep pass")
        .tag("family", "ipv6")
        .register(registry);
    Gauge.builder("swarmkeeper.seeders", store, s -> census(s, PeerCensus::seeders))
        .description("Seeders, as of the last expiry sweep pass")
        .register(registry);
    Gauge.builder("swarmkeeper.leechers", store, s -> census(s, PeerCensus::leechers))
        .description("Leechers, as of the last expiry sweep pass")
        .register(registry);
  }

  private static double census(SwarmStore store, java.util.function.ToLongFunction<PeerCensus> f) {
    PeerCensus c = store.census();
    return c == null ? Double.NaN : f.applyAsLong(c);
  }

  static void bindInterval(MeterRegistry registry, AdaptiveIntervalPolicy policy) {
    Gauge.builder("swarmkeeper.announce.interval", policy, p -> p.currentSeconds())
        .description("Announce interval handed out now, before jitter")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("swarmkeeper.interval.request.rate", policy, p -> p.requestRate())
        .description("Smoothed requests/s the interval policy sees")
        .register(registry);
    Gauge.builder("swarmkeeper.interval.capacity", policy, p -> p.capacity())
        .description("Requests/s the node takes before the interval rises (interval.capacity)")
        .register(registry);
    Gauge.builder("swarmkeeper.interval.load", policy, p -> p.load())
        .description("Smoothed request rate against capacity (above 1: the interval rises)")
        .register(registry);
    Gauge.builder("swarmkeeper.peer.timeout", policy, p -> p.peerTimeoutSeconds())
        .description("How long a silent peer is kept: the longest interval handed out, plus grace")
        .baseUnit("seconds")
        .register(registry);
  }

  static void bindSocketDrops(MeterRegistry registry, java.util.function.LongSupplier drops) {
    FunctionCounter.builder("swarmkeeper.udp.socket.drops", drops, d -> d.getAsLong())
        .description("Datagrams the kernel dropped unread: the UDP sockets' buffers were full")
        .register(registry);
  }

  /** What the HTTP tracker refused and why, and its open connections. */
  static void bindHttp(MeterRegistry registry, HttpTrackerCounters counters) {
    for (HttpTrackerCounters.Counter c : HttpTrackerCounters.Counter.values()) {
      FunctionCounter.builder("swarmkeeper.http.rejected", counters, k -> k.get(c))
          .description("HTTP connections and requests not served normally, by reason")
          .tag("reason", c.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry);
    }
    for (boolean access : new boolean[] {false, true}) {
      FunctionCounter.builder(
              "swarmkeeper.http.rejected",
              counters,
              k -> {
                long n = 0;
                for (AnnounceRefusedException.Cause cause :
                    AnnounceRefusedException.Cause.values()) {
                  n += cause.access() == access ? k.refused(cause) : 0;
                }
                return n;
              })
          .description("HTTP connections and requests not served normally, by reason")
          .tag("reason", access ? "refused_access" : "refused_by_limit")
          .register(registry);
    }
    Gauge.builder("swarmkeeper.http.connections", counters, HttpTrackerCounters::openConnections)
        .description("HTTP connections open now")
        .register(registry);
  }

  static void bindRateLimiter(MeterRegistry registry, RateLimiter limiter) {
    Gauge.builder("swarmkeeper.rate.limit.addresses", limiter, RateLimiter::trackedAddresses)
        .description("Source addresses with a rate-limit bucket now")
        .register(registry);
  }

  static void bindRedis(MeterRegistry registry, RedisSwarmStore redis) {
    Gauge.builder("swarmkeeper.redis.up", redis, r -> r.degraded() ? 0 : 1)
        .description(
            "1 while the last exchange with Redis succeeded, 0 while answers go without it")
        .register(registry);
    FunctionCounter.builder("swarmkeeper.redis.failures", redis, RedisSwarmStore::failures)
        .description("Exchanges with Redis that failed: refused, timed out, not connected")
        .register(registry);
    FunctionCounter.builder(
            "swarmkeeper.redis.degraded.answers", redis, RedisSwarmStore::degradedAnswers)
        .description("Announces and scrapes answered without Redis (no peers, zero counts)")
        .register(registry);
  }

  static void bindFleet(MeterRegistry registry, HazelcastSwarmStore fleet) {
    Gauge.builder("swarmkeeper.fleet.members", fleet, f -> f.member().memberCount())
        .description("Members of the fleet this node sees")
        .register(registry);
    Gauge.builder("swarmkeeper.fleet.partitions.owned", fleet, f -> f.ownedPartitionCount())
        .description("Hazelcast partitions this member owns")
        .register(registry);
    Gauge.builder("swarmkeeper.fleet.outstanding", fleet, f -> f.outstanding())
        .description("Requests waiting on the fleet now")
        .register(registry);
    FunctionCounter.builder("swarmkeeper.fleet.calls", fleet, f -> f.remoteCalls())
        .description("Calls made to the fleet (one per read batch)")
        .register(registry);
    dropped(registry, fleet, "overloaded", HazelcastSwarmStore::overloaded);
    dropped(registry, fleet, "timed_out", HazelcastSwarmStore::timedOut);
    dropped(registry, fleet, "failed", HazelcastSwarmStore::failed);
    Timer calls =
        Timer.builder("swarmkeeper.fleet.call.duration")
            .description("Time from a call to the fleet to its answer")
            .serviceLevelObjectives(
                Duration.ofNanos(250_000),
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(25),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(3))
            .register(registry);
    fleet.onCallAnswered(nanos -> calls.record(nanos, TimeUnit.NANOSECONDS));
  }

  private static void dropped(
      MeterRegistry registry,
      HazelcastSwarmStore fleet,
      String reason,
      java.util.function.ToDoubleFunction<HazelcastSwarmStore> count) {
    FunctionCounter.builder("swarmkeeper.fleet.dropped", fleet, count)
        .description("Requests the fleet could not take or answer in time, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Times, on each event loop, how late a periodic timer fires: an event loop kept busy (or a
   * stalled process) answers late. Each loop adds its timer's id to {@code timers} (a list safe to
   * add to from any thread) when it starts it.
   */
  static void bindEventLoops(MeterRegistry registry, Vertx vertx, int loops, List<Long> timers) {
    Timer lag =
        Timer.builder("swarmkeeper.event.loop.lag")
            .description("How late an event loop ran a timer it was asked to run")
            .serviceLevelObjectives(
                Duration.ofNanos(100_000),
                Duration.ofMillis(1),
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(1))
            .register(registry);
    for (int i = 0; i < loops; i++) {
      Context context = vertx.getOrCreateContext(); // from outside Vert.x: the next event loop
      long[] due = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAG_PROBE_MILLIS)};
      context.runOnContext(
          v ->
              timers.add(
                  vertx.setPeriodic(
                      LAG_PROBE_MILLIS,
                      id -> {
                        long now = System.nanoTime();
                        lag.record(Math.max(0, now - due[0]), TimeUnit.NANOSECONDS);
                        due[0] = now + TimeUnit.MILLISECONDS.toNanos(LAG_PROBE_MILLIS);
                      })));
    }
  }

  /**
   * Answers {@code GET /metrics} with the Prometheus text, or 404 when not a Prometheus registry.
   */
  static void serve(HttpServerRequest request, MeterRegistry registry) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      request.response().setStatusCode(404).end("no Prometheus registry in this node\n");
      return;
    }
    request
        .response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape());
  }
}
