package io.swarmkeeper.swarm;

/**
 * The announce interval handed to clients. Fixed for now; an adaptive policy that follows the
 * node's load plugs in here.
 */
@FunctionalInterface
public interface IntervalPolicy {
  int intervalSeconds();

  static IntervalPolicy fixed(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("interval must be >= 1 second, got " + seconds);
    }
    return () -> seconds;
  }
}
