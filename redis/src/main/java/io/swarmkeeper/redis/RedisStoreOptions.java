package io.swarmkeeper.redis;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the Redis store finds Redis and how it behaves when Redis is slow or away ({@code
 * redis.*}): every tunable of the redis module, with its unit. Setters check their argument at once
 * and name the option.
 */
public final class RedisStoreOptions {
  /** How the Redis is deployed. */
  public enum Topology {
    /** One server (or a primary whose replicas the operator fails over by hand). */
    STANDALONE,
    /** A Redis Cluster: the URLs are seed nodes; a torrent's keys share one hash slot. */
    CLUSTER,
    /** A primary watched by Sentinels: the URLs are the Sentinels, the master is named. */
    SENTINEL
  }

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_KEY_PREFIX = "sk:";
  public static final String DEFAULT_MASTER_NAME = "mymaster";

  /**
   * A Redis that has not answered in this long is taken as away for that request: a UDP client
   * waits 15 s for an answer, and a degraded answer now is worth more than a full one too late.
   */
  public static final int DEFAULT_TIMEOUT_MILLIS = 500;

  /** How often the census counts swarms and peers (one node of all those on the Redis does it). */
  public static final int DEFAULT_CENSUS_SECONDS = 30;

  /** Announces one event loop may have waiting on Redis; past it they are answered degraded. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 8192;

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{0,32}");

  private List<String> urls = List.of(DEFAULT_URL);
  private Topology topology = Topology.STANDALONE;
  private String masterName = DEFAULT_MASTER_NAME;
  private String keyPrefix = DEFAULT_KEY_PREFIX;
  private int timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
  private int censusSeconds = DEFAULT_CENSUS_SECONDS;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int degradedIntervalSeconds;

  public RedisStoreOptions() {}

  public RedisStoreOptions(RedisStoreOptions other) {
    this.urls = other.urls;
    this.topology = other.topology;
    this.masterName = other.masterName;
    this.keyPrefix = other.keyPrefix;
    this.timeoutMillis = other.timeoutMillis;
    this.censusSeconds = other.censusSeconds;
    this.maxInFlight = other.maxInFlight;
    this.degradedIntervalSeconds = other.degradedIntervalSeconds;
  }

  public List<String> getUrls() {
    return urls;
  }

  /**
   * The Redis to use, {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS);
   * with a cluster the seed nodes, with Sentinel the Sentinels.
   */
  public RedisStoreOptions setUrls(List<String> urls) {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("redis.url must name at least one redis:// URL");
    }
    for (String url : urls) {
      String u = url.toLowerCase(Locale.ROOT);
      if (!(u.startsWith("redis://") || u.startsWith("rediss://") || u.startsWith("unix://"))
          || url.length() <= "redis://".length()) {
        throw new IllegalArgumentException(
            "redis.url must be redis://HOST:PORT (or rediss://, unix://), got '"
                + redacted(url)
                + "'");
      }
    }
    this.urls = List.copyOf(urls);
    return this;
  }

  /** The URL with any password replaced by {@code ***}, for logs and errors. */
  public static String redacted(String url) {
    return url.replaceFirst("(?<=://)([^:@/]*):[^@/]*@", "$1:***@");
  }

  public Topology getTopology() {
    return topology;
  }

  public RedisStoreOptions setTopology(Topology topology) {
    this.topology = java.util.Objects.requireNonNull(topology, "redis.topology");
    return this;
  }

  /** Reads {@code standalone}, {@code cluster} or {@code sentinel}. */
  public RedisStoreOptions setTopology(String name) {
    try {
      return setTopology(Topology.valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "redis.topology must be standalone, cluster or sentinel, got '" + name + "'", e);
    }
  }

  public String getMasterName() {
    return masterName;
  }

  /** The master the Sentinels watch (with {@code redis.topology=sentinel}). */
  public RedisStoreOptions setMasterName(String masterName) {
    if (masterName == null || masterName.isBlank()) {
      throw new IllegalArgumentException("redis.master-name must not be empty");
    }
    this.masterName = masterName;
    return this;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  /** Put before every key, so a Redis can be shared: up to 32 of A-Z a-z 0-9 : _ . - */
  public RedisStoreOptions setKeyPrefix(String keyPrefix) {
    if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches()) {
      throw new IllegalArgumentException(
          "redis.key-prefix must be up to 32 of A-Z a-z 0-9 : _ . -, got '" + keyPrefix + "'");
    }
    this.keyPrefix = keyPrefix;
    return this;
  }

  public int getTimeoutMillis() {
    return timeoutMillis;
  }

  public RedisStoreOptions setTimeoutMillis(int timeoutMillis) {
    if (timeoutMillis < 10 || timeoutMillis > 60_000) {
      throw new IllegalArgumentException(
          "redis.timeout-millis must be 10..60000, got " + timeoutMillis);
    }
    this.timeoutMillis = timeoutMillis;
    return this;
  }

  public int getCensusSeconds() {
    return censusSeconds;
  }

  public RedisStoreOptions setCensusSeconds(int censusSeconds) {
    if (censusSeconds < 1 || censusSeconds > 3600) {
      throw new IllegalArgumentException(
          "redis.census-seconds must be 1..3600, got " + censusSeconds);
    }
    this.censusSeconds = censusSeconds;
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public RedisStoreOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1 || maxInFlight > 1_000_000) {
      throw new IllegalArgumentException(
          "redis.max-in-flight must be 1..1000000, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  public int getDegradedIntervalSeconds() {
    return degradedIntervalSeconds;
  }

  /**
   * The interval handed out while Redis is away; 0 (the default) for the interval policy's longest
   * ({@code interval.max-seconds}).
   */
  public RedisStoreOptions setDegradedIntervalSeconds(int seconds) {
    if (seconds < 0 || seconds > 10_800) {
      throw new IllegalArgumentException(
          "redis.degraded-interval-seconds must be 0..10800, got " + seconds);
    }
    this.degradedIntervalSeconds = seconds;
    return this;
  }
}
