package io.swarmkeeper.swarm;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The announce interval that follows the node's load: longer when the smoothed request rate passes
 * the capacity, back down slowly when it falls, never outside {@code [min, max]}.
 *
 * <p>Clients take a new interval only at their next announce, so a rate measured just after a
 * change still mostly comes from clients on the old one. Raising the interval again for that rate
 * would overshoot. The policy therefore tracks the interval the clients are actually on: {@code h},
 * the mean of 1/interval over the announcing clients, moves towards 1/handed-out at the rate
 * clients announce ({@code dh/dt = h (1/I - h)}). The present population would offer {@code rate /
 * h} announces per second at an interval of one second, so the interval that brings it to capacity
 * is {@code rate / (h * capacity)}, whatever share of clients has already switched: the estimate
 * does not move while the clients catch up, and the loop settles instead of oscillating.
 *
 * <p>Up: to that interval at once (at most doubling per tick). Down: only when the load would stay
 * under {@value #DOWN_BELOW} of capacity, and by at most {@value #DOWN_STEP} of the interval per
 * tick, to an interval that keeps {@value #DOWN_HEADROOM} headroom (hysteresis).
 *
 * <p>{@link #tick()} runs about once a second on one thread; {@link #intervalSeconds()} on any.
 */
public final class AdaptiveIntervalPolicy implements IntervalPolicy {
  static final double DOWN_BELOW = 0.8;
  static final double DOWN_STEP = 0.02;
  static final double DOWN_HEADROOM = 0.9;

  private final IntervalOptions options;
  private final int capacity;
  private final int graceSeconds;
  private final LongSupplier requests;
  private final Ticker ticker;

  private volatile int seconds;
  private volatile double rate;
  private volatile double neededSeconds;
  private volatile int peerTimeoutSeconds;

  private double inverse;
  private double seenInverse;
  private long lastNanos;
  private long lastRequests;
  private boolean started;
  private int heldSeconds;
  private long heldUntilNanos;

  /**
   * @param capacity requests/s the node takes before the interval rises
   * @param graceSeconds how long a peer is kept past the longest interval it may have been given
   * @param requests the requests served so far (all protocols and actions), read at each tick
   */
  public AdaptiveIntervalPolicy(
      IntervalOptions options,
      int capacity,
      int graceSeconds,
      LongSupplier requests,
      Ticker ticker) {
    this.options = new IntervalOptions(options).validate();
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1 request/s, got " + capacity);
    }
    this.capacity = capacity;
    this.graceSeconds = graceSeconds;
    this.requests = requests;
    this.ticker = ticker;
    this.seconds = this.options.getMinSeconds();
    this.inverse = 1.0 / seconds;
    this.seenInverse = inverse;
    this.heldSeconds = this.options.withJitter(seconds);
    this.peerTimeoutSeconds = heldSeconds + graceSeconds;
  }

  @Override
  public int intervalSeconds() {
    int s = seconds;
    int jitter = s * options.getJitterPercent() / 100;
    return jitter == 0 ? s : s + ThreadLocalRandom.current().nextInt(jitter + 1);
  }

  /** Measures the load since the last tick and moves the interval; call about once a second. */
  public void tick() {
    long now = ticker.nanos();
    long served = requests.getAsLong();
    if (!started) {
      started = true;
      lastNanos = now;
      lastRequests = served;
      return;
    }
    double dt = (now - lastNanos) / 1e9;
    if (dt <= 0) {
      return;
    }
    double instant = (served - lastRequests) / dt;
    lastNanos = now;
    lastRequests = served;
    // Clients come back in clumps one interval apart: averaged over less than an interval, the
    // rate would swing with them.
    double alpha = 1 - Math.exp(-dt / Math.max(options.getSmoothingSeconds(), seconds));
    double r = rate + alpha * (instant - rate);
    rate = r;

    int current = seconds;
    // Clients move to the handed-out interval as they announce (one step of dh/dt = h (1/I - h)),
    // seen through the same smoothing as the rate, so that the two lag alike.
    inverse += Math.min(1.0, dt * inverse) * (1.0 / current - inverse);
    seenInverse += alpha * (inverse - seenInverse);
    double needed = r / (seenInverse * capacity);
    neededSeconds = needed;
    if (options.isAdaptive()) {
      int next = current;
      if (needed > current) {
        next = (int) Math.ceil(Math.min(needed, 2.0 * current));
      } else if (needed < current * DOWN_BELOW) {
        double target = needed / DOWN_HEADROOM;
        next = (int) Math.max(Math.ceil(target), Math.floor(current * (1 - DOWN_STEP)));
      }
      seconds = Math.max(options.getMinSeconds(), Math.min(options.getMaxSeconds(), next));
    }
    holdPeerTimeout(now);
  }

  /**
   * Keeps the longest interval handed out until every client that got it has announced again (one
   * such interval after it was last handed out).
   */
  private void holdPeerTimeout(long now) {
    int longest = options.withJitter(seconds);
    if (longest >= heldSeconds || now - heldUntilNanos > 0) {
      heldSeconds = longest;
      heldUntilNanos = now + longest * 1_000_000_000L;
    }
    peerTimeoutSeconds = heldSeconds + graceSeconds;
  }

  /** The interval handed out now, before jitter. */
  public int currentSeconds() {
    return seconds;
  }

  /** The smoothed request rate (requests/s). */
  public double requestRate() {
    return rate;
  }

  public int capacity() {
    return capacity;
  }

  /** The smoothed rate against capacity: above 1 the node is past what it should take. */
  public double load() {
    return rate / capacity;
  }

  /** The interval at which the present clients would offer exactly the capacity. */
  public double neededSeconds() {
    return neededSeconds;
  }

  /**
   * How long a peer must be kept: the longest interval (with jitter) a client may still be waiting
   * out, plus the grace.
   */
  public int peerTimeoutSeconds() {
    return peerTimeoutSeconds;
  }

  public IntervalOptions options() {
    return new IntervalOptions(options);
  }

  /** Why the interval is what it is now, in a sentence for the operator (the dashboard). */
  public String explanation() {
    // Three volatile reads: a tick between them can make the sentence mix two seconds' figures.
    int s = seconds;
    double r = rate;
    double needed = neededSeconds;
    String load =
        String.format(
            Locale.ROOT,
            "%.0f requests/s (smoothed over the interval) against a capacity of %d (%.0f %%)",
            r,
            capacity,
            100 * r / capacity);
    if (!options.isAdaptive()) {
      return "fixed at " + s + " s (interval.adaptive is off); the load is " + load;
    }
    if (s >= options.getMaxSeconds() && needed > s) {
      return "at its longest, "
          + s
          + " s, and the clients would still offer more than the capacity: "
          + load
          + "; add nodes or raise interval.max-seconds";
    }
    if (needed > s) {
      return "rising: at "
          + s
          + " s the clients offer more than the capacity ("
          + load
          + "); "
          + (int) Math.ceil(needed)
          + " s would bring them to it";
    }
    if (s <= options.getMinSeconds() && needed < s * DOWN_BELOW) {
      return "at its shortest, " + s + " s: " + load;
    }
    if (needed < s * DOWN_BELOW) {
      return "falling by at most "
          + Math.round(DOWN_STEP * 100)
          + " % a second towards "
          + Math.max(options.getMinSeconds(), (int) Math.ceil(needed / DOWN_HEADROOM))
          + " s: "
          + load
          + ", under "
          + Math.round(DOWN_BELOW * 100)
          + " % of the capacity at this interval";
    }
    return "holding at "
        + s
        + " s: "
        + load
        + "; it moves when the load would leave "
        + Math.round(DOWN_BELOW * 100)
        + "-100 % of the capacity";
  }
}
