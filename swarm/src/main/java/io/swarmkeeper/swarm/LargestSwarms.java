package io.swarmkeeper.swarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The largest swarms by peers, collected over a census pass (a store's expiry sweep, the Redis
 * census scan): {@link #offer} each swarm, then {@link #result}. Keeps at most {@code size} in a
 * min-heap, so a pass over a million swarms costs one comparison for nearly every one of them.
 * Merging several members' lists (the fleet) is offering their entries to a new one. A swarm
 * offered twice (two members' lists published on either side of a partition's move; a key a Redis
 * scan returned twice) is kept once, with its larger count.
 */
public final class LargestSwarms {
  /** How many a store keeps: the dashboard's list. */
  public static final int SIZE = 20;

  /**
   * One swarm's counts.
   *
   * @param seeders peers that have the whole torrent, both address families
   * @param leechers the other peers
   */
  public record Entry(InfoHash infoHash, int seeders, int leechers) {
    public int peers() {
      return seeders + leechers;
    }
  }

  private static final Comparator<Entry> SMALLEST_FIRST =
      Comparator.comparingInt(Entry::peers).thenComparing(e -> e.infoHash().toHex());

  private final int size;
  private final PriorityQueue<Entry> heap;
  private final Map<InfoHash, Entry> kept = new HashMap<>();

  public LargestSwarms(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("size must be > 0, got " + size);
    }
    this.size = size;
    this.heap = new PriorityQueue<>(size + 1, SMALLEST_FIRST);
  }

  /** Counts a swarm in; an empty one is never kept. */
  public void offer(InfoHash infoHash, int seeders, int leechers) {
    int peers = seeders + leechers;
    if (peers <= 0 || (heap.size() == size && peers <= heap.peek().peers())) {
      return;
    }
    Entry before = kept.get(infoHash);
    if (before != null) {
      if (before.peers() >= peers) {
        return;
      }
      heap.remove(before); // at most SIZE entries: a linear removal is cheap
    }
    Entry e = new Entry(infoHash, seeders, leechers);
    heap.add(e);
    kept.put(infoHash, e);
    if (heap.size() > size) {
      kept.remove(heap.poll().infoHash());
    }
  }

  public void offer(Entry entry) {
    offer(entry.infoHash(), entry.seeders(), entry.leechers());
  }

  /** The swarms kept, largest first (ties: lowest info_hash first). */
  public List<Entry> result() {
    List<Entry> out = new ArrayList<>(heap);
    out.sort(
        Comparator.comparingInt(Entry::peers).reversed().thenComparing(e -> e.infoHash().toHex()));
    return List.copyOf(out);
  }
}
