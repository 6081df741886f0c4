package io.swarmkeeper.swarm;

/**
 * The peers of one torrent: an IPv4 and an IPv6 table kept apart (an IPv4 peer is never sent to an
 * IPv6 peer, nor the reverse), and the times the torrent was completed. Not thread safe.
 */
final class Swarm {
  final InfoHash infoHash;
  private PeerTable ipv4;
  private PeerTable ipv6;
  private int completed;

  /** Position in the shard's sweep list. */
  int position;

  Swarm(InfoHash infoHash) {
    this.infoHash = infoHash;
  }

  int size() {
    return (ipv4 == null ? 0 : ipv4.size()) + (ipv6 == null ? 0 : ipv6.size());
  }

  int seeders() {
    return (ipv4 == null ? 0 : ipv4.seeders()) + (ipv6 == null ? 0 : ipv6.seeders());
  }

  int leechers() {
    return size() - seeders();
  }

  int completed() {
    return completed;
  }

  ScrapeStats stats() {
    return new ScrapeStats(seeders(), completed, leechers());
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
    PeerTable table = peer.ipv6() ? ipv6 : ipv4;
    int index = table == null ? -1 : table.find(a, b, c);
    if (request.event() == AnnounceEvent.STOPPED) {
      if (index >= 0) {
        table.remove(index);
      }
      return new AnnounceResult(seeders(), leechers(), peer.ipv6(), new byte[0]);
    }
    if (table == null) {
      table = new PeerTable(peer.ipv6());
      if (peer.ipv6()) {
        ipv6 = table;
      } else {
        ipv4 = table;
      }
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
    return new AnnounceResult(seeders(), leechers(), peer.ipv6(), peers);
  }

  /** Removes peers silent for more than {@code timeout} seconds; returns how many. */
  int expire(int now, int timeout) {
    int removed = 0;
    if (ipv4 != null) {
      removed += ipv4.expire(now, timeout);
      if (ipv4.size() == 0) {
        ipv4 = null;
      }
    }
    if (ipv6 != null) {
      removed += ipv6.expire(now, timeout);
      if (ipv6.size() == 0) {
        ipv6 = null;
      }
    }
    return removed;
  }
}
