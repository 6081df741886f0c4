package io.swarmkeeper.swarm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers of one swarm in one address family, laid out for memory and O(numwant) sampling.
 *
 * <p>Peers sit in one dense array: seeders at {@code [0, seeders)}, leechers at {@code [seeders,
 * size)}, so "leechers only" (what a seeder is sent) is a contiguous range and a random window over
 * a range is a fair sample. Deletion swaps the last entry into the hole. Above {@value #SMALL}
 * peers an open-addressing index (linear probing, load at most 3/4, backward-shift deletion) maps
 * an endpoint to its dense position; below, a scan of the keys (one cache line for IPv4) is as fast
 * and most swarms are that small, so they carry no index at all.
 *
 * <p>An IPv4 key is one long: address (32 bits) and port (16) in the low 48 bits, the last announce
 * time in the next 15 bits (seconds modulo 32,768: about 9 hours, which the peer timeout and a
 * sweep pass stay far below) and the top bit set once the peer's completion was counted. Keeping
 * all of it in the key's own word saves cache misses and memory; an IPv6 key is three longs with
 * the port, time and flag in the third. Not thread safe: the store guards each table with its
 * shard's lock.
 */
class PeerTable {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final int INITIAL_CAPACITY = 2;
  private static final int TIME_SHIFT = 48;
  private static final int TIME_MASK = 0x7FFF;
  private static final long KEY_MASK = (1L << TIME_SHIFT) - 1;
  private static final long COMPLETED_COUNTED = 1L << 63;

  /** Tables of at most this many slots find peers by scanning, without an index. */
  static final int SMALL = 8;

  /** Longest peer timeout: half the time field's range, leaving the other half for sweep lag. */
  static final int MAX_TIMEOUT_SECONDS = (TIME_MASK + 1) / 2;

  /**
   * How far a clock may be behind the one that stamped a peer (another fleet member's, or this
   * one's before an NTP step back) and still see the peer as just announced.
   */
  static final int CLOCK_BEHIND_SECONDS = 600;

  /** Longs per key: 1 for IPv4 (address << 16 | port), 3 for IPv6 (high, low, port). */
  private final int width;

  private long[] keys; // time and completed flag live in the top bits of each key's last long
  private int[] slots; // dense index + 1, 0 is empty; null while the table is small
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

  private int capacity() {
    return keys.length / width;
  }

  /** The dense index of the peer, or -1. */
  int find(long a, long b, long c) {
    if (slots == null) {
      for (int i = 0; i < size; i++) {
        if (keyEquals(i, a, b, c)) {
          return i;
        }
      }
      return -1;
    }
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
    if (size == capacity()) {
      allocate(Math.max(INITIAL_CAPACITY, size + (size >> 1) + 1));
    }
    int i = size++;
    int base = i * width;
    keys[base] = a;
    if (width == 3) {
      keys[base + 1] = b;
      keys[base + 2] = c;
    }
    touch(i, now);
    insertSlot(i);
    if (seeder) {
      swap(i, seeders);
      i = seeders++;
    }
    return i;
  }

  void touch(int index, int now) {
    int at = lastLong(index);
    keys[at] =
        (keys[at] & ~((long) TIME_MASK << TIME_SHIFT)) | ((long) (now & TIME_MASK) << TIME_SHIFT);
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
    int at = lastLong(index);
    if ((keys[at] & COMPLETED_COUNTED) != 0) {
      return false;
    }
    keys[at] |= COMPLETED_COUNTED;
    return true;
  }

  void remove(int index) {
    if (index < seeders) {
      swap(index, seeders - 1);
      index = --seeders;
    }
    int last = size - 1;
    swap(index, last);
    if (slots != null) {
      deleteSlot(slotOf(last));
    }
    size = last;
    if (size < capacity() / 4 && capacity() > INITIAL_CAPACITY * 2) {
      allocate(Math.max(INITIAL_CAPACITY, size * 2));
    }
  }

  /**
   * Removes every peer silent for more than {@code timeout} seconds, taking each off {@code
   * accounts} when given; returns, from the same pass, the age of the least recent peer kept (0
   * when none is).
   */
  int expire(int now, int timeout, StateAccounts accounts) {
    int oldestKept = 0;
    // Walking down is safe: remove() only moves entries from positions already visited.
    for (int i = size - 1; i >= 0; i--) {
      int age = age(i, now);
      if (age > timeout) {
        if (accounts != null) {
          accounts.peerLeft(addressAt(i));
        }
        remove(i);
      } else {
        oldestKept = Math.max(oldestKept, age);
      }
    }
    return oldestKept;
  }

  /**
   * Seeders and leechers that have announced within {@code timeout} seconds, packed as {@code
   * seeders << 32 | leechers}: a swarm's counts without removing anyone (a read that must not
   * change state, as a scrape on a replicated store).
   */
  long liveCounts(int now, int timeout) {
    int liveSeeders = 0;
    int live = 0;
    for (int i = 0; i < size; i++) {
      if (age(i, now) <= timeout) {
        live++;
        if (i < seeders) {
          liveSeeders++;
        }
      }
    }
    return ((long) liveSeeders << 32) | (live - liveSeeders);
  }

  /**
   * Writes the peers with their times and flags: the table as another process rebuilds it ({@link
   * #readPeers}).
   */
  void writePeers(DataOutput out) throws IOException {
    out.writeInt(size);
    out.writeInt(seeders);
    for (int i = 0; i < size * width; i++) {
      out.writeLong(keys[i]);
    }
  }

  /** Reads what {@link #writePeers} wrote into this empty table. */
  void readPeers(DataInput in) throws IOException {
    int n = in.readInt();
    int s = in.readInt();
    if (n < 0 || s < 0 || s > n || size != 0) {
      throw new IOException("corrupt peer table: " + n + " peers, " + s + " seeders");
    }
    allocate(Math.max(INITIAL_CAPACITY, n));
    for (int i = 0; i < n * width; i++) {
      keys[i] = in.readLong();
    }
    size = n;
    seeders = s;
    if (slots != null) {
      for (int i = 0; i < size; i++) {
        insertSlot(i);
      }
    }
  }

  /**
   * Adds the peers of {@code other} (same family) that this table lacks, with their times, seeder
   * flags and completion marks; a peer in both keeps the later announce.
   */
  void mergeFrom(PeerTable other, int now) {
    for (int i = 0; i < other.size; i++) {
      int base = i * width;
      long a = width == 1 ? other.keys[base] & KEY_MASK : other.keys[base];
      long b = width == 1 ? 0 : other.keys[base + 1];
      long c = width == 1 ? 0 : other.keys[base + 2] & KEY_MASK;
      long last = other.keys[other.lastLong(i)];
      int theirAge = other.age(i, now);
      int mine = find(a, b, c);
      if (mine < 0) {
        int at = add(a, b, c, other.isSeeder(i), now - theirAge);
        if ((last & COMPLETED_COUNTED) != 0) {
          markCompleted(at);
        }
      } else {
        if (theirAge < age(mine, now)) {
          touch(mine, now - theirAge);
          mine = setSeeder(mine, other.isSeeder(i));
        }
        if ((last & COMPLETED_COUNTED) != 0) {
          markCompleted(mine); // counted on the other side: not to be counted again
        }
      }
    }
  }

  /** The {@link AddressCounts} account of the peer at {@code index}. */
  long addressAt(int index) {
    int base = index * width;
    return width == 1 ? AddressCounts.ipv4((keys[base] & KEY_MASK) >>> 16) : keys[base];
  }

  /** Counts every peer on {@code accounts}: they were stored before accounting began. */
  void accountAll(StateAccounts accounts) {
    for (int i = 0; i < size; i++) {
      accounts.peerExists(addressAt(i));
    }
  }

  /**
   * A random window of up to {@code numWant} peers in compact form, never the peer at {@code self};
   * leechers only when {@code leechersOnly}; written from the start of the call's peer buffer, and
   * answers the bytes written. The store expires a swarm's silent peers before it samples it, so
   * every step but one (self) writes a peer: at most numWant + 1 steps.
   */
  int sample(int self, boolean leechersOnly, int numWant, AnnounceCall into) {
    int from = leechersOnly ? seeders : 0;
    int range = size - from;
    int candidates = range - (self >= from ? 1 : 0);
    int want = Math.min(numWant, candidates);
    int stride = width == 3 ? 18 : 6;
    if (want <= 0) {
      return 0;
    }
    byte[] out = into.peerBuffer(want * stride);
    int written = 0;
    int i = from + ThreadLocalRandom.current().nextInt(range);
    while (written < want) {
      if (i != self) {
        writeCompact(i, out, written * stride);
        written++;
      }
      if (++i == size) {
        i = from;
      }
    }
    return want * stride;
  }

  private void writeCompact(int index, byte[] out, int off) {
    int base = index * width;
    if (width == 1) {
      long k = keys[base];
      INT_BE.set(out, off, (int) (k >>> 16));
      SHORT_BE.set(out, off + 4, (short) k);
    } else {
      LONG_BE.set(out, off, keys[base]);
      LONG_BE.set(out, off + 8, keys[base + 1]);
      SHORT_BE.set(out, off + 16, (short) keys[base + 2]);
    }
  }

  private boolean keyEquals(int index, long a, long b, long c) {
    int base = index * width;
    if (width == 1) {
      return (keys[base] & KEY_MASK) == a;
    }
    return keys[base] == a && keys[base + 1] == b && (keys[base + 2] & KEY_MASK) == c;
  }

  private int hashAt(int index) {
    int base = index * width;
    return width == 1
        ? hash(keys[base] & KEY_MASK, 0, 0)
        : hash(keys[base], keys[base + 1], keys[base + 2] & KEY_MASK);
  }

  private int lastLong(int index) {
    return index * width + width - 1;
  }

  /** Seconds since the peer's last announce, from a 15-bit clock that wraps. */
  private int age(int index, int now) {
    return elapsed((int) (keys[lastLong(index)] >>> TIME_SHIFT), now);
  }

  /**
   * Seconds from {@code then} to {@code now} on the 15-bit clock; 0 when {@code then} is up to
   * {@value #CLOCK_BEHIND_SECONDS} s after {@code now}. In a fleet the time of an announce is the
   * clock of whichever node took it, and clocks differ by some milliseconds to seconds (more after
   * an NTP step): a time slightly "in the future" must read as fresh, not as 9 hours old.
   */
  static int elapsed(int then, int now) {
    int d = (now - then) & TIME_MASK;
    return d > TIME_MASK - CLOCK_BEHIND_SECONDS ? 0 : d;
  }

  /** Keyed: a client picks its ports, and an IPv6 client the low 64 bits of its address too. */
  private int hash(long a, long b, long c) {
    return (int)
        (width == 1
            ? SipHash.hash13(HashKey.K0, HashKey.K1, a)
            : SipHash.hash13(HashKey.K0, HashKey.K1, a, b, c));
  }

  /** The longest probe sequence of the index (0 without one), for tests. */
  int longestProbe() {
    if (slots == null) {
      return 0;
    }
    int mask = slots.length - 1;
    int longest = 0;
    for (int p = 0; p < slots.length; p++) {
      if (slots[p] != 0) {
        longest = Math.max(longest, ((p - hashAt(slots[p] - 1)) & mask) + 1);
      }
    }
    return longest;
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
    if (slots == null) {
      return;
    }
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
    if (slots != null) {
      int si = slotOf(i);
      int sj = slotOf(j);
      slots[si] = j + 1;
      slots[sj] = i + 1;
    }
    int bi = i * width;
    int bj = j * width;
    for (int k = 0; k < width; k++) {
      long t = keys[bi + k];
      keys[bi + k] = keys[bj + k];
      keys[bj + k] = t;
    }
  }

  /** Sizes the keys to {@code capacity} and rebuilds the index (none for small tables). */
  private void allocate(int capacity) {
    keys = keys == null ? new long[capacity * width] : Arrays.copyOf(keys, capacity * width);
    if (capacity <= SMALL) {
      slots = null;
      return;
    }
    // The smallest power of two that keeps the load at most 3/4: never full, so probes end.
    int needed = (capacity * 4 + 2) / 3;
    slots = new int[Integer.highestOneBit(needed - 1) << 1];
    for (int i = 0; i < size; i++) {
      insertSlot(i);
    }
  }
}
