package io.swarmkeeper.swarm;

/** A clock the test moves by hand. */
final class FakeTicker implements Ticker {
  private long nanos = 1_000_000_000L;

  @Override
  public long nanos() {
    return nanos;
  }

  void advanceSeconds(long seconds) {
    nanos += seconds * 1_000_000_000L;
  }
}
