package io.swarmkeeper.server;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;

/**
 * The PostgreSQL database of the torrent registry ({@code database.url}). Unset by default: the
 * node then runs without a registry and needs no database.
 */
public final class DatabaseOptions {
  public static final String DEFAULT_URL = "";
  public static final int DEFAULT_POOL_SIZE = 4;

  private static final Set<String> KEYS = Set.of("url", "pool-size");

  private String url = DEFAULT_URL;
  private int poolSize = DEFAULT_POOL_SIZE;

  public DatabaseOptions() {}

  public DatabaseOptions(DatabaseOptions other) {
    this.url = other.url;
    this.poolSize = other.poolSize;
  }

  public DatabaseOptions(JsonObject json) {
    OptionValues.known(json, "database.", KEYS);
    setUrl(OptionValues.string(json, "database.", "url", DEFAULT_URL));
    setPoolSize(OptionValues.integer(json, "database.", "pool-size", DEFAULT_POOL_SIZE));
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("pool-size", poolSize);
  }

  /** Whether a database is configured. */
  public boolean enabled() {
    return !url.isEmpty();
  }

  public String getUrl() {
    return url;
  }

  /** {@code postgres://USER:PASS@HOST:PORT/DB} (or {@code postgresql://}); empty for none. */
  public DatabaseOptions setUrl(String url) {
    String u = url == null ? "" : url.trim();
    if (!u.isEmpty()) {
      URI parsed;
      try {
        parsed = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("database.url is not a URL: " + redacted(u));
      }
      if (!"postgres".equals(parsed.getScheme()) && !"postgresql".equals(parsed.getScheme())) {
        throw new IllegalArgumentException(
            "database.url must be postgres://USER:PASS@HOST:PORT/DB, got " + redacted(u));
      }
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("database.url names no host: " + redacted(u));
      }
    }
    this.url = u;
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  public DatabaseOptions setPoolSize(int poolSize) {
    if (poolSize < 1 || poolSize > 256) {
      throw new IllegalArgumentException("database.pool-size must be 1..256, got " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  /** The URL with its password hidden, for messages and logs. */
  static String redacted(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }
}
