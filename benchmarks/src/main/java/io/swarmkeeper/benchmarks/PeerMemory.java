package io.swarmkeeper.benchmarks;

import io.swarmkeeper.loadtest.Zipf;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.swarm.Ticker;
import java.util.SplittableRandom;

/**
 * Heap bytes per stored peer of {@link LocalSwarmStore}: heap after GC with the store filled, minus
 * heap after GC before, divided by peers. Arguments: peers swarms limits (default 1000000 10000
 * none; {@code default} sets {@link SwarmLimits#DEFAULT}, which counts every peer's address: here
 * each peer has its own). Run: java -Xmx4g -cp benchmarks/target/benchmarks.jar
 * io.swarmkeeper.benchmarks.PeerMemory
 */
public final class PeerMemory {
  private PeerMemory() {}

  public static void main(String[] args) {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int swarms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    boolean limits = args.length > 2 && args[2].equals("default");
    SplittableRandom random = new SplittableRandom(42);
    InfoHash[] hashes = new InfoHash[swarms];
    for (int i = 0; i < swarms; i++) {
      hashes[i] = InfoHash.of(random.nextLong(), random.nextLong(), random.nextInt());
    }
    Zipf zipf = new Zipf(swarms, 1.0);
    long before = StateAtCaps.heapAfterGc();
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
    store.setLimits(limits ? SwarmLimits.DEFAULT : SwarmLimits.NONE);
    for (int i = 0; i < peers; i++) {
      PeerEndpoint peer = PeerEndpoint.ipv4(0x0A000000 + i, 1024 + (i % 60000));
      long left = random.nextInt(3) == 0 ? 0 : 1;
      InfoHash h = hashes[zipf.next(random)];
      store.announceNow(new AnnounceRequest(h, peer, AnnounceEvent.STARTED, left, 0));
    }
    long after = StateAtCaps.heapAfterGc();
    System.out.printf(
        "limits=%s peers=%d swarms=%d (held %d) heap=%.1f MiB bytes/peer=%.1f%n",
        limits ? "default" : "none",
        store.peerCount(),
        swarms,
        store.swarmCount(),
        (after - before) / 1048576.0,
        (after - before) / (double) store.peerCount());
  }
}
