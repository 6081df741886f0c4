package io.swarmkeeper.cluster;

import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.FakeTicker;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.SwarmStoreContract;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every store behaviour of the single node, on three real Hazelcast members in this JVM: each test
 * gets maps of its own on one cluster, and its requests go round the three members, so every answer
 * may come from a member that does not own the swarm.
 */
class FleetStoreContractTest extends SwarmStoreContract {
  private static TestFleet fleet;
  private static final AtomicInteger TESTS = new AtomicInteger();
  private List<HazelcastSwarmStore> stores;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new TestFleet(3, Ticker.wallClock(), 60, 1);
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @Override
  protected SwarmStore newStore(FakeTicker ticker, int peerTimeoutSeconds) {
    String suffix = ".contract" + TESTS.incrementAndGet();
    stores = new ArrayList<>();
    for (FleetMember m : fleet.members) {
      stores.add(new HazelcastSwarmStore(m, ticker, peerTimeoutSeconds, suffix));
    }
    return new RoundRobin(stores);
  }

  @Override
  protected void closeStore(SwarmStore store) {
    for (HazelcastSwarmStore s : stores) {
      s.close();
    }
  }

  @Override
  protected void settle(SwarmStore store) {
    fleet.awaitSafe();
    for (HazelcastSwarmStore s : stores) {
      s.sweepAndPublishNow();
    }
    for (HazelcastSwarmStore s : stores) {
      s.refreshCountsNow();
    }
  }

  /** Each call to the next member's store; counts from the first (they all read the same sum). */
  private record RoundRobin(List<HazelcastSwarmStore> stores, AtomicInteger next)
      implements SwarmStore {
    RoundRobin(List<HazelcastSwarmStore> stores) {
      this(stores, new AtomicInteger());
    }

    private HazelcastSwarmStore pick() {
      return stores.get(Math.floorMod(next.getAndIncrement(), stores.size()));
    }

    @Override
    public Future<AnnounceResult> announce(AnnounceRequest request) {
      return pick().announce(request);
    }

    @Override
    public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
      return pick().scrape(infoHashes);
    }

    @Override
    public long swarmCount() {
      return pick().swarmCount();
    }

    @Override
    public long peerCount() {
      return pick().peerCount();
    }

    @Override
    public PeerCensus census() {
      return pick().census();
    }

    @Override
    public List<LargestSwarms.Entry> largestSwarms() {
      return pick().largestSwarms();
    }
  }
}
