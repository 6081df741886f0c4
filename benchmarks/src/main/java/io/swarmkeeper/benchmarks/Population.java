package io.swarmkeeper.benchmarks;

import io.swarmkeeper.loadtest.Zipf;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import java.util.SplittableRandom;

/**
 * A fixed population of peers, each in one swarm drawn by Zipf popularity, a third of them seeders.
 * Peers are kept packed ({@code peer << 32 | swarm}) in a shuffled order, and a request is built
 * fresh for each announce, as a decoder would: a replayed array of request objects would measure
 * the benchmark's own cache misses rather than the store's.
 */
final class Population {
  final InfoHash[] hashes;
  final long[] order;
  private final int numWant;

  Population(int swarms, int peers, int numWant, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    this.numWant = numWant;
    hashes = new InfoHash[swarms];
    for (int i = 0; i < swarms; i++) {
      hashes[i] = InfoHash.of(random.nextLong(), random.nextLong(), random.nextInt());
    }
    Zipf zipf = new Zipf(swarms, 1.0);
    order = new long[peers];
    for (int i = 0; i < peers; i++) {
      order[i] = ((long) i << 32) | zipf.next(random);
    }
    for (int i = peers - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  AnnounceRequest request(int position, AnnounceEvent event) {
    long packed = order[position];
    int peer = (int) (packed >>> 32);
    InfoHash hash = hashes[(int) packed];
    PeerEndpoint endpoint = PeerEndpoint.ipv4(0x0A000000 + peer, 1024 + (peer % 60000));
    long left = peer % 3 == 0 ? 0 : 1000;
    return new AnnounceRequest(hash, endpoint, event, left, numWant);
  }
}
