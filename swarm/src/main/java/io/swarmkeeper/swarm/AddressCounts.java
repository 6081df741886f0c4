package io.swarmkeeper.swarm;

/**
 * Swarms created and peers held per source address, for the per-address caps of {@link
 * SwarmLimits}. An address is an IPv4 address or an IPv6 /64 (one subscriber's usual allocation:
 * per full address, a single host could pose as 2^64 sources). Touched only when a peer or swarm is
 * added or removed, under one of {@value #STRIPES} locks chosen by the keyed hash of the address,
 * so the event loops rarely meet; each stripe is an open-addressing table (linear probing, load at
 * most 1/2, backward-shift deletion) keyed with this process's secret, since clients pick their
 * addresses. An address with no swarm and no peer has no entry.
 */
final class AddressCounts {
  private static final int STRIPES = 64;

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

  static long ipv4(long address) {
    return IPV4 | address;
  }

  /** Adds a swarm to the address unless it already holds {@code cap} (0: no cap). */
  boolean tryAddSwarm(long address, int cap) {
    long h = hash(address);
    return stripe(h).update(address, h, 1, 0, cap, 0);
  }

  /** Adds a peer to the address unless it already holds {@code cap} (0: no cap). */
  boolean tryAddPeer(long address, int cap) {
    long h = hash(address);
    return stripe(h).update(address, h, 0, 1, 0, cap);
  }

  void removeSwarm(long address) {
    long h = hash(address);
    stripe(h).update(address, h, -1, 0, 0, 0);
  }

  void removePeer(long address) {
    long h = hash(address);
    stripe(h).update(address, h, 0, -1, 0, 0);
  }

  int swarms(long address) {
    long h = hash(address);
    return stripe(h).get(address, h, true);
  }

  int peers(long address) {
    long h = hash(address);
    return stripe(h).get(address, h, false);
  }

  /** Addresses that hold a swarm or a peer. */
  int addresses() {
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.count;
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

  /** Slot p is empty when both of its counts are 0: an entry always holds a swarm or a peer. */
  private static final class Stripe {
    long[] keys = new long[16];
    int[] swarms = new int[16];
    int[] peers = new int[16];
    int count;

    synchronized int get(long address, long hash, boolean ofSwarms) {
      int p = slot(address, hash);
      if (isEmpty(p)) {
        return 0;
      }
      return ofSwarms ? swarms[p] : peers[p];
    }

    /** Adds the deltas (one of them non-zero) unless a cap would be passed; false if refused. */
    synchronized boolean update(
        long address, long hash, int dSwarms, int dPeers, int swarmCap, int peerCap) {
      int p = slot(address, hash);
      int s = swarms[p] + dSwarms;
      int n = peers[p] + dPeers;
      if (s < 0 || n < 0) {
        throw new IllegalStateException("address accounts out of step: nothing to remove");
      }
      if ((dSwarms > 0 && swarmCap > 0 && s > swarmCap)
          || (dPeers > 0 && peerCap > 0 && n > peerCap)) {
        return false;
      }
      if (isEmpty(p)) {
        keys[p] = address;
        count++;
      }
      swarms[p] = s;
      peers[p] = n;
      if (s == 0 && n == 0) {
        count--;
        delete(p);
      } else if (count * 2 > keys.length) {
        resize(keys.length * 2);
      } else if (keys.length > 16 && count * 8 < keys.length) {
        resize(keys.length / 2);
      }
      return true;
    }

    private boolean isEmpty(int p) {
      return swarms[p] == 0 && peers[p] == 0;
    }

    /** The slot holding the address, or the empty slot where it would go. */
    private int slot(long address, long hash) {
      int mask = keys.length - 1;
      int p = (int) hash & mask;
      while (!isEmpty(p) && keys[p] != address) {
        p = (p + 1) & mask;
      }
      return p;
    }

    private void delete(int hole) {
      int mask = keys.length - 1;
      for (int q = (hole + 1) & mask; !isEmpty(q); q = (q + 1) & mask) {
        int home = (int) hash(keys[q]) & mask;
        // The entry at q may fill the hole unless its home lies cyclically in (hole, q].
        if (((q - home) & mask) >= ((q - hole) & mask)) {
          move(q, hole);
          hole = q;
        }
      }
      swarms[hole] = 0;
      peers[hole] = 0;
    }

    private void move(int from, int to) {
      keys[to] = keys[from];
      swarms[to] = swarms[from];
      peers[to] = peers[from];
    }

    private void resize(int length) {
      long[] oldKeys = keys;
      int[] oldSwarms = swarms;
      int[] oldPeers = peers;
      keys = new long[length];
      swarms = new int[length];
      peers = new int[length];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldSwarms[i] != 0 || oldPeers[i] != 0) {
          int p = slot(oldKeys[i], hash(oldKeys[i]));
          keys[p] = oldKeys[i];
          swarms[p] = oldSwarms[i];
          peers[p] = oldPeers[i];
        }
      }
    }
  }
}
