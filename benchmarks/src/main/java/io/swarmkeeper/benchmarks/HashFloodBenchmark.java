package io.swarmkeeper.benchmarks;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a scrape after a hash flood: {@code flood} swarms whose info_hashes collided under
 * the old unkeyed hash ({@link CollidingInfoHashes}) are planted from one address (limits off, as
 * the attack ran), then 74 absent hashes of the same family are scraped, against 74 absent random
 * ones. The ratio colliding / random is the attack's leverage: about 190 with the old hash, about 1
 * with the keyed one. Run (under a minute): {@code java -jar benchmarks/target/benchmarks.jar
 * HashFloodBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HashFloodBenchmark {
  private static final int TARGET = 0x5EED;
  private static final int SCRAPE = 74;

  @Param({"60000"})
  int flood;

  private LocalSwarmStore store;
  private List<InfoHash> colliding;
  private List<InfoHash> random;

  @Setup
  public void setUp() {
    store = new LocalSwarmStore(Ticker.system(), 3600);
    PeerEndpoint attacker = PeerEndpoint.ipv4(0x0A000001, 6881);
    for (int i = 0; i < flood; i++) {
      InfoHash h = CollidingInfoHashes.of(i, TARGET);
      if (CollidingInfoHashes.oldHashCode(h) != TARGET) {
        throw new IllegalStateException("not a collision: " + h);
      }
      store.announceNow(new AnnounceRequest(h, attacker, AnnounceEvent.STARTED, 1, 0));
    }
    SplittableRandom r = new SplittableRandom(7);
    colliding = new ArrayList<>();
    random = new ArrayList<>();
    for (int i = 0; i < SCRAPE; i++) {
      colliding.add(CollidingInfoHashes.of(flood + i, TARGET));
      random.add(InfoHash.of(r.nextLong(), r.nextLong(), r.nextInt()));
    }
  }

  @Benchmark
  public List<ScrapeStats> scrapeColliding() {
    return store.scrapeNow(colliding);
  }

  @Benchmark
  public List<ScrapeStats> scrapeRandom() {
    return store.scrapeNow(random);
  }
}
