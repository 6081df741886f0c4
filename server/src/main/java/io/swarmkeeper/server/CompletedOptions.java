package io.swarmkeeper.server;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * How completed counts are kept in the registry's PostgreSQL ({@code completed.*}; only with {@code
 * database.url}): how often they are written behind, how many swarms' unwritten counts are held
 * while PostgreSQL is away, and how long an unregistered swarm's count outlives its last
 * completion.
 */
public final class CompletedOptions {
  public static final int DEFAULT_FLUSH_SECONDS = 5;
  public static final int DEFAULT_MAX_PENDING = 1_000_000;
  public static final int DEFAULT_RETENTION_DAYS = 90;

  private static final Set<String> KEYS = Set.of("flush-seconds", "max-pending", "retention-days");

  private int flushSeconds = DEFAULT_FLUSH_SECONDS;
  private int maxPending = DEFAULT_MAX_PENDING;
  private int retentionDays = DEFAULT_RETENTION_DAYS;

  public CompletedOptions() {}

  public CompletedOptions(CompletedOptions other) {
    this.flushSeconds = other.flushSeconds;
    this.maxPending = other.maxPending;
    this.retentionDays = other.retentionDays;
  }

  public CompletedOptions(JsonObject json) {
    OptionValues.known(json, "completed.", KEYS);
    setFlushSeconds(
        OptionValues.integer(json, "completed.", "flush-seconds", DEFAULT_FLUSH_SECONDS));
    setMaxPending(OptionValues.integer(json, "completed.", "max-pending", DEFAULT_MAX_PENDING));
    setRetentionDays(
        OptionValues.integer(json, "completed.", "retention-days", DEFAULT_RETENTION_DAYS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("flush-seconds", flushSeconds)
        .put("max-pending", maxPending)
        .put("retention-days", retentionDays);
  }

  public int getFlushSeconds() {
    return flushSeconds;
  }

  /** Seconds between writes of the counts (1..3600). */
  public CompletedOptions setFlushSeconds(int flushSeconds) {
    if (flushSeconds < 1 || flushSeconds > 3600) {
      throw new IllegalArgumentException(
          "completed.flush-seconds must be 1..3600, got " + flushSeconds);
    }
    this.flushSeconds = flushSeconds;
    return this;
  }

  public int getMaxPending() {
    return maxPending;
  }

  /** Swarms whose unwritten counts are held (about 100 bytes each); past it they are dropped. */
  public CompletedOptions setMaxPending(int maxPending) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("completed.max-pending must be >= 1, got " + maxPending);
    }
    this.maxPending = maxPending;
    return this;
  }

  public int getRetentionDays() {
    return retentionDays;
  }

  /** Days an unregistered swarm's count is kept after its last completion (registered: always). */
  public CompletedOptions setRetentionDays(int retentionDays) {
    if (retentionDays < 1) {
      throw new IllegalArgumentException(
          "completed.retention-days must be >= 1, got " + retentionDays);
    }
    this.retentionDays = retentionDays;
    return this;
  }
}
