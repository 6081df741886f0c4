package io.swarmkeeper.swarm;

/**
 * The peers of one torrent: an IPv4 and an IPv6 table kept apart (an IPv4 peer is never sent to an
 * IPv6 peer, nor the reverse), the times the torrent was completed, and its info_hash.
 *
 * <p>A swarm <em>is</em> its IPv4 table (it extends {@link PeerTable}) and holds the info_hash's
 * parts as fields, so an announce reaches the peers without hopping through a map node, a key
 * object and a table object: each hop is a cache miss, and misses are most of an announce's cost
 * (see docs/ARCHITECTURE.md). Not thread safe.
 */
final class Swarm extends PeerTable {
  final long high;
  final long middle;
  final int low;
  final int hash;
  private PeerTable ipv6;
  private int completed;

  /** Position in the shard's sweep list. */
  int position;

  Swarm(InfoHash infoHash) {
    super(false);
    this.high = infoHash.high();
    this.middle = infoHash.middle();
    this.low = infoHash.low();
    this.hash = infoHash.hashCode();
  }

  boolean is(InfoHash infoHash) {
    return high == infoHash.high() && middle == infoHash.middle() && low == infoHash.low();
  }

  InfoHash infoHash() {
    return InfoHash.of(high, middle, low);
  }

  int peers() {
    return size() + (ipv6 == null ? 0 : ipv6.size());
  }

  int allSeeders() {
    return seeders() + (ipv6 == null ? 0 : ipv6.seeders());
  }

  int allLeechers() {
    return leechers() + (ipv6 == null ? 0 : ipv6.leechers());
  }

  ScrapeStats stats() {
    return new ScrapeStats(allSeeders(), completed, allLeechers());
  }

  /** Applies one announce and answers it; peers silent beyond {@code timeout} are not sampled. */
  AnnounceResult announce(AnnounceRequest request, int now, int timeout) {
    PeerEndpoint peer = request.peer();
    long a;
    long b = 0;
    long c = 0;
    if (peer.ipv6()) {
      a = peer.high();
      b = peer.low();
      c = peer.port();
    } else {
      a = (peer.low() << 16) | peer.port();
    }
    PeerTable table = peer.ipv6() ? ipv6 : this;
    int index = table == null ? -1 : table.find(a, b, c);
    if (request.event() == AnnounceEvent.STOPPED) {
      if (index >= 0) {
        table.remove(index);
      }
      return new AnnounceResult(allSeeders(), allLeechers(), peer.ipv6(), new byte[0]);
    }
    if (table == null) {
      table = ipv6 = new PeerTable(true);
    }
    boolean seeder = request.seeder();
    if (index < 0) {
      index = table.add(a, b, c, seeder, now);
    } else {
      table.touch(index, now);
      index = table.setSeeder(index, seeder);
    }
    if (request.event() == AnnounceEvent.COMPLETED && table.markCompleted(index)) {
      completed++;
    }
    byte[] peers = table.sample(index, seeder, request.numWant(), now, timeout);
    return new AnnounceResult(allSeeders(), allLeechers(), peer.ipv6(), peers);
  }

  /** Removes peers silent for more than {@code timeout} seconds; returns how many. */
  int expireAll(int now, int timeout) {
    int removed = expire(now, timeout);
    if (ipv6 != null) {
      removed += ipv6.expire(now, timeout);
      if (ipv6.size() == 0) {
        ipv6 = null;
      }
    }
    return removed;
  }
}
