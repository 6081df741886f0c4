package io.swarmkeeper.swarm;

/**
 * A clock the test moves by hand. Public so that store contract tests in other modules ({@link
 * SwarmStoreContract}) can hand it to their store.
 */
public final class FakeTicker implements Ticker {
  // Volatile: a clustered store reads it on its own threads (partition threads, a sweeper).
  private volatile long nanos = 1_000_000_000L;

  @Override
  public long nanos() {
    return nanos;
  }

  public void advanceSeconds(long seconds) {
    nanos += seconds * 1_000_000_000L;
  }
}
