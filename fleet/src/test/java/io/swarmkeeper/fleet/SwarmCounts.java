package io.swarmkeeper.fleet;

/** A swarm's numbers as a scrape answers them. */
record SwarmCounts(int seeders, int leechers, int completed) {
  static final SwarmCounts EMPTY = new SwarmCounts(0, 0, 0);

  int peers() {
    return seeders + leechers;
  }
}
