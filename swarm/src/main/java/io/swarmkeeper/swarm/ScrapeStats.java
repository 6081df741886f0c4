package io.swarmkeeper.swarm;

/**
 * A swarm's counts as a scrape reports them.
 *
 * @param seeders peers that have the whole torrent ("complete")
 * @param completed times a peer reported finishing the download ("downloaded")
 * @param leechers peers still downloading ("incomplete")
 */
public record ScrapeStats(int seeders, int completed, int leechers) {
  public static final ScrapeStats EMPTY = new ScrapeStats(0, 0, 0);
}
