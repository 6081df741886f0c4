package io.swarmkeeper.benchmarks;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.swarm.Ticker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Heap and resident memory of a {@link LocalSwarmStore} filled to its caps: the default {@link
 * SwarmLimits} with max-swarms and max-peers scaled by the argument (1 is the real default, 2
 * million swarms and 30 million peers; needs about -Xmx2g), the per-address caps as they are. Every
 * address creates as many swarms and holds as many peers as its caps allow; swarms are created by a
 * first peer (then one swarm more is refused), then the remaining peers join random swarms (then
 * one peer more is refused). Prints heap bytes per swarm (with its first peer) and per further
 * peer, after GC, and the process's VmRSS. Run: {@code java -Xms96m -Xmn64m -cp
 * benchmarks/target/benchmarks.jar io.swarmkeeper.benchmarks.StateAtCaps 0.1}
 */
public final class StateAtCaps {
  private StateAtCaps() {}

  public static void main(String[] args) throws IOException {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
    SwarmLimits d = SwarmLimits.DEFAULT;
    SwarmLimits caps =
        new SwarmLimits(
            (int) (d.maxSwarms() * scale),
            (int) (d.maxPeers() * scale),
            d.maxPeersPerSwarm(),
            d.maxSwarmsPerAddress(),
            d.maxPeersPerAddress());
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
    store.setLimits(caps);
    long heap0 = heapAfterGc();
    long rss0 = rssBytes();

    InfoHash[] hashes = new InfoHash[caps.maxSwarms()];
    SplittableRandom random = new SplittableRandom(42);
    for (int s = 0; s < hashes.length; s++) {
      hashes[s] = InfoHash.of(random.nextLong(), random.nextLong(), random.nextInt());
      // Creators are 10.0.0.0 upwards, each creating max-swarms-per-address swarms.
      int creator = 0x0A000000 + s / caps.maxSwarmsPerAddress();
      announce(store, hashes[s], PeerEndpoint.ipv4(creator, 1 + s % caps.maxSwarmsPerAddress()));
    }
    long heap1 = heapAfterGc();
    long swarms = store.swarmCount();
    String swarmRefusal = refusal(store, InfoHash.of(1, 2, 3), PeerEndpoint.ipv4(0x0C000000, 1));

    long more = caps.maxPeers() - store.peerCount();
    for (long p = 0; p < more; p++) {
      // Joiners are 11.0.0.0 upwards, each holding max-peers-per-address peers (one port each).
      int address = 0x0B000000 + (int) (p / caps.maxPeersPerAddress());
      int port = 1 + (int) (p % caps.maxPeersPerAddress());
      announce(store, hashes[random.nextInt(hashes.length)], PeerEndpoint.ipv4(address, port));
    }
    long heap2 = heapAfterGc();
    long peers = store.peerCount();

    String peerRefusal = refusal(store, hashes[0], PeerEndpoint.ipv4(0x0C000000, 2));
    long rss = rssBytes();
    System.out.printf(
        "caps %s%nswarms=%d peers=%d%nheap/swarm=%.1f B (with its first peer)%n"
            + "heap/peer=%.1f B (further peers)%nheap=%.1f MiB (store) rss=%.1f MiB (process;"
            + " %.1f MiB before filling)%nnext swarm: %s%nnext peer: %s%n",
        caps,
        swarms,
        peers,
        (heap1 - heap0) / (double) swarms,
        (heap2 - heap1) / (double) (peers - swarms),
        (heap2 - heap0) / 1048576.0,
        rss / 1048576.0,
        rss0 / 1048576.0,
        swarmRefusal,
        peerRefusal);
  }

  private static void announce(LocalSwarmStore store, InfoHash h, PeerEndpoint peer) {
    store.announceNow(new AnnounceRequest(h, peer, AnnounceEvent.STARTED, 1, 0));
  }

  private static String refusal(LocalSwarmStore store, InfoHash h, PeerEndpoint peer) {
    try {
      announce(store, h, peer);
      return "accepted (no cap reached)";
    } catch (AnnounceRefusedException e) {
      return "refused, " + e.limit() + ": " + e.getMessage();
    }
  }

  static long heapAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
