package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keys an attacker computed offline to share one slot under the unkeyed hashes this store once
 * used: with the keyed hash they spread like random keys, over shards and along probe sequences.
 */
class HashFloodTest {
  private static final int SHARDS = 64;
  private static final int FLOOD = 20_000;

  private final FakeTicker clock = new FakeTicker();

  /** The inverse of an odd number modulo 2^64 (Newton's iteration doubles the bits each step). */
  static long inverse(long odd) {
    long x = odd;
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }

  /** A 64-bit value whose fold {@code (int) (g ^ g >>> 32)} is {@code target}, one per i. */
  private static long foldingTo(int i, int target) {
    return ((long) i << 32) | ((i ^ target) & 0xFFFFFFFFL);
  }

  /** The old {@code InfoHash.hashCode}: a multiply, a xorshift and a fold, all invertible. */
  static int oldInfoHashCode(long high, long middle, int low) {
    long h = high * 0x9E3779B97F4A7C15L ^ middle * 0xC2B2AE3D27D4EB4FL ^ low;
    h ^= h >>> 29;
    return (int) (h ^ (h >>> 32));
  }

  /** The i-th info_hash whose old hash code is {@code target}. */
  static InfoHash collidingInfoHash(int i, int target) {
    long h = foldingTo(i, target);
    h ^= (h >>> 29) ^ (h >>> 58); // undoes h ^= h >>> 29
    return InfoHash.of(h * inverse(0x9E3779B97F4A7C15L), 0, 0);
  }

  /** The old {@code PeerTable} index hash. */
  private static int oldPeerHash(long a, long b, long c) {
    long h = (a ^ (b * 0x9E3779B97F4A7C15L) ^ (c << 48)) * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 32));
  }

  /** The interface id (low 64 bits) of the i-th address of {@code prefix} colliding on port. */
  private static long collidingInterfaceId(long prefix, int port, int i, int target) {
    long h = foldingTo(i, target) * inverse(0x94D049BB133111EBL);
    h ^= (h >>> 31) ^ (h >>> 62); // undoes h ^= h >>> 31
    long mixed = h * inverse(0xBF58476D1CE4E5B9L);
    return (mixed ^ prefix ^ ((long) port << 48)) * inverse(0x9E3779B97F4A7C15L);
  }

  @Test
  void infoHashesCollidingUnderTheOldHashSpreadOverShardsAndSlots() {
    LocalSwarmStore flooded = new LocalSwarmStore(clock, 100, SHARDS);
    LocalSwarmStore random = new LocalSwarmStore(clock, 100, SHARDS);
    SplittableRandom r = new SplittableRandom(1);
    PeerEndpoint attacker = PeerEndpoint.ipv4(0x0A000001, 6881);
    for (int i = 0; i < FLOOD; i++) {
      InfoHash crafted = collidingInfoHash(i, 0x5EED);
      assertThat(oldInfoHashCode(crafted.high(), crafted.middle(), crafted.low()))
          .isEqualTo(0x5EED);
      flooded.announceNow(new AnnounceRequest(crafted, attacker, AnnounceEvent.STARTED, 1, 0));
      InfoHash fair = InfoHash.of(r.nextLong(), r.nextLong(), r.nextInt());
      random.announceNow(new AnnounceRequest(fair, attacker, AnnounceEvent.STARTED, 1, 0));
    }
    assertThat(flooded.swarmCount()).isEqualTo(FLOOD);
    // The old hash put all 20,000 into one shard and one probe sequence of 20,000 swarms.
    int mean = FLOOD / SHARDS;
    assertThat(flooded.largestShard()).isLessThan(mean * 3 / 2);
    assertThat(flooded.longestProbe()).isLessThan(Math.max(40, 3 * random.longestProbe()));
  }

  @Test
  void ipv6PeersCollidingUnderTheOldHashSpreadOverTheIndex() {
    long prefix = 0x20010db8_00000000L;
    int port = 6881;
    PeerTable crafted = new PeerTable(true);
    PeerTable fair = new PeerTable(true);
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < FLOOD; i++) {
      long id = collidingInterfaceId(prefix, port, i, 0x5EED);
      assertThat(oldPeerHash(prefix, id, port)).isEqualTo(0x5EED);
      crafted.add(prefix, id, port, false, 0);
      fair.add(prefix, r.nextLong(), port, false, 0);
    }
    assertThat(crafted.size()).isEqualTo(FLOOD);
    // The old hash made one probe sequence of all 20,000 peers.
    assertThat(crafted.longestProbe()).isLessThan(Math.max(100, 3 * fair.longestProbe()));
    assertThat(crafted.find(prefix, collidingInterfaceId(prefix, port, 7, 0x5EED), port))
        .isNotNegative();
  }

  @Test
  void everyPortOfOneIpv4AddressSpreadsOverTheIndex() {
    PeerTable table = new PeerTable(false);
    for (int port = 0; port < 65_536; port++) {
      table.add((0x0A000001L << 16) | port, 0, 0, false, 0);
    }
    assertThat(table.longestProbe()).isLessThan(100);
  }
}
