package io.swarmkeeper.swarm;

/** The store contract against the embedded store. */
class LocalSwarmStoreContractTest extends SwarmStoreContract {

  @Override
  protected SwarmStore newStore(FakeTicker ticker, int peerTimeoutSeconds) {
    return new LocalSwarmStore(ticker, peerTimeoutSeconds);
  }

  /**
   * Its counts are exact at once but hold expired peers until a sweep or a look at their swarm
   * (ExpiredPeersNotCountedTest); the sweep the server runs in the background is run here.
   */
  @Override
  protected void settle(SwarmStore store) {
    ((LocalSwarmStore) store).sweepAll();
  }
}
