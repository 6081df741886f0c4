package io.swarmkeeper.swarm;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers of one swarm in one address family, laid out for memory and O(numwant) sampling.
 *
 * <p>Peers sit in dense parallel arrays: seeders at {@code [0, seeders)}, leechers at {@code
 * [seeders, size)}, so "leechers only" (what a seeder is sent) is a contiguous range and a random
 * window over a range is a fair sample. Deletion swaps the last entry into the hole. An
 * open-addressing index (linear probing, backward-shift deletion) maps an endpoint to its dense
 * position. About 30 bytes per IPv4 peer: a long key, an int last-seen time, a flag byte, and 1 to
 * 2 index slots of 4 bytes. Not thread safe: the store guards each table with its shard's lock.
 */
final class PeerTable {
  private static final byte COMPLETED_COUNTED = 1;
  private static final int INITIAL_CAPACITY = 2;

  /** Longs per key: 1 for IPv4 (address << 16 | port), 3 for IPv6 (high, low, port). */
  private final int width;

  private long[] keys;
  private int[] seen;
  private byte[] flags;
  private int[] slots; // dense index + 1; 0 is empty
  private int size;
  private int seeders;

  PeerTable(boolean ipv6) {
    this.width = ipv6 ? 3 : 1;
    allocate(INITIAL_CAPACITY);
  }

  int size() {
    return size;
  }

  int seeders() {
    return seeders;
  }

  int leechers() {
    return size - seeders;
  }

  boolean ipv6() {
    return width == 3;
  }

  boolean isSeeder(int index) {
    return index < seeders;
  }

  /** The dense index of the peer, or -1. */
  int find(long a, long b, long c) {
    int mask = slots.length - 1;
    for (int p = hash(a, b, c) & mask; ; p = (p + 1) & mask) {
      int v = slots[p];
      if (v == 0) {
        return -1;
      }
      if (keyEquals(v - 1, a, b, c)) {
        return v - 1;
      }
    }
  }

  /** Adds a peer known to be absent; returns its dense index. */
  int add(long a, long b, long c, boolean seeder, int now) {
    if (size == seen.length) {
      allocate(Math.max(INITIAL_CAPACITY, size + (size >> 1) + 1));
    }
    int i = size++;
    int base = i * width;
    keys[base] = a;
    if (width == 3) {
      keys[base + 1] = b;
      keys[base + 2] = c;
    }
    seen[i] = now;
    flags[i] = 0;
    insertSlot(i);
    if (seeder) {
      swap(i, seeders);
      i = seeders++;
    }
    return i;
  }

  void touch(int index, int now) {
    seen[index] = now;
  }

  /** Moves the peer between seeders and leechers as needed; returns its new dense index. */
  int setSeeder(int index, boolean seeder) {
    if (seeder && index >= seeders) {
      swap(index, seeders);
      return seeders++;
    }
    if (!seeder && index < seeders) {
      swap(index, seeders - 1);
      return --seeders;
    }
    return index;
  }

  /** Marks the peer's completion as counted; true the first time only. */
  boolean markCompleted(int index) {
    if ((flags[index] & COMPLETED_COUNTED) != 0) {
      return false;
    }
    flags[index] |= COMPLETED_COUNTED;
    return true;
  }

  void remove(int index) {
    if (index < seeders) {
      swap(index, seeders - 1);
      index = --seeders;
    }
    int last = size - 1;
    swap(index, last);
    deleteSlot(slotOf(last));
    size = last;
    if (size < seen.length / 4 && seen.length > INITIAL_CAPACITY * 2) {
      allocate(Math.max(INITIAL_CAPACITY, size * 2));
    }
  }

  /** Removes every peer last seen before {@code cutoff}; returns how many. */
  int expire(int cutoff) {
    int removed = 0;
    // Walking down is safe: remove() only moves entries from positions already visited.
    for (int i = size - 1; i >= 0; i--) {
      if (seen[i] < cutoff) {
        remove(i);
        removed++;
      }
    }
    return removed;
  }

  /**
   * A random window of up to {@code numWant} peers in compact form, never the peer at {@code self}
   * nor one last seen before {@code cutoff}; leechers only when {@code leechersOnly}.
   */
  byte[] sample(int self, boolean leechersOnly, int numWant, int cutoff) {
    int from = leechersOnly ? seeders : 0;
    int range = size - from;
    int candidates = range - (self >= from ? 1 : 0);
    int want = Math.min(numWant, candidates);
    int stride = width == 3 ? 18 : 6;
    if (want <= 0) {
      return new byte[0];
    }
    byte[] out = new byte[want * stride];
    int written = 0;
    int i = from + ThreadLocalRandom.current().nextInt(range);
    for (int step = 0; step < range && written < want; step++) {
      if (i != self && seen[i] >= cutoff) {
        writeCompact(i, out, written * stride);
        written++;
      }
      if (++i == size) {
        i = from;
      }
    }
    return written == want ? out : Arrays.copyOf(out, written * stride);
  }

  private void writeCompact(int index, byte[] out, int off) {
    int base = index * width;
    if (width == 1) {
      long k = keys[base];
      for (int j = 0; j < 6; j++) {
        out[off + j] = (byte) (k >>> (40 - 8 * j));
      }
    } else {
      PeerEndpoint.writeLong(out, off, keys[base]);
      PeerEndpoint.writeLong(out, off + 8, keys[base + 1]);
      int port = (int) keys[base + 2];
      out[off + 16] = (byte) (port >>> 8);
      out[off + 17] = (byte) port;
    }
  }

  private boolean keyEquals(int index, long a, long b, long c) {
    int base = index * width;
    return keys[base] == a && (width == 1 || (keys[base + 1] == b && keys[base + 2] == c));
  }

  private int hashAt(int index) {
    int base = index * width;
    return width == 1 ? hash(keys[base], 0, 0) : hash(keys[base], keys[base + 1], keys[base + 2]);
  }

  private static int hash(long a, long b, long c) {
    long h = (a ^ (b * 0x9E3779B97F4A7C15L) ^ (c << 48)) * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 32));
  }

  private int slotOf(int index) {
    int mask = slots.length - 1;
    for (int p = hashAt(index) & mask; ; p = (p + 1) & mask) {
      if (slots[p] == index + 1) {
        return p;
      }
    }
  }

  private void insertSlot(int index) {
    int mask = slots.length - 1;
    int p = hashAt(index) & mask;
    while (slots[p] != 0) {
      p = (p + 1) & mask;
    }
    slots[p] = index + 1;
  }

  private void deleteSlot(int hole) {
    int mask = slots.length - 1;
    for (int q = (hole + 1) & mask; slots[q] != 0; q = (q + 1) & mask) {
      int home = hashAt(slots[q] - 1) & mask;
      // The entry at q may fill the hole unless its home lies cyclically in (hole, q].
      if (((q - home) & mask) >= ((q - hole) & mask)) {
        slots[hole] = slots[q];
        hole = q;
      }
    }
    slots[hole] = 0;
  }

  private void swap(int i, int j) {
    if (i == j) {
      return;
    }
    int si = slotOf(i);
    int sj = slotOf(j);
    int bi = i * width;
    int bj = j * width;
    for (int k = 0; k < width; k++) {
      long t = keys[bi + k];
      keys[bi + k] = keys[bj + k];
      keys[bj + k] = t;
    }
    int ts = seen[i];
    seen[i] = seen[j];
    seen[j] = ts;
    byte tf = flags[i];
    flags[i] = flags[j];
    flags[j] = tf;
    slots[si] = j + 1;
    slots[sj] = i + 1;
  }

  /** Sizes the dense arrays to {@code capacity} and rebuilds the index at load <= 1/2. */
  private void allocate(int capacity) {
    keys = keys == null ? new long[capacity * width] : Arrays.copyOf(keys, capacity * width);
    seen = seen == null ? new int[capacity] : Arrays.copyOf(seen, capacity);
    flags = flags == null ? new byte[capacity] : Arrays.copyOf(flags, capacity);
    slots = new int[Integer.highestOneBit(capacity * 2 - 1) << 1];
    for (int i = 0; i < size; i++) {
      insertSlot(i);
    }
  }
}
