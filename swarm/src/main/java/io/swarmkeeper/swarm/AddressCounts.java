package io.swarmkeeper.swarm;

/**
 * A count per source address (peers it holds, or swarms it created), for the per-address caps of
 * {@link SwarmLimits}. An address is an IPv4 address or an IPv6 /64 (one subscriber's usual
 * allocation: per full address, a single host could pose as 2^64 sources). Touched only when a peer
 * or swarm is added or removed, under one of {@value #STRIPES} locks chosen by the keyed hash of
 * the address, so the event loops rarely meet; each stripe is an open-addressing table (linear
 * probing, load at most 3/4, backward-shift deletion) keyed with this process's secret, since
 * clients pick their addresses. An address counting 0 has no entry: about 20 bytes per address that
 * holds something.
 */
final class AddressCounts {
  private static final int STRIPES = 64;
  private static final int MIN_LENGTH = 16;

  /**
   * Marks an IPv4 account: ffff:ffff::/32 is multicast space, never an IPv6 source's /64, so the
   * two families never share an account.
   */
  private static final long IPV4 = 0xFFFF_FFFF_0000_0000L;

  private final Stripe[] stripes = new Stripe[STRIPES];

  AddressCounts() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** The account of a peer: its IPv4 address, or the /64 prefix of its IPv6 address. */
  static long addressOf(PeerEndpoint peer) {
    return peer.ipv6() ? peer.high() : ipv4(peer.low());
  }

  static long addressOf(AnnounceCall c) {
    return c.ipv6 ? c.addressHigh : ipv4(c.addressLow);
  }

  static long ipv4(long address) {
    return IPV4 | address;
  }

  /** Adds one to the address's count unless it is already {@code cap} (0: no cap). */
  boolean tryAdd(long address, int cap) {
    long h = hash(address);
    return stripe(h).update(address, h, 1, cap);
  }

  void remove(long address) {
    long h = hash(address);
    stripe(h).update(address, h, -1, 0);
  }

  int get(long address) {
    long h = hash(address);
    return stripe(h).get(address, h);
  }

  /** Addresses with a count above 0. */
  int addresses() {
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.size;
      }
    }
    return n;
  }

  private static long hash(long address) {
    return SipHash.hash13(HashKey.K0, HashKey.K1, address);
  }

  /** The top bits pick the stripe, the low bits the slot: independent bits of one keyed hash. */
  private Stripe stripe(long hash) {
    return stripes[(int) (hash >>> 58)];
  }

  /** Slot p is empty when its count is 0. */
  private static final class Stripe {
    long[] keys = new long[MIN_LENGTH];
    int[] counts = new int[MIN_LENGTH];
    int size;

    synchronized int get(long address, long hash) {
      return counts[slot(address, hash)];
    }

    /** Adds {@code delta} (+1 or -1) unless that passes {@code cap}; false if refused. */
    synchronized boolean update(long address, long hash, int delta, int cap) {
      int p = slot(address, hash);
      int n = counts[p] + delta;
      if (n < 0) {
        throw new IllegalStateException("address counts out of step: nothing to remove");
      }
      if (delta > 0 && cap > 0 && n > cap) {
        return false;
      }
      if (counts[p] == 0) {
        keys[p] = address;
        size++;
      }
      counts[p] = n;
      if (n == 0) {
        size--;
        delete(p);
        if (keys.length > MIN_LENGTH && size * 8 < keys.length) {
          resize(keys.length / 2);
        }
      } else if (size * 4 > keys.length * 3) {
        resize(keys.length * 2);
      }
      return true;
    }

    /** The slot holding the address, or the empty slot where it would go. */
    private int slot(long address, long hash) {
      int mask = keys.length - 1;
      int p = (int) hash & mask;
      while (counts[p] != 0 && keys[p] != address) {
        p = (p + 1) & mask;
      }
      return p;
    }

    private void delete(int hole) {
      int mask = keys.length - 1;
      for (int q = (hole + 1) & mask; counts[q] != 0; q = (q + 1) & mask) {
        int home = (int) hash(keys[q]) & mask;
        // The entry at q may fill the hole unless its home lies cyclically in (hole, q].
        if (((q - home) & mask) >= ((q - hole) & mask)) {
          keys[hole] = keys[q];
          counts[hole] = counts[q];
          hole = q;
        }
      }
      counts[hole] = 0;
    }

    private void resize(int length) {
      long[] oldKeys = keys;
      int[] oldCounts = counts;
      keys = new long[length];
      counts = new int[length];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldCounts[i] != 0) {
          int p = slot(oldKeys[i], hash(oldKeys[i]));
          keys[p] = oldKeys[i];
          counts[p] = oldCounts[i];
        }
      }
    }
  }
}
