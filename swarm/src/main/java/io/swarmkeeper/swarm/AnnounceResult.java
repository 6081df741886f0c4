package io.swarmkeeper.swarm;

import java.util.ArrayList;
import java.util.List;

/**
 * What the store answers to an announce: the swarm's counts and a sample of its peers, already in
 * compact form (6 bytes per IPv4 peer, 18 per IPv6 peer: address then port, big-endian), so a
 * protocol copies them straight into its response.
 */
public final class AnnounceResult {
  private final int seeders;
  private final int leechers;
  private final boolean ipv6;
  private final byte[] compactPeers;
  private final boolean completionCounted;

  public AnnounceResult(int seeders, int leechers, boolean ipv6, byte[] compactPeers) {
    this(seeders, leechers, ipv6, compactPeers, false);
  }

  /**
   * @param completionCounted whether the store counted this announce as a completion
   */
  public AnnounceResult(
      int seeders, int leechers, boolean ipv6, byte[] compactPeers, boolean completionCounted) {
    this.seeders = seeders;
    this.leechers = leechers;
    this.ipv6 = ipv6;
    this.compactPeers = compactPeers;
    this.completionCounted = completionCounted;
  }

  /** Whether the store counted this announce as a completion ({@link AnnounceCall}'s word). */
  public boolean completionCounted() {
    return completionCounted;
  }

  public int seeders() {
    return seeders;
  }

  public int leechers() {
    return leechers;
  }

  public boolean ipv6() {
    return ipv6;
  }

  public int peerCount() {
    return compactPeers.length / (ipv6 ? 18 : 6);
  }

  /** The compact peer list; callers must not modify it. */
  public byte[] compactPeers() {
    return compactPeers;
  }

  /** The peers as endpoints; for tests, not the hot path. */
  public List<PeerEndpoint> peers() {
    int stride = ipv6 ? 18 : 6;
    List<PeerEndpoint> out = new ArrayList<>(peerCount());
    for (int off = 0; off < compactPeers.length; off += stride) {
      int port;
      if (ipv6) {
        long hi = PeerEndpoint.readLong(compactPeers, off);
        long lo = PeerEndpoint.readLong(compactPeers, off + 8);
        port = ((compactPeers[off + 16] & 0xFF) << 8) | (compactPeers[off + 17] & 0xFF);
        out.add(PeerEndpoint.ipv6(hi, lo, port));
      } else {
        int addr = PeerEndpoint.readInt(compactPeers, off);
        port = ((compactPeers[off + 4] & 0xFF) << 8) | (compactPeers[off + 5] & 0xFF);
        out.add(PeerEndpoint.ipv4(addr, port));
      }
    }
    return out;
  }
}
