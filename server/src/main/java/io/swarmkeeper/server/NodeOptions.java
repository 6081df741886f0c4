package io.swarmkeeper.server;

import io.swarmkeeper.cluster.ClusterOptions;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.redis.RedisStoreOptions;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.RateLimitOptions;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything a node is configured by, with its defaults. JSON keys are kebab-case; the UDP
 * listener's live in the {@code udp} section, the store's caps in {@code limits}. Unknown keys and
 * values of the wrong type are refused with their name.
 */
public final class NodeOptions {
  public static final int DEFAULT_EVENT_LOOPS = 0;
  public static final int DEFAULT_ANNOUNCE_INTERVAL_SECONDS = IntervalOptions.DEFAULT_MIN_SECONDS;
  public static final int DEFAULT_PEER_GRACE_SECONDS = 300;

  /** The longest time a stored peer's 15-bit clock measures. */
  public static final int MAX_PEER_TIMEOUT_SECONDS = 16_384;

  public static final int DEFAULT_NUMWANT = AnnounceLimits.DEFAULT.defaultNumWant();
  public static final int DEFAULT_MAX_NUMWANT = AnnounceLimits.DEFAULT.maxNumWant();
  public static final int DEFAULT_MAX_SCRAPE_HASHES = AnnounceLimits.DEFAULT.maxScrapeHashes();
  public static final int DEFAULT_SWEEP_PERIOD_MILLIS = 100;
  public static final int DEFAULT_SWEEP_BUDGET = 20_000;
  public static final SwarmLimits DEFAULT_LIMITS = SwarmLimits.DEFAULT;
  public static final String DEFAULT_LOG_LEVEL = "info";

  /** The levels of {@code log-level}, most severe first. */
  public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

  private static final Set<String> KEYS =
      Set.of(
          "event-loops",
          "peer-grace-seconds",
          "default-numwant",
          "max-numwant",
          "max-scrape-hashes",
          "sweep-period-millis",
          "sweep-budget",
          "log-level",
          "store",
          "limits",
          "cluster",
          "redis",
          "udp",
          "http",
          "admin",
          "database",
          "api",
          "access",
          "completed",
          "interval",
          "rate-limit");

  private static final Set<String> INTERVAL_KEYS =
      Set.of(
          "adaptive",
          "min-seconds",
          "max-seconds",
          "capacity",
          "jitter-percent",
          "smoothing-seconds");

  private static final Set<String> RATE_LIMIT_KEYS =
      Set.of("enabled", "requests-per-second", "burst", "max-addresses", "exempt-loopback");

  /** Where swarms live: this process's heap, the fleet's Hazelcast cluster, or a Redis. */
  public static final List<String> STORES = List.of("memory", "hazelcast", "redis");

  public static final String DEFAULT_STORE = "memory";

  private static final Set<String> CLUSTER_KEYS =
      Set.of(
          "name",
          "host",
          "port",
          "members",
          "discovery",
          "kubernetes-service-dns",
          "kubernetes-service-name",
          "kubernetes-namespace",
          "backup-count",
          "async-backups",
          "timeout-millis",
          "max-outstanding",
          "heartbeat-timeout-seconds",
          "merge-check-seconds");

  private static final Set<String> LIMIT_KEYS =
      Set.of(
          "max-swarms",
          "max-peers",
          "max-peers-per-swarm",
          "max-swarms-per-address",
          "max-peers-per-address");

  private int eventLoops = DEFAULT_EVENT_LOOPS;
  private IntervalOptions interval = new IntervalOptions();
  private RateLimitOptions rateLimit = new RateLimitOptions();
  private int peerGraceSeconds = DEFAULT_PEER_GRACE_SECONDS;
  private int defaultNumWant = DEFAULT_NUMWANT;
  private int maxNumWant = DEFAULT_MAX_NUMWANT;
  private int maxScrapeHashes = DEFAULT_MAX_SCRAPE_HASHES;
  private int sweepPeriodMillis = DEFAULT_SWEEP_PERIOD_MILLIS;
  private int sweepBudget = DEFAULT_SWEEP_BUDGET;
  private String logLevel = DEFAULT_LOG_LEVEL;
  private SwarmLimits limits = DEFAULT_LIMITS;
  private String store = DEFAULT_STORE;
  private ClusterOptions cluster = new ClusterOptions();
  private RedisStoreOptions redis = new RedisStoreOptions();
  private UdpTrackerOptions udp = new UdpTrackerOptions();
  private HttpTrackerOptions http = new HttpTrackerOptions();
  private AdminOptions admin = new AdminOptions();
  private DatabaseOptions database = new DatabaseOptions();
  private ApiOptions api = new ApiOptions();
  private AccessOptions access = new AccessOptions();
  private CompletedOptions completed = new CompletedOptions();

  public NodeOptions() {}

  public NodeOptions(JsonObject json) {
    OptionValues.known(json, "", KEYS);
    setEventLoops(integer(json, "event-loops", DEFAULT_EVENT_LOOPS));
    setPeerGraceSeconds(integer(json, "peer-grace-seconds", DEFAULT_PEER_GRACE_SECONDS));
    setMaxNumWant(integer(json, "max-numwant", DEFAULT_MAX_NUMWANT));
    setDefaultNumWant(integer(json, "default-numwant", Math.min(DEFAULT_NUMWANT, maxNumWant)));
    setMaxScrapeHashes(integer(json, "max-scrape-hashes", DEFAULT_MAX_SCRAPE_HASHES));
    setSweepPeriodMillis(integer(json, "sweep-period-millis", DEFAULT_SWEEP_PERIOD_MILLIS));
    setSweepBudget(integer(json, "sweep-budget", DEFAULT_SWEEP_BUDGET));
    setLogLevel(OptionValues.string(json, "", "log-level", DEFAULT_LOG_LEVEL));
    setLimits(limitsFromJson(section(json, "limits")));
    setStore(OptionValues.string(json, "", "store", DEFAULT_STORE));
    setCluster(clusterFromJson(section(json, "cluster")));
    setRedis(redisFromJson(section(json, "redis")));
    setUdp(new UdpTrackerOptions(section(json, "udp")));
    setHttp(new HttpTrackerOptions(section(json, "http")));
    setAdmin(new AdminOptions(section(json, "admin")));
    setDatabase(new DatabaseOptions(section(json, "database")));
    setApi(new ApiOptions(section(json, "api")));
    setAccess(new AccessOptions(section(json, "access")));
    setCompleted(new CompletedOptions(section(json, "completed")));
    if (access.getMode() != AccessOptions.Mode.PUBLIC && !database.enabled()) {
      throw new IllegalArgumentException(
          "access.mode "
              + access.modeName()
              + " needs the registry: set database.url (--database postgres://USER:PASS@HOST:PORT/DB)");
    }
    setInterval(intervalFromJson(section(json, "interval")));
    setRateLimit(rateLimitFromJson(section(json, "rate-limit")));
  }

  private static IntervalOptions intervalFromJson(JsonObject json) {
    OptionValues.known(json, "interval.", INTERVAL_KEYS);
    IntervalOptions d = new IntervalOptions();
    String p = "interval.";
    int minSeconds = OptionValues.integer(json, p, "min-seconds", d.getMinSeconds());
    return new IntervalOptions()
        .setMinSeconds(minSeconds)
        .setAdaptive(OptionValues.bool(json, p, "adaptive", d.isAdaptive()))
        .setMaxSeconds(
            OptionValues.integer(json, p, "max-seconds", Math.max(d.getMaxSeconds(), minSeconds)))
        .setCapacity(OptionValues.integer(json, p, "capacity", d.getCapacity()))
        .setJitterPercent(OptionValues.integer(json, p, "jitter-percent", d.getJitterPercent()))
        .setSmoothingSeconds(
            OptionValues.integer(json, p, "smoothing-seconds", d.getSmoothingSeconds()));
  }

  private static RateLimitOptions rateLimitFromJson(JsonObject json) {
    OptionValues.known(json, "rate-limit.", RATE_LIMIT_KEYS);
    RateLimitOptions d = new RateLimitOptions();
    String p = "rate-limit.";
    return new RateLimitOptions()
        .setEnabled(OptionValues.bool(json, p, "enabled", d.isEnabled()))
        .setRequestsPerSecond(
            OptionValues.integer(json, p, "requests-per-second", d.getRequestsPerSecond()))
        .setBurst(OptionValues.integer(json, p, "burst", d.getBurst()))
        .setMaxAddresses(OptionValues.integer(json, p, "max-addresses", d.getMaxAddresses()))
        .setExemptLoopback(OptionValues.bool(json, p, "exempt-loopback", d.isExemptLoopback()));
  }

  private static int integer(JsonObject json, String key, int otherwise) {
    return OptionValues.integer(json, "", key, otherwise);
  }

  private static JsonObject section(JsonObject json, String key) {
    return OptionValues.section(key, json.getValue(key, new JsonObject()));
  }

  private static SwarmLimits limitsFromJson(JsonObject json) {
    OptionValues.known(json, "limits.", LIMIT_KEYS);
    SwarmLimits d = DEFAULT_LIMITS;
    return new SwarmLimits(
        OptionValues.integer(json, "limits.", "max-swarms", d.maxSwarms()),
        OptionValues.integer(json, "limits.", "max-peers", d.maxPeers()),
        OptionValues.integer(json, "limits.", "max-peers-per-swarm", d.maxPeersPerSwarm()),
        OptionValues.integer(json, "limits.", "max-swarms-per-address", d.maxSwarmsPerAddress()),
        OptionValues.integer(json, "limits.", "max-peers-per-address", d.maxPeersPerAddress()));
  }

  private static ClusterOptions clusterFromJson(JsonObject json) {
    OptionValues.known(json, "cluster.", CLUSTER_KEYS);
    ClusterOptions d = new ClusterOptions();
    String p = "cluster.";
    String discovery = OptionValues.string(json, p, "discovery", "static");
    ClusterOptions.Discovery mode =
        switch (discovery) {
          case "static" -> ClusterOptions.Discovery.STATIC;
          case "kubernetes" -> ClusterOptions.Discovery.KUBERNETES;
          default ->
              throw new IllegalArgumentException(
                  "cluster.discovery must be static or kubernetes, got '" + discovery + "'");
        };
    return new ClusterOptions()
        .setName(OptionValues.string(json, p, "name", d.getName()))
        .setHost(OptionValues.string(json, p, "host", d.getHost()))
        .setPort(OptionValues.integer(json, p, "port", d.getPort()))
        .setMembers(OptionValues.list(json, p, "members", List.of()))
        .setDiscovery(mode)
        .setKubernetesServiceDns(
            OptionValues.string(json, p, "kubernetes-service-dns", d.getKubernetesServiceDns()))
        .setKubernetesServiceName(
            OptionValues.string(json, p, "kubernetes-service-name", d.getKubernetesServiceName()))
        .setKubernetesNamespace(
            OptionValues.string(json, p, "kubernetes-namespace", d.getKubernetesNamespace()))
        .setBackupCount(OptionValues.integer(json, p, "backup-count", d.getBackupCount()))
        .setAsyncBackups(OptionValues.bool(json, p, "async-backups", d.isAsyncBackups()))
        .setTimeoutMillis(OptionValues.integer(json, p, "timeout-millis", d.getTimeoutMillis()))
        .setMaxOutstanding(OptionValues.integer(json, p, "max-outstanding", d.getMaxOutstanding()))
        .setHeartbeatTimeoutSeconds(
            OptionValues.integer(
                json, p, "heartbeat-timeout-seconds", d.getHeartbeatTimeoutSeconds()))
        .setMergeCheckSeconds(
            OptionValues.integer(json, p, "merge-check-seconds", d.getMergeCheckSeconds()));
  }

  private static final Set<String> REDIS_KEYS =
      Set.of(
          "url",
          "topology",
          "master-name",
          "key-prefix",
          "timeout-millis",
          "census-seconds",
          "max-in-flight",
          "degraded-interval-seconds");

  private static RedisStoreOptions redisFromJson(JsonObject json) {
    OptionValues.known(json, "redis.", REDIS_KEYS);
    RedisStoreOptions d = new RedisStoreOptions();
    String p = "redis.";
    return new RedisStoreOptions()
        .setUrls(OptionValues.list(json, p, "url", d.getUrls()))
        .setTopology(OptionValues.string(json, p, "topology", "standalone"))
        .setMasterName(OptionValues.string(json, p, "master-name", d.getMasterName()))
        .setKeyPrefix(OptionValues.string(json, p, "key-prefix", d.getKeyPrefix()))
        .setTimeoutMillis(OptionValues.integer(json, p, "timeout-millis", d.getTimeoutMillis()))
        .setCensusSeconds(OptionValues.integer(json, p, "census-seconds", d.getCensusSeconds()))
        .setMaxInFlight(OptionValues.integer(json, p, "max-in-flight", d.getMaxInFlight()))
        .setDegradedIntervalSeconds(
            OptionValues.integer(
                json, p, "degraded-interval-seconds", d.getDegradedIntervalSeconds()));
  }

  private static JsonObject redisToJson(RedisStoreOptions r) {
    return new JsonObject()
        .put("url", String.join(",", r.getUrls()))
        .put("topology", r.getTopology().name().toLowerCase(Locale.ROOT))
        .put("master-name", r.getMasterName())
        .put("key-prefix", r.getKeyPrefix())
        .put("timeout-millis", r.getTimeoutMillis())
        .put("census-seconds", r.getCensusSeconds())
        .put("max-in-flight", r.getMaxInFlight())
        .put("degraded-interval-seconds", r.getDegradedIntervalSeconds());
  }

  private static JsonObject clusterToJson(ClusterOptions c) {
    return new JsonObject()
        .put("name", c.getName())
        .put("host", c.getHost())
        .put("port", c.getPort())
        .put("members", String.join(",", c.getMembers()))
        .put("discovery", c.getDiscovery().name().toLowerCase(Locale.ROOT))
        .put("kubernetes-service-dns", c.getKubernetesServiceDns())
        .put("kubernetes-service-name", c.getKubernetesServiceName())
        .put("kubernetes-namespace", c.getKubernetesNamespace())
        .put("backup-count", c.getBackupCount())
        .put("async-backups", c.isAsyncBackups())
        .put("timeout-millis", c.getTimeoutMillis())
        .put("max-outstanding", c.getMaxOutstanding())
        .put("heartbeat-timeout-seconds", c.getHeartbeatTimeoutSeconds())
        .put("merge-check-seconds", c.getMergeCheckSeconds());
  }

  private static JsonObject limitsToJson(SwarmLimits limits) {
    return new JsonObject()
        .put("max-swarms", limits.maxSwarms())
        .put("max-peers", limits.maxPeers())
        .put("max-peers-per-swarm", limits.maxPeersPerSwarm())
        .put("max-swarms-per-address", limits.maxSwarmsPerAddress())
        .put("max-peers-per-address", limits.maxPeersPerAddress());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("event-loops", eventLoops)
        .put("peer-grace-seconds", peerGraceSeconds)
        .put("default-numwant", defaultNumWant)
        .put("max-numwant", maxNumWant)
        .put("max-scrape-hashes", maxScrapeHashes)
        .put("sweep-period-millis", sweepPeriodMillis)
        .put("sweep-budget", sweepBudget)
        .put("log-level", logLevel)
        .put("store", store)
        .put("limits", limitsToJson(limits))
        .put("cluster", clusterToJson(cluster))
        .put("redis", redisToJson(redis))
        .put("udp", udp.toJson())
        .put("http", http.toJson())
        .put("admin", admin.toJson())
        .put("database", database.toJson())
        .put("api", api.toJson())
        .put("access", access.toJson())
        .put("completed", completed.toJson())
        .put(
            "interval",
            new JsonObject()
                .put("adaptive", interval.isAdaptive())
                .put("min-seconds", interval.getMinSeconds())
                .put("max-seconds", interval.getMaxSeconds())
                .put("capacity", interval.getCapacity())
                .put("jitter-percent", interval.getJitterPercent())
                .put("smoothing-seconds", interval.getSmoothingSeconds()))
        .put(
            "rate-limit",
            new JsonObject()
                .put("enabled", rateLimit.isEnabled())
                .put("requests-per-second", rateLimit.getRequestsPerSecond())
                .put("burst", rateLimit.getBurst())
                .put("max-addresses", rateLimit.getMaxAddresses())
                .put("exempt-loopback", rateLimit.isExemptLoopback()));
  }

  /**
   * The event loops to run: as configured, or one fewer than the CPUs this process may use (at
   * least one), leaving a CPU's worth for the kernel's UDP work and the collector: on 2 CPUs one
   * loop answered 1.0-1.8 x what two did (docs/ARCHITECTURE.md, "The announce path (UDP)").
   */
  public int effectiveEventLoops() {
    return eventLoops > 0
        ? eventLoops
        : defaultEventLoops(Runtime.getRuntime().availableProcessors());
  }

  static int defaultEventLoops(int cpus) {
    return Math.max(1, cpus - 1);
  }

  public AnnounceLimits announceLimits() {
    return new AnnounceLimits(defaultNumWant, maxNumWant, maxScrapeHashes);
  }

  /**
   * How long the store keeps a peer at most: the longest interval the policy may hand out (the
   * maximum with its jitter) plus the grace. The in-memory store follows the policy's shorter
   * timeout while the interval is lower (see {@code AdaptiveIntervalPolicy#peerTimeoutSeconds}).
   */
  public int peerTimeoutSeconds() {
    return Math.min(MAX_PEER_TIMEOUT_SECONDS, interval.longestSeconds() + peerGraceSeconds);
  }

  public int getEventLoops() {
    return eventLoops;
  }

  /** 0 means one per core this process may use (taskset and cgroup limits count). */
  public NodeOptions setEventLoops(int eventLoops) {
    if (eventLoops < 0 || eventLoops > 1024) {
      throw new IllegalArgumentException("event-loops must be 0..1024, got " + eventLoops);
    }
    this.eventLoops = eventLoops;
    return this;
  }

  /** The interval at normal load, and the least the adaptive policy hands out. */
  public int getAnnounceIntervalSeconds() {
    return interval.getMinSeconds();
  }

  public NodeOptions setAnnounceIntervalSeconds(int seconds) {
    // Public tracker monitors reject intervals over 3 hours; the store caps the peer timeout at
    // 16,384 s.
    if (seconds < 1 || seconds > 10_800) {
      throw new IllegalArgumentException("interval.min-seconds must be 1..10800, got " + seconds);
    }
    IntervalOptions next = new IntervalOptions(interval).setMinSeconds(seconds);
    this.interval = next.setMaxSeconds(Math.max(next.getMaxSeconds(), seconds));
    return this;
  }

  /** The interval policy's options. */
  public IntervalOptions getInterval() {
    return new IntervalOptions(interval);
  }

  /** Sets the policy's options; a maximum below the minimum is refused naming both keys. */
  public NodeOptions setInterval(IntervalOptions interval) {
    this.interval = new IntervalOptions(interval).validate();
    return this;
  }

  public RateLimitOptions getRateLimit() {
    return new RateLimitOptions(rateLimit);
  }

  public NodeOptions setRateLimit(RateLimitOptions rateLimit) {
    this.rateLimit = new RateLimitOptions(rateLimit);
    return this;
  }

  public int getPeerGraceSeconds() {
    return peerGraceSeconds;
  }

  public NodeOptions setPeerGraceSeconds(int seconds) {
    // With the longest interval (3 h) this keeps the peer timeout within the store's 16,384 s.
    if (seconds < 0 || seconds > 5_400) {
      throw new IllegalArgumentException("peer-grace-seconds must be 0..5400, got " + seconds);
    }
    this.peerGraceSeconds = seconds;
    return this;
  }

  public int getDefaultNumWant() {
    return defaultNumWant;
  }

  public NodeOptions setDefaultNumWant(int n) {
    if (n < 0 || n > maxNumWant) {
      throw new IllegalArgumentException("default-numwant must be 0.." + maxNumWant + ", got " + n);
    }
    this.defaultNumWant = n;
    return this;
  }

  public int getMaxNumWant() {
    return maxNumWant;
  }

  public NodeOptions setMaxNumWant(int n) {
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException("max-numwant must be 0..10000, got " + n);
    }
    this.maxNumWant = n;
    if (defaultNumWant > n) {
      defaultNumWant = n;
    }
    return this;
  }

  public int getMaxScrapeHashes() {
    return maxScrapeHashes;
  }

  public NodeOptions setMaxScrapeHashes(int n) {
    if (n < 1 || n > 74) {
      // 74 hashes is the most one datagram of 1,500 bytes carries (16 + 74 * 20 bytes).
      throw new IllegalArgumentException("max-scrape-hashes must be 1..74, got " + n);
    }
    this.maxScrapeHashes = n;
    return this;
  }

  public int getSweepPeriodMillis() {
    return sweepPeriodMillis;
  }

  public NodeOptions setSweepPeriodMillis(int millis) {
    if (millis < 1) {
      throw new IllegalArgumentException("sweep-period-millis must be >= 1, got " + millis);
    }
    this.sweepPeriodMillis = millis;
    return this;
  }

  public int getSweepBudget() {
    return sweepBudget;
  }

  public NodeOptions setSweepBudget(int peers) {
    if (peers < 1) {
      throw new IllegalArgumentException("sweep-budget must be >= 1, got " + peers);
    }
    this.sweepBudget = peers;
    return this;
  }

  public UdpTrackerOptions getUdp() {
    return udp;
  }

  public NodeOptions setUdp(UdpTrackerOptions udp) {
    this.udp = new UdpTrackerOptions(udp);
    return this;
  }

  public HttpTrackerOptions getHttp() {
    return http;
  }

  public NodeOptions setHttp(HttpTrackerOptions http) {
    this.http = new HttpTrackerOptions(http);
    return this;
  }

  public String getLogLevel() {
    return logLevel;
  }

  /** The level of swarmkeeper's own loggers (Netty's and Vert.x's stay at warn). */
  public NodeOptions setLogLevel(String level) {
    String l = level == null ? "" : level.trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(l)) {
      throw new IllegalArgumentException(
          "log-level must be one of " + String.join(", ", LOG_LEVELS) + ", got '" + level + "'");
    }
    this.logLevel = l;
    return this;
  }

  /** The store's caps on state (each 0 for no limit). */
  public SwarmLimits limits() {
    return limits;
  }

  public NodeOptions setLimits(SwarmLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    return this;
  }

  public String getStore() {
    return store;
  }

  public NodeOptions setStore(String store) {
    if (!STORES.contains(store)) {
      throw new IllegalArgumentException(
          "store must be one of " + STORES + ", got '" + store + "'");
    }
    this.store = store;
    return this;
  }

  public boolean clustered() {
    return store.equals("hazelcast");
  }

  /** Whether swarms live in Redis ({@code store: redis}). */
  public boolean inRedis() {
    return store.equals("redis");
  }

  public RedisStoreOptions getRedis() {
    return redis;
  }

  public NodeOptions setRedis(RedisStoreOptions redis) {
    this.redis = new RedisStoreOptions(java.util.Objects.requireNonNull(redis, "redis"));
    return this;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public NodeOptions setCluster(ClusterOptions cluster) {
    this.cluster = new ClusterOptions(java.util.Objects.requireNonNull(cluster, "cluster"));
    return this;
  }

  public AdminOptions getAdmin() {
    return admin;
  }

  public NodeOptions setAdmin(AdminOptions admin) {
    this.admin = new AdminOptions(admin);
    return this;
  }

  public DatabaseOptions getDatabase() {
    return database;
  }

  public NodeOptions setDatabase(DatabaseOptions database) {
    this.database = new DatabaseOptions(database);
    return this;
  }

  public ApiOptions getApi() {
    return api;
  }

  public NodeOptions setApi(ApiOptions api) {
    this.api = new ApiOptions(api);
    return this;
  }

  public AccessOptions getAccess() {
    return access;
  }

  public NodeOptions setAccess(AccessOptions access) {
    this.access = new AccessOptions(access);
    return this;
  }

  public CompletedOptions getCompleted() {
    return completed;
  }

  public NodeOptions setCompleted(CompletedOptions completed) {
    this.completed = new CompletedOptions(completed);
    return this;
  }
}
