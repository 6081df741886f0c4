package io.swarmkeeper.cluster;

import io.swarmkeeper.swarm.Ticker;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Whether the fleet is safe, asked off the maintenance thread. Hazelcast's cluster-wide check asks
 * every member and can wait minutes on one that has just left (it retries a member that is gone for
 * up to 125 s), which froze the sweeps, the published counts and readiness with it. A look that has
 * not answered within the bound counts as unsafe and is left behind; the next tick starts another,
 * and only the latest look's answer counts.
 */
final class SafetyCheck {
  private final BooleanSupplier look;
  private final long boundNanos;
  private final Ticker ticker;
  private final Executor executor;

  private final Object lock = new Object();
  private long latest;
  private boolean running;
  private long startedNanos;
  private boolean safe;

  /**
   * @param look the check itself, run on {@code executor}; throwing counts as unsafe
   * @param boundMillis how long a look may take before it counts as unsafe
   * @param executor where looks run; one that refuses leaves the node unsafe until it accepts
   */
  SafetyCheck(BooleanSupplier look, long boundMillis, Ticker ticker, Executor executor) {
    if (boundMillis <= 0) {
      throw new IllegalArgumentException("boundMillis must be > 0, got " + boundMillis);
    }
    this.look = look;
    this.boundNanos = boundMillis * 1_000_000L;
    this.ticker = ticker;
    this.executor = executor;
  }

  /** Starts a look unless one is under way; one under way past the bound makes the fleet unsafe. */
  void tick() {
    long id;
    synchronized (lock) {
      if (running) {
        if (ticker.nanos() - startedNanos < boundNanos) {
          return;
        }
        safe = false;
      }
      id = ++latest;
      running = true;
      startedNanos = ticker.nanos();
    }
    try {
      executor.execute(() -> answer(id, lookSafely()));
    } catch (RejectedExecutionException e) {
      // Every thread for looks waits on Hazelcast: unsafe, and the next tick past the bound
      // retries.
    }
  }

  private boolean lookSafely() {
    try {
      return look.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void answer(long id, boolean answer) {
    synchronized (lock) {
      if (id == latest) {
        safe = answer;
        running = false;
      }
    }
  }

  /** The latest look's answer: false before the first, and while a look is overdue. */
  boolean isSafe() {
    synchronized (lock) {
      return safe && !(running && ticker.nanos() - startedNanos >= boundNanos);
    }
  }
}
