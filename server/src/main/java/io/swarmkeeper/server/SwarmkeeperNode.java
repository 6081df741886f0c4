package io.swarmkeeper.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmkeeper.cluster.FleetKey;
import io.swarmkeeper.cluster.FleetMember;
import io.swarmkeeper.cluster.HazelcastSwarmStore;
import io.swarmkeeper.cluster.MemberStats;
import io.swarmkeeper.http.HttpTrackerHandler;
import io.swarmkeeper.http.HttpTrackerMetrics;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.http.HttpTrackerVerticle;
import io.swarmkeeper.redis.RedisStoreOptions;
import io.swarmkeeper.redis.RedisSwarmStore;
import io.swarmkeeper.redis.SharedKey;
import io.swarmkeeper.registry.CompletedCounts;
import io.swarmkeeper.registry.TorrentRegistry;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.RequestMeters;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.ConnectionIds;
import io.swarmkeeper.udp.UdpTrackerDeployment;
import io.swarmkeeper.udp.UdpTrackerHandler;
import io.swarmkeeper.udp.UdpTrackerMetrics;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tracker node: a Vert.x instance sized to the cores it may use, the in-memory store
 * with its expiry sweep and caps, the UDP listener on every event loop, the HTTP tracker and the
 * admin listener. Tests start it in-process.
 *
 * <p>It watches itself: an {@link Error} reaching an event loop or a listener, or a UDP channel
 * closed while serving, turns {@code /health} and {@code /ready} false and is reported to the
 * {@link FailureHandler} (the command line exits, so that a supervisor restarts it).
 */
public final class SwarmkeeperNode {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmkeeperNode.class);

  /** Never logged: a reload says only that it changed. */
  private static final String CONNECTION_ID_KEY = "udp.connection-id-key";

  /** Keys whose values never go in a log line: a reload says only that they changed. */
  private static final java.util.Set<String> SECRET_KEYS =
      java.util.Set.of(CONNECTION_ID_KEY, "api.token", "database.url", "redis.url");

  /** Exit code after a {@link VirtualMachineError}, as the JVM's -XX:+ExitOnOutOfMemoryError. */
  public static final int EXIT_VM_ERROR = 3;

  /** Exit code after a listener or an event loop died. */
  public static final int EXIT_LISTENER_FAILED = 4;

  /** Told once when the node can no longer serve. */
  @FunctionalInterface
  public interface FailureHandler {
    void failed(int exitCode, String reason);
  }

  private final Vertx vertx;
  private final SwarmStore store;

  /** The in-memory store, or null when the swarms live in the fleet. */
  private final LocalSwarmStore local;

  /** The fleet's store, or null with the in-memory store. */
  private final HazelcastSwarmStore fleet;

  /** The Redis store, or null when swarms live elsewhere. */
  private final RedisSwarmStore redis;

  private final UdpTrackerMetrics udpMetrics;
  private final MeterRegistry registry;
  private AdaptiveIntervalPolicy interval;
  private RateLimiter rateLimiter;

  /** Periodic timers to cancel at close; event loops add theirs as they start them. */
  private final List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final ConnectionIds connectionIds;
  private final AtomicBoolean ready;
  private final FailureHandler onFailure;
  private volatile NodeOptions options;
  private volatile String failure;
  private final AtomicBoolean failing = new AtomicBoolean();

  /** Heap given back when the node fails, so that saying why does not fail for lack of it. */
  @SuppressWarnings("unused")
  private volatile byte[] reserve = new byte[1 << 20];

  private UdpTrackerDeployment udp;
  private String udpHost;
  private HttpTrackerVerticle.Deployed http;
  private String httpHost;
  private AdminServer admin;
  private TorrentRegistry torrents;

  /** The completed counts kept in the registry; null without one. */
  private CompletedCounts counts;

  private long sweepTimer = -1;
  private Future<Void> closed;

  private SwarmkeeperNode(
      Vertx vertx,
      LocalSwarmStore local,
      HazelcastSwarmStore fleet,
      RedisSwarmStore redis,
      UdpTrackerMetrics udpMetrics,
      MeterRegistry registry,
      ConnectionIds connectionIds,
      NodeOptions options,
      FailureHandler onFailure) {
    this.registry = registry;
    this.connectionIds = connectionIds;
    this.vertx = vertx;
    this.local = local;
    this.fleet = fleet;
    this.redis = redis;
    this.store = local != null ? local : fleet != null ? fleet : redis;
    this.udpMetrics = udpMetrics;
    this.options = options;
    this.onFailure = onFailure;
    this.ready = new AtomicBoolean();
  }

  /** Starts a node that, on failure, only turns unhealthy (and logs why). */
  public static Future<SwarmkeeperNode> start(NodeOptions options, MeterRegistry registry) {
    return start(
        options, registry, (code, reason) -> LOG.error("swarmkeeper cannot serve: {}", reason));
  }

  /**
   * Starts a node. A listener that cannot be opened fails the future with one line naming it and
   * the cause ("cannot listen on udp 127.0.0.1:6969: Address already in use"), at once. With the
   * Hazelcast store it first joins the fleet, blocking the caller while it does (never call it on
   * an event loop).
   */
  public static Future<SwarmkeeperNode> start(
      NodeOptions options, MeterRegistry registry, FailureHandler onFailure) {
    int loops = options.effectiveEventLoops();
    UdpTrackerOptions udpOptions = options.getUdp();
    LocalSwarmStore local = null;
    HazelcastSwarmStore fleet = null;
    byte[] key = null;
    ConnectionIds[] rotateOnChange = new ConnectionIds[1];
    if (options.clustered()) {
      FleetMember member;
      try {
        member = FleetMember.join(options.getCluster());
      } catch (RuntimeException e) {
        return Future.failedFuture(
            new IllegalStateException(
                "cannot join the fleet on cluster port "
                    + options.getCluster().getPort()
                    + ": "
                    + causeText(e),
                e));
      }
      fleet = new HazelcastSwarmStore(member, Ticker.wallClock(), options.peerTimeoutSeconds());
      fleet.setLimits(options.limits());
      if (udpOptions.getConnectionIdKey().isEmpty()) {
        // No key configured: the fleet's, so that any node accepts any node's connection ids.
        key =
            FleetKey.agree(
                member,
                next -> {
                  ConnectionIds ids = rotateOnChange[0];
                  if (ids != null) {
                    ids.rotate(next);
                    LOG.info(
                        "the fleet's connection-id key changed; the previous one is"
                            + " accepted for one id lifetime");
                  }
                });
      }
    } else if (!options.inRedis()) {
      local = new LocalSwarmStore(Ticker.system(), options.peerTimeoutSeconds());
      local.setLimits(options.limits());
    }
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventLoopPoolSize(loops)
                    .setPreferNativeTransport(true)
                    .setMetricsOptions(NodeMetrics.vertxMetrics()))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    RedisSwarmStore redis = null;
    if (options.inRedis()) {
      // Peers' times on the wall clock: every node on the Redis reads them.
      redis =
          new RedisSwarmStore(
              vertx, options.getRedis(), Ticker.wallClock(), options.peerTimeoutSeconds());
      redis.startCensus();
      if (udpOptions.getConnectionIdKey().isEmpty()) {
        key = agreeKey(redis); // null when Redis could not be asked: a key of this node's own
      }
    }
    SwarmStore store = local != null ? local : fleet != null ? fleet : redis;
    TorrentRegistry torrents;
    try {
      torrents = RegistryEndpoint.open(vertx, options);
    } catch (IllegalStateException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      HazelcastSwarmStore joined = fleet;
      if (redis != null) {
        redis.close();
      }
      vertx
          .close()
          .onComplete(
              v -> {
                if (joined != null) {
                  joined.close();
                  joined.member().leave();
                }
              });
      return Future.failedFuture(e);
    }
    // With a registry, completed counts are kept in it; what the trackers announce into is that
    // store, or in whitelist and private mode the registry's access rules in front of it.
    RegistryEndpoint.Counted counted = RegistryEndpoint.counted(store, torrents, options);
    SwarmStore trackerStore = RegistryEndpoint.trackerStore(counted.store(), torrents, options);
    UdpTrackerMetrics udpMetrics = new UdpTrackerMetrics(registry);
    // What clients offered: the requests served, and the datagrams the kernel dropped unread
    // (known once the UDP port is bound).
    LongSupplier[] socketDrops = {() -> 0};
    AdaptiveIntervalPolicy interval =
        new AdaptiveIntervalPolicy(
            options.getInterval(),
            options.getInterval().effectiveCapacity(loops),
            options.getPeerGraceSeconds(),
            () -> RequestMeters.total(registry) + socketDrops[0].getAsLong(),
            Ticker.system());
    if (local != null) {
      local.setPeerTimeoutSeconds(
          Math.min(interval.peerTimeoutSeconds(), options.peerTimeoutSeconds()));
    }
    RateLimiter rateLimiter = new RateLimiter(options.getRateLimit(), Ticker.system());
    ConnectionIds ids =
        new ConnectionIds(
            key != null ? key : ConnectionIds.keyFromHex(udpOptions.getConnectionIdKey()),
            InstantSource.system(),
            udpOptions.getConnectionIdLifetimeSeconds());
    rotateOnChange[0] = ids;
    SwarmkeeperNode node =
        new SwarmkeeperNode(
            vertx,
            local,
            fleet,
            redis,
            udpMetrics,
            registry,
            ids,
            new NodeOptions(options.toJson()),
            onFailure);
    node.interval = interval;
    node.rateLimiter = rateLimiter;
    NodeMetrics.bindProcess(registry);
    NodeMetrics.bindStore(registry, store);
    NodeMetrics.bindInterval(registry, interval);
    NodeMetrics.bindRateLimiter(registry, rateLimiter);
    if (fleet != null) {
      NodeMetrics.bindFleet(registry, fleet);
    }
    IntervalPolicy handedOut = interval;
    if (redis != null) {
      NodeMetrics.bindRedis(registry, redis);
      handedOut = degradedInterval(interval, redis, options);
      if (key != null) { // only a key agreed through Redis is put back there
        byte[] agreed = key;
        RedisSwarmStore shared = redis;
        node.timers.add(vertx.setPeriodic(KEY_KEEP_MILLIS, id -> SharedKey.keep(shared, agreed)));
      }
    }
    vertx.exceptionHandler(
        e -> {
          if (e instanceof Error) {
            node.fail("an event loop", e);
          } else {
            LOG.warn("uncaught on an event loop: {}", e.toString());
          }
        });
    UdpTrackerHandler udpHandler =
        new UdpTrackerHandler(
            trackerStore,
            ids,
            handedOut,
            options.announceLimits(),
            udpOptions.isAllowIpOverride(),
            node.udpMetrics,
            rateLimiter);
    HttpTrackerOptions httpOptions = options.getHttp();
    HttpTrackerHandler httpHandler =
        new HttpTrackerHandler(
            trackerStore,
            handedOut,
            options.announceLimits(),
            httpOptions,
            node::isReady,
            () -> node.failure() == null,
            new HttpTrackerMetrics(registry),
            rateLimiter);
    if (httpOptions.getPort() >= 0) {
      NodeMetrics.bindHttp(registry, httpHandler.counters());
    }
    AdminOptions adminOptions = options.getAdmin();
    if (adminOptions.getPort() < 0) {
      // No admin listener: the metrics are served on the tracker's HTTP port.
      httpHandler.route("/metrics", request -> NodeMetrics.serve(request, registry));
    }
    Handler<HttpServerRequest> api =
        RegistryEndpoint.api(vertx, torrents, options, counted.store(), node::announceUrls);
    node.torrents = torrents;
    node.counts = counted.counts();
    if (torrents != null) {
      NodeMetrics.bindRegistry(registry, torrents);
      NodeMetrics.bindCompleted(registry, node.counts);
      node.keepCounts(options.getCompleted());
    }
    if (adminOptions.getPort() < 0) {
      httpHandler.routeUnder(AdminServer.API, api);
    }
    StatsRecorder stats = new StatsRecorder(registry, counted.store(), interval);
    DashboardEndpoint dashboard =
        new DashboardEndpoint(
            vertx,
            stats,
            counted.store(),
            interval,
            fleet == null ? null : new FleetView(fleet, options.getCluster().getName()),
            torrents,
            new JsonObject()
                .put("store", options.getStore())
                .put("access", options.getAccess().getMode().toString().toLowerCase(Locale.ROOT))
                .put("registry", torrents != null)
                .put("admin_listener", adminOptions.getPort() >= 0),
            adminOptions.getPort() < 0,
            options.getAccess().getMode() == AccessOptions.Mode.PRIVATE);
    if (adminOptions.getPort() < 0) {
      // No admin listener: the dashboard is served on the tracker's HTTP port.
      for (String path : dashboard.paths()) {
        httpHandler.route(path, dashboard::handle);
      }
    }
    Future<Void> udpStarted =
        listen(
                "udp",
                udpOptions.getHost(),
                udpOptions.getPort(),
                host ->
                    UdpTrackerDeployment.deploy(
                        vertx,
                        new UdpTrackerOptions(udpOptions).setHost(host),
                        udpHandler,
                        loops,
                        e -> node.fail("the UDP listener", e)))
            .map(
                bound -> {
                  node.udp = bound.value();
                  node.udpHost = bound.host();
                  socketDrops[0] = new UdpSocketDrops(node.udp.port());
                  NodeMetrics.bindSocketDrops(registry, socketDrops[0]);
                  return null;
                });
    Future<Void> httpStarted =
        httpOptions.getPort() < 0
            ? udpStarted
            : udpStarted.compose(
                v ->
                    listen(
                            "http",
                            httpOptions.getHost(),
                            httpOptions.getPort(),
                            host ->
                                HttpTrackerVerticle.deploy(
                                    vertx,
                                    new HttpTrackerOptions(httpOptions).setHost(host),
                                    httpHandler,
                                    loops))
                        .map(
                            bound -> {
                              node.http = bound.value();
                              node.httpHost = bound.host();
                              return null;
                            }));
    Future<Void> adminStarted =
        adminOptions.getPort() < 0
            ? httpStarted
            : httpStarted.compose(
                v ->
                    listen(
                            "admin",
                            adminOptions.getHost(),
                            adminOptions.getPort(),
                            host ->
                                AdminServer.start(
                                    vertx,
                                    new AdminOptions(adminOptions).setHost(host),
                                    () -> node.failure,
                                    node::isReady,
                                    node.fleet == null ? null : node::fleetJson,
                                    request -> NodeMetrics.serve(request, registry),
                                    api,
                                    dashboard,
                                    node::degraded))
                        .map(
                            bound -> {
                              node.admin = bound.value();
                              return null;
                            }));
    // Not chained on a Vert.x future: after vertx.close() its event loops refuse to run the
    // listeners, and the caller would wait for ever (a RejectedExecutionException logged instead).
    Promise<SwarmkeeperNode> result = Promise.promise();
    adminStarted.onComplete(
        done -> {
          if (done.failed()) {
            result.fail(done.cause());
            vertx.close().onComplete(v -> node.leaveFleet());
            return;
          }
          NodeMetrics.bindEventLoops(registry, vertx, loops, node.timers);
          node.timers.add(vertx.setPeriodic(1000, id -> node.tickInterval()));
          node.timers.add(vertx.setPeriodic(1000, id -> stats.sample()));
          if (node.local != null) {
            LocalSwarmStore memory = node.local;
            node.sweepTimer =
                vertx.setPeriodic(
                    options.getSweepPeriodMillis(), id -> memory.sweep(options.getSweepBudget()));
          }
          node.ready.set(true);
          LOG.info(
              "swarmkeeper listening on udp {} ({} transport, {} event loop(s)){}{}; store: {};"
                  + " announce interval {} s{}",
              node.udpAddress(),
              node.udp.transport(),
              node.udp.instances(),
              node.http == null ? "; http off" : " and http " + node.httpAddress(),
              node.admin == null ? "" : "; admin " + node.adminAddress(),
              node.redis != null
                  ? "redis "
                      + RedisStoreOptions.redacted(String.join(",", options.getRedis().getUrls()))
                  : node.fleet == null
                      ? "in-memory"
                      : "hazelcast, member "
                          + node.fleet.member().address()
                          + " of "
                          + node.fleet.member().memberCount()
                          + " in cluster "
                          + options.getCluster().getName(),
              options.getAnnounceIntervalSeconds(),
              node.torrents == null
                  ? ""
                  : "; registry "
                      + DatabaseOptions.redacted(options.getDatabase().getUrl())
                      + ", access "
                      + options.getAccess().modeName());
          result.complete(node);
        });
    return result.future();
  }

  private record Bound<T>(T value, String host) {}

  /**
   * Binds as configured; where "::" cannot be bound because the host has no IPv6, 0.0.0.0. A
   * failure names the listener, the address and the cause; a port in use is never retried on IPv4
   * (the other holder would be hidden).
   */
  private static <T> Future<Bound<T>> listen(
      String what, String host, int port, Function<String, Future<T>> bind) {
    return bind.apply(host)
        .map(v -> new Bound<>(v, host))
        .recover(
            e -> {
              if (!host.equals("::") || addressInUse(e)) {
                return Future.failedFuture(listenFailure(what, host, port, e));
              }
              LOG.info("cannot bind [::] ({}); binding 0.0.0.0 (IPv4 only)", causeText(e));
              return bind.apply("0.0.0.0")
                  .map(v -> new Bound<>(v, "0.0.0.0"))
                  .recover(e2 -> Future.failedFuture(listenFailure(what, "0.0.0.0", port, e2)));
            });
  }

  private static Throwable listenFailure(String what, String host, int port, Throwable cause) {
    return new IllegalStateException(
        "cannot listen on " + what + " " + address(host, port) + ": " + causeText(cause), cause);
  }

  private static boolean addressInUse(Throwable e) {
    return causeText(e).contains("Address already in use");
  }

  /** The innermost message, without Netty's "bind(..) failed: " prefix. */
  static String causeText(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    return message.replaceFirst("^\\w+\\(\\.\\.\\) failed[^:]*: ", "");
  }

  private static String address(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Marks the node unable to serve and tells the failure handler, once. It may run with the heap
   * exhausted: the reserve it frees first leaves room for the message and the handler.
   */
  void fail(String where, Throwable e) {
    if (!failing.compareAndSet(false, true)) {
      return;
    }
    reserve = null;
    ready.set(false);
    String reason = where;
    try {
      reason = where + " failed: " + e;
    } catch (Throwable ignored) {
      // the place alone says enough
    }
    failure = reason;
    onFailure.failed(
        e instanceof VirtualMachineError ? EXIT_VM_ERROR : EXIT_LISTENER_FAILED, reason);
  }

  /**
   * Moves the interval with the load it measured, and keeps the in-memory store's peers for the
   * longest interval a client may still be waiting out (with the fleet the store keeps them for the
   * longest the policy may ever hand out: other members hand out their own).
   */
  private void tickInterval() {
    interval.tick();
    if (local != null) {
      local.setPeerTimeoutSeconds(
          Math.min(interval.peerTimeoutSeconds(), options.peerTimeoutSeconds()));
    }
  }

  /** The interval policy: what it hands out and the load it sees. */
  public AdaptiveIntervalPolicy intervalPolicy() {
    return interval;
  }

  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Null while the node can serve, else why it cannot. */
  public String failure() {
    return failure;
  }

  /**
   * Serving, not failed, and with the fleet: joined and the cluster safe (no migration running), so
   * that a load balancer sends nothing to a member that is still taking its share.
   */
  public boolean isReady() {
    return ready.get() && failure == null && (fleet == null || fleet.isReady());
  }

  /**
   * Applies what can change while running (the store's limits; a new connection-id key, the
   * previous one accepted for one id lifetime; the log level is the process's and the caller's) and
   * keeps every swarm. Answers a line per changed key (a key's value not shown); a key that only a
   * restart applies says so.
   */
  public List<String> reload(NodeOptions next) {
    Map<String, Object> before = ConfigLoader.flatten(options.toJson(), "");
    Map<String, Object> after = ConfigLoader.flatten(next.toJson(), "");
    List<String> changes = new ArrayList<>();
    for (Map.Entry<String, Object> e : after.entrySet()) {
      Object was = before.get(e.getKey());
      if (!Objects.equals(was, e.getValue())) {
        boolean secret = SECRET_KEYS.contains(e.getKey());
        boolean live =
            e.getKey().startsWith("limits.")
                || e.getKey().equals("log-level")
                || (e.getKey().equals(CONNECTION_ID_KEY)
                    && !next.getUdp().getConnectionIdKey().isEmpty());
        changes.add(
            e.getKey()
                + (secret ? ": changed" : ": " + was + " -> " + e.getValue())
                + (live ? "" : " (not applied: takes effect at the next restart)"));
      }
    }
    String key = next.getUdp().getConnectionIdKey();
    if (!key.isEmpty() && !key.equals(options.getUdp().getConnectionIdKey())) {
      connectionIds.rotate(ConnectionIds.keyFromHex(key));
    }
    if (local != null) {
      local.setLimits(next.limits());
    } else if (fleet != null) {
      fleet.setLimits(next.limits());
    }
    NodeOptions applied =
        new NodeOptions(options.toJson()).setLimits(next.limits()).setLogLevel(next.getLogLevel());
    if (!key.isEmpty()) {
      applied.getUdp().setConnectionIdKey(key);
    }
    options = applied;
    return changes;
  }

  /** The options in force (those a reload applied included). */
  public NodeOptions options() {
    return new NodeOptions(options.toJson());
  }

  public String udpAddress() {
    return address(udpHost, udp.port());
  }

  public String httpAddress() {
    return http == null ? null : address(httpHost, http.port());
  }

  public String adminAddress() {
    return admin == null ? null : address(options.getAdmin().getHost(), admin.port());
  }

  public int udpPort() {
    return udp.port();
  }

  /** The HTTP port, or -1 when HTTP is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The admin port, or -1 when the admin listener is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public SwarmStore store() {
    return store;
  }

  /** The members of the fleet and what each owns, as the admin listener's {@code /fleet} says. */
  JsonObject fleetJson() {
    JsonArray members = new JsonArray();
    for (MemberStats m : fleet.members()) {
      members.add(
          new JsonObject()
              .put("address", m.address())
              .put("partitions", m.partitions())
              .put("swarms", m.swarms())
              .put("peers", m.peers())
              .put("requests", m.requests())
              .put("updated-at-millis", m.atMillis()));
    }
    return new JsonObject()
        .put("this", fleet.member().address())
        .put("cluster", options.getCluster().getName())
        .put("ready", fleet.isReady())
        .put("swarms", fleet.swarmCount())
        .put("peers", fleet.peerCount())
        .put("outstanding", fleet.outstanding())
        .put("overloaded", fleet.overloaded())
        .put("timed-out", fleet.timedOut())
        .put("failed", fleet.failed())
        .put("members", members);
  }

  /** The in-memory store, or null when the node keeps its swarms in the fleet. */
  public LocalSwarmStore localStore() {
    return local;
  }

  /** The fleet's store, or null with the in-memory store. */
  public HazelcastSwarmStore fleetStore() {
    return fleet;
  }

  public UdpTrackerMetrics udpMetrics() {
    return udpMetrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** What works less well while the node serves, for {@code /ready}'s words; null if nothing. */
  String degraded() {
    if (torrents != null && !torrents.listening()) {
      return "the registry database is unreachable (torrents already known are served)";
    }
    if (redis != null && redis.degraded()) {
      return "redis is unreachable ("
          + redis.trouble()
          + "): announces are answered without peers and with the longer interval";
    }
    return null;
  }

  /**
   * The announce URLs a magnet link of the registry names: {@code api.announce-urls} when set, else
   * this node's UDP (and HTTP) port on the host name the API request was sent to.
   */
  List<String> announceUrls(String host) {
    List<String> configured = options.getApi().getAnnounceUrls();
    if (!configured.isEmpty()) {
      return configured;
    }
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    List<String> urls = new ArrayList<>();
    if (udp != null) {
      urls.add("udp://" + h + ":" + udp.port() + "/announce");
    }
    if (http != null) {
      urls.add("http://" + h + ":" + http.port() + "/announce");
    }
    return urls;
  }

  /** How long a stop waits for the last write of completed counts. */
  static final int COUNTS_FLUSH_SECONDS = 10;

  /** How long a starting node waits for Redis to agree on the connection-id key. */
  static final int KEY_AGREE_SECONDS = 3;

  /** How often a node puts the agreed connection-id key back where Redis lost it. */
  static final long KEY_KEEP_MILLIS = 30_000;

  /** How often each node deletes stale counts of unregistered swarms (the first an hour in). */
  static final long PRUNE_PERIOD_MILLIS = 3_600_000;

  /** Writes the completed counts every flush period, and prunes stale ones hourly. */
  private void keepCounts(CompletedOptions options) {
    timers.add(
        vertx.setPeriodic(
            options.getFlushSeconds() * 1000L,
            id -> {
              if (counts.idle()) {
                counts.flush(); // a failure is logged and counted by the counts; they wait
              }
            }));
    timers.add(
        vertx.setPeriodic(
            PRUNE_PERIOD_MILLIS,
            id ->
                counts
                    .prune()
                    .onSuccess(
                        n -> {
                          if (n > 0) {
                            LOG.info("pruned the completed counts of {} stale swarm(s)", n);
                          }
                        })));
  }

  /** Stops serving and closes Vert.x; a second call answers the first one's future. */
  public synchronized Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    ready.set(false);
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    for (long id : timers) {
      vertx.cancelTimer(id);
    }
    List<Future<Void>> stops = new ArrayList<>();
    if (http != null) {
      for (String id : http.deploymentIds()) {
        stops.add(vertx.undeploy(id));
      }
    }
    if (udp != null) {
      stops.add(udp.undeploy());
    }
    if (admin != null) {
      stops.add(admin.close());
    }
    if (torrents != null) {
      // The counts not written yet go first (waited for at most COUNTS_FLUSH_SECONDS).
      stops.add(
          counts
              .flush()
              .timeout(COUNTS_FLUSH_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
              .transform(
                  flushed -> {
                    if (flushed.failed()) {
                      LOG.warn(
                          "completed counts of {} swarm(s) not written at stop: {}",
                          counts.pending(),
                          causeText(flushed.cause()));
                    }
                    return torrents.close();
                  }));
    }
    // The fleet member leaves after the listeners stopped: its partitions migrate to the others
    // first (graceful), so no swarm is left to a backup.
    closed =
        Future.join(stops)
            .<Void>mapEmpty()
            .eventually(() -> vertx.executeBlocking(() -> leaveFleet(), false))
            .eventually(vertx::close);
    return closed;
  }

  /**
   * The key the nodes on this Redis share (see {@link SharedKey}); null, with a warning, when Redis
   * cannot be asked now (the node then makes a random key of its own, never put in Redis).
   */
  private static byte[] agreeKey(RedisSwarmStore redis) {
    try {
      return SharedKey.agree(redis)
          .toCompletionStage()
          .toCompletableFuture()
          .get(KEY_AGREE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn(
          "cannot agree on a connection-id key through redis ({}): this node uses its own, so"
              + " other nodes refuse its ids; set udp.connection-id-key on every node",
          causeText(e));
    }
    return null;
  }

  /**
   * What the trackers hand out: the policy's interval, or while Redis is away the longer of it and
   * {@code redis.degraded-interval-seconds} (0: the policy's longest), so clients come back when
   * Redis may be too.
   */
  private static IntervalPolicy degradedInterval(
      AdaptiveIntervalPolicy interval, RedisSwarmStore redis, NodeOptions options) {
    int configured = options.getRedis().getDegradedIntervalSeconds();
    // Never past the policy's longest: stored peers are kept for that (plus the grace) only, so a
    // longer interval would let them expire before their clients come back.
    int longest = options.getInterval().getMaxSeconds();
    int degraded = configured > 0 ? Math.min(configured, longest) : longest;
    return () -> {
      int normal = interval.intervalSeconds();
      return redis.degraded() ? Math.max(normal, degraded) : normal;
    };
  }

  /** The Redis store, or null when swarms live elsewhere. */
  public RedisSwarmStore redisStore() {
    return redis;
  }

  /** Stops the fleet store and leaves the cluster gracefully; blocks while partitions migrate. */
  private Void leaveFleet() {
    if (fleet != null) {
      fleet.close();
      fleet.member().leave();
    }
    if (redis != null) {
      redis.close();
    }
    return null;
  }
}
