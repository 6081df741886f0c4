package io.swarmkeeper.swarm;

/**
 * How many peers and hashes a request may ask for, whatever protocol carries it.
 *
 * @param defaultNumWant peers returned when a client does not say (numwant -1 or absent)
 * @param maxNumWant most IPv4 peers in one answer; IPv6 answers are capped to the same bytes
 * @param maxScrapeHashes most info hashes in one scrape
 */
public record AnnounceLimits(int defaultNumWant, int maxNumWant, int maxScrapeHashes) {
  public static final AnnounceLimits DEFAULT = new AnnounceLimits(50, 200, 74);

  public AnnounceLimits {
    if (maxNumWant < 0) {
      throw new IllegalArgumentException("max numwant must be >= 0, got " + maxNumWant);
    }
    if (defaultNumWant < 0 || defaultNumWant > maxNumWant) {
      throw new IllegalArgumentException(
          "default numwant must be 0.." + maxNumWant + ", got " + defaultNumWant);
    }
    if (maxScrapeHashes < 1) {
      throw new IllegalArgumentException("max scrape hashes must be >= 1, got " + maxScrapeHashes);
    }
  }

  /**
   * The peers to return for a client's numwant: negative means the default, and no answer holds
   * more than {@code maxNumWant} IPv4 entries' worth of bytes (6 bytes each; IPv6 takes 18).
   */
  public int resolveNumWant(int requested, boolean ipv6) {
    int cap = ipv6 ? maxNumWant * 6 / 18 : maxNumWant;
    int n = requested < 0 ? defaultNumWant : requested;
    return Math.min(n, cap);
  }
}
