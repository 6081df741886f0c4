package io.swarmkeeper.benchmarks;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.Ticker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Announces per second of {@link LocalSwarmStore} on one thread: a populated store (peers spread
 * over swarms by Zipf popularity) replaying re-announces of random peers, numwant 50. No {@link
 * io.swarmkeeper.swarm.SwarmLimits} (the store's default): nothing is counted per address.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SwarmStoreBenchmark {
  @Param({"10000"})
  int swarms;

  @Param({"1000000"})
  int peers;

  @Param({"50"})
  int numWant;

  private LocalSwarmStore store;
  private Population population;
  private int next;

  @Setup
  public void setUp() {
    population = new Population(swarms, peers, numWant, 42);
    store = new LocalSwarmStore(Ticker.system(), 3600);
    for (int i = 0; i < peers; i++) {
      store.announceNow(population.request(i, AnnounceEvent.STARTED));
    }
  }

  /** Re-announces of the population's peers in shuffled order. */
  @Benchmark
  public AnnounceResult announce() {
    AnnounceRequest r = population.request(next, AnnounceEvent.NONE);
    if (++next == peers) {
      next = 0;
    }
    return store.announceNow(r);
  }
}
