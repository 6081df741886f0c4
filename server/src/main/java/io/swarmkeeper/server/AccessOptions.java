package io.swarmkeeper.server;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * Which torrents the tracker tracks and for whom ({@code access.mode}): every one for anyone
 * (public, the default), only those in the registry (whitelist), or only those and only for holders
 * of a valid passkey (private); the last two need {@code database.url}. And the cache of the
 * registry's answers that keeps announces off the database.
 */
public final class AccessOptions {
  /** Who may announce. */
  public enum Mode {
    PUBLIC,
    WHITELIST,
    PRIVATE
  }

  public static final int DEFAULT_CACHE_SIZE = 1_000_000;
  public static final int DEFAULT_CACHE_SECONDS = 300;

  private static final Set<String> KEYS = Set.of("mode", "cache-size", "cache-seconds");

  private Mode mode = Mode.PUBLIC;
  private int cacheSize = DEFAULT_CACHE_SIZE;
  private int cacheSeconds = DEFAULT_CACHE_SECONDS;

  public AccessOptions() {}

  public AccessOptions(AccessOptions other) {
    this.mode = other.mode;
    this.cacheSize = other.cacheSize;
    this.cacheSeconds = other.cacheSeconds;
  }

  public AccessOptions(JsonObject json) {
    OptionValues.known(json, "access.", KEYS);
    setMode(OptionValues.string(json, "access.", "mode", "public"));
    setCacheSize(OptionValues.integer(json, "access.", "cache-size", DEFAULT_CACHE_SIZE));
    setCacheSeconds(OptionValues.integer(json, "access.", "cache-seconds", DEFAULT_CACHE_SECONDS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("mode", modeName())
        .put("cache-size", cacheSize)
        .put("cache-seconds", cacheSeconds);
  }

  public Mode getMode() {
    return mode;
  }

  /** The mode as configured: {@code public}, {@code whitelist} or {@code private}. */
  public String modeName() {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** {@code public}, {@code whitelist} or {@code private}. */
  public AccessOptions setMode(String mode) {
    String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
    switch (m) {
      case "public" -> this.mode = Mode.PUBLIC;
      case "whitelist" -> this.mode = Mode.WHITELIST;
      case "private" -> this.mode = Mode.PRIVATE;
      default ->
          throw new IllegalArgumentException(
              "access.mode must be public, whitelist or private, got '" + mode + "'");
    }
    return this;
  }

  public int getCacheSize() {
    return cacheSize;
  }

  public AccessOptions setCacheSize(int cacheSize) {
    if (cacheSize < 1) {
      throw new IllegalArgumentException("access.cache-size must be >= 1, got " + cacheSize);
    }
    this.cacheSize = cacheSize;
    return this;
  }

  public int getCacheSeconds() {
    return cacheSeconds;
  }

  public AccessOptions setCacheSeconds(int cacheSeconds) {
    if (cacheSeconds < 1) {
      throw new IllegalArgumentException("access.cache-seconds must be >= 1, got " + cacheSeconds);
    }
    this.cacheSeconds = cacheSeconds;
    return this;
  }
}
