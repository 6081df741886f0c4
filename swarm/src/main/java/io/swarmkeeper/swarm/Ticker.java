package io.swarmkeeper.swarm;

/** A source of monotonic time in nanoseconds; injected so that expiry is tested without sleeps. */
@FunctionalInterface
public interface Ticker {
  long nanos();

  static Ticker system() {
    return System::nanoTime;
  }
}
