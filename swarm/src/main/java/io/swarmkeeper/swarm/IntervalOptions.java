package io.swarmkeeper.swarm;

/**
 * How the announce interval follows the node's load ({@code interval.*}): never below {@code
 * min-seconds} (the interval at normal load), never above {@code max-seconds}, raised when the
 * smoothed request rate passes {@code capacity} requests/s.
 */
public final class IntervalOptions {
  /** Public tracker monitors accept intervals of 5 min to 3 h; the store keeps up to 16,384 s. */
  public static final int MAX_SECONDS = 10_800;

  public static final int DEFAULT_MIN_SECONDS = 1800;
  public static final int DEFAULT_MAX_SECONDS = 7200;

  /**
   * Requests/s per event loop when {@code capacity} is 0 (auto): about a quarter of what one core
   * answered here at saturation (about 130,000/s, docs/ARCHITECTURE.md), so that the interval rises
   * while latency is still low.
   */
  public static final int AUTO_CAPACITY_PER_EVENT_LOOP = 30_000;

  public static final int DEFAULT_JITTER_PERCENT = 5;
  public static final int DEFAULT_SMOOTHING_SECONDS = 10;

  private boolean adaptive = true;
  private int minSeconds = DEFAULT_MIN_SECONDS;
  private int maxSeconds = DEFAULT_MAX_SECONDS;
  private int capacity;
  private int jitterPercent = DEFAULT_JITTER_PERCENT;
  private int smoothingSeconds = DEFAULT_SMOOTHING_SECONDS;

  public IntervalOptions() {}

  public IntervalOptions(IntervalOptions other) {
    adaptive = other.adaptive;
    minSeconds = other.minSeconds;
    maxSeconds = other.maxSeconds;
    capacity = other.capacity;
    jitterPercent = other.jitterPercent;
    smoothingSeconds = other.smoothingSeconds;
  }

  public boolean isAdaptive() {
    return adaptive;
  }

  public IntervalOptions setAdaptive(boolean adaptive) {
    this.adaptive = adaptive;
    return this;
  }

  public int getMinSeconds() {
    return minSeconds;
  }

  public IntervalOptions setMinSeconds(int seconds) {
    this.minSeconds = OptionRange.check("interval.min-seconds", seconds, 1, MAX_SECONDS);
    return this;
  }

  public int getMaxSeconds() {
    return maxSeconds;
  }

  public IntervalOptions setMaxSeconds(int seconds) {
    this.maxSeconds = OptionRange.check("interval.max-seconds", seconds, 1, MAX_SECONDS);
    return this;
  }

  /** Requests/s the node takes before it raises the interval; 0: auto (per event loop). */
  public int getCapacity() {
    return capacity;
  }

  public IntervalOptions setCapacity(int requestsPerSecond) {
    this.capacity = OptionRange.check("interval.capacity", requestsPerSecond, 0, Integer.MAX_VALUE);
    return this;
  }

  /** The capacity in force: the configured one, or the auto one for this many event loops. */
  public int effectiveCapacity(int eventLoops) {
    return capacity > 0 ? capacity : AUTO_CAPACITY_PER_EVENT_LOOP * Math.max(1, eventLoops);
  }

  public int getJitterPercent() {
    return jitterPercent;
  }

  /** Up to this share is added at random to each interval handed out, never subtracted. */
  public IntervalOptions setJitterPercent(int percent) {
    this.jitterPercent = OptionRange.check("interval.jitter-percent", percent, 0, 20);
    return this;
  }

  public int getSmoothingSeconds() {
    return smoothingSeconds;
  }

  /** Time constant of the smoothed request rate. */
  public IntervalOptions setSmoothingSeconds(int seconds) {
    this.smoothingSeconds = OptionRange.check("interval.smoothing-seconds", seconds, 1, 3600);
    return this;
  }

  /** The longest interval ever handed out: the maximum with its jitter (or the minimum's). */
  public int longestSeconds() {
    return withJitter(adaptive ? maxSeconds : minSeconds);
  }

  int withJitter(int seconds) {
    return seconds + seconds * jitterPercent / 100;
  }

  /** Checks what one setter cannot: the maximum is not below the minimum. */
  public IntervalOptions validate() {
    if (maxSeconds < minSeconds) {
      throw new IllegalArgumentException(
          "interval.max-seconds ("
              + maxSeconds
              + ") must not be below interval.min-seconds ("
              + minSeconds
              + ")");
    }
    return this;
  }
}
