package io.swarmkeeper.swarm;

/** A source of time in nanoseconds; injected so that expiry is tested without sleeps. */
@FunctionalInterface
public interface Ticker {
  long nanos();

  /** Monotonic: for a store whose swarms never leave this process. */
  static Ticker system() {
    return System::nanoTime;
  }

  /**
   * Wall-clock time since the Unix epoch: the one clock every member of a fleet shares (kept in
   * step by NTP), so the age of a peer stays right when its swarm moves to another member.
   */
  static Ticker wallClock() {
    return () -> System.currentTimeMillis() * 1_000_000L;
  }
}
