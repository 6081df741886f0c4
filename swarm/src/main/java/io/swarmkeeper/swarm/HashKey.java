package io.swarmkeeper.swarm;

import java.security.SecureRandom;

/**
 * This process's secret SipHash key for every table an attacker fills with keys of their choosing
 * (info_hashes, peer addresses and ports): without it, keys that share a slot can be computed
 * offline and one client degrades a table to a list.
 */
final class HashKey {
  static final long K0;
  static final long K1;

  static {
    SecureRandom random = new SecureRandom();
    K0 = random.nextLong();
    K1 = random.nextLong();
  }

  private HashKey() {}
}
