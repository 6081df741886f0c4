package io.swarmkeeper.swarm;

/**
 * Peers by address family and by state, counted over a whole expiry sweep pass (so as of the end of
 * the last pass, not of this instant): what the metrics show beside the exact peer count.
 */
public record PeerCensus(long ipv4Peers, long ipv6Peers, long seeders) {
  public static final PeerCensus EMPTY = new PeerCensus(0, 0, 0);

  public long leechers() {
    return ipv4Peers + ipv6Peers - seeders;
  }

  public PeerCensus plus(PeerCensus other) {
    return new PeerCensus(
        ipv4Peers + other.ipv4Peers, ipv6Peers + other.ipv6Peers, seeders + other.seeders);
  }

  /** One swarm's part. */
  public static PeerCensus of(Swarm swarm) {
    return new PeerCensus(swarm.ipv4Peers(), swarm.ipv6Peers(), swarm.allSeeders());
  }
}
