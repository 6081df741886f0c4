package io.swarmkeeper.swarm;

/**
 * How much state the store lets the world create: caps on swarms and peers for the node, peers for
 * one swarm, and swarms created and peers held by one source address (an IPv4 address, or an IPv6
 * /64). Each is 0 for no limit. An announce past a cap is refused with {@link
 * AnnounceRefusedException}; nothing already stored is touched.
 *
 * @param maxSwarms swarms in this node
 * @param maxPeers peers in this node, over all swarms and both address families
 * @param maxPeersPerSwarm peers in one swarm (both address families)
 * @param maxSwarmsPerAddress swarms created by one address that still exist
 * @param maxPeersPerAddress peers announced from one address, over all swarms
 */
public record SwarmLimits(
    int maxSwarms,
    int maxPeers,
    int maxPeersPerSwarm,
    int maxSwarmsPerAddress,
    int maxPeersPerAddress) {

  /** No limit at all: benchmarks that simulate a million peers from a few loopback addresses. */
  public static final SwarmLimits NONE = new SwarmLimits(0, 0, 0, 0, 0);

  /**
   * Generous for honest clients (a carrier-grade NAT puts thousands of users behind one address),
   * small enough that one address cannot fill the heap.
   */
  public static final SwarmLimits DEFAULT =
      new SwarmLimits(2_000_000, 30_000_000, 200_000, 5_000, 50_000);

  public SwarmLimits {
    check("max-swarms", maxSwarms);
    check("max-peers", maxPeers);
    check("max-peers-per-swarm", maxPeersPerSwarm);
    check("max-swarms-per-address", maxSwarmsPerAddress);
    check("max-peers-per-address", maxPeersPerAddress);
  }

  private static void check(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "limits." + name + " must be >= 0 (0 for no limit), got " + value);
    }
  }
}
