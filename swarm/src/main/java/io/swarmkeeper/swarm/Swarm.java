package io.swarmkeeper.swarm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The peers of one torrent: an IPv4 and an IPv6 table kept apart (an IPv4 peer is never sent to an
 * IPv6 peer, nor the reverse), the times the torrent was completed, and its info_hash.
 *
 * <p>A swarm <em>is</em> its IPv4 table (it extends {@link PeerTable}) and holds the info_hash's
 * parts as fields, so an announce reaches the peers without hopping through a map node, a key
 * object and a table object: each hop is a cache miss, and misses are most of an announce's cost
 * (see docs/ARCHITECTURE.md). Not thread safe.
 *
 * <p>Its public methods serve a store that keeps swarms elsewhere (the clustered store keeps one
 * per Hazelcast map entry): they take the time as seconds on a clock every holder of the swarm
 * shares, and move the swarm between processes ({@link #writeTo}, {@link #readFrom}).
 */
public final class Swarm extends PeerTable {
  final long high;
  final long middle;
  final int low;
  final int hash;

  /** The {@link AddressCounts} account of the peer whose announce created the swarm. */
  final long creator;

  private PeerTable ipv6;
  private int completed;

  /**
   * At or before the last announce of every peer (seconds on the 15-bit clock of {@link
   * PeerTable}): while it is within the timeout, no peer can have expired and none is looked at.
   */
  private int oldest;

  /** Position in the shard's sweep list. */
  int position;

  Swarm(InfoHash infoHash, long creator) {
    super(false);
    this.high = infoHash.high();
    this.middle = infoHash.middle();
    this.low = infoHash.low();
    this.hash = infoHash.hashCode();
    this.creator = creator;
  }

  /** A swarm with no peers yet, kept by a store that does not count state per address. */
  public static Swarm create(InfoHash infoHash) {
    return new Swarm(infoHash, 0);
  }

  boolean is(InfoHash infoHash) {
    return is(infoHash.high(), infoHash.middle(), infoHash.low());
  }

  boolean is(long high, long middle, int low) {
    return this.high == high && this.middle == middle && this.low == low;
  }

  public InfoHash infoHash() {
    return InfoHash.of(high, middle, low);
  }

  /** Peers of both families, silent ones included until something expires them. */
  public int peers() {
    return size() + (ipv6 == null ? 0 : ipv6.size());
  }

  /** IPv4 peers, silent ones included until something expires them. */
  public int ipv4Peers() {
    return size();
  }

  /** IPv6 peers, silent ones included until something expires them. */
  public int ipv6Peers() {
    return ipv6 == null ? 0 : ipv6.size();
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

  /** The peer's position in its family's table, or -1 when it is not in the swarm. */
  int indexOf(PeerEndpoint peer) {
    return indexOf(peer.ipv6(), peer.high(), peer.low(), peer.port());
  }

  int indexOf(AnnounceCall c) {
    return indexOf(c.ipv6, c.addressHigh, c.addressLow, c.port);
  }

  private int indexOf(boolean v6, long high, long low, int port) {
    PeerTable table = v6 ? ipv6 : this;
    return table == null
        ? -1
        : table.find(keyA(v6, high, low, port), keyB(v6, low), keyC(v6, port));
  }

  /**
   * Applies one announce of the peer at {@code index} (from {@link #indexOf}, -1 if new) and
   * answers it into the call. The caller has expired the swarm's silent peers first ({@link
   * #mayHaveExpired}).
   */
  void announce(AnnounceCall c, int index, int now) {
    PeerTable table = c.ipv6 ? ipv6 : this;
    if (c.event == AnnounceEvent.STOPPED) {
      if (index >= 0) {
        table.remove(index);
      }
      c.answer(allSeeders(), allLeechers(), 0);
      return;
    }
    if (table == null) {
      table = ipv6 = new PeerTable(true);
    }
    boolean seeder = c.seeder();
    if (index < 0) {
      if (peers() == 0) {
        oldest = now;
      }
      index =
          table.add(
              keyA(c.ipv6, c.addressHigh, c.addressLow, c.port),
              keyB(c.ipv6, c.addressLow),
              keyC(c.ipv6, c.port),
              seeder,
              now);
    } else {
      table.touch(index, now);
      index = table.setSeeder(index, seeder);
    }
    if (c.event == AnnounceEvent.COMPLETED && table.markCompleted(index)) {
      completed++;
      c.completionCounted = true;
    }
    int peerBytes = table.sample(index, seeder, c.numWant, c);
    c.answer(allSeeders(), allLeechers(), peerBytes);
  }

  /**
   * Applies one announce made at {@code now} (seconds) and answers it: silent peers (more than
   * {@code timeout} seconds) go first, so no count or sample includes them.
   *
   * @throws AnnounceRefusedException when the peer is new and the swarm already holds {@code
   *     maxPeers} peers (0: no cap); nothing changes then
   */
  public AnnounceResult announce(AnnounceRequest request, int now, int timeout, int maxPeers) {
    if (mayHaveExpired(now, timeout)) {
      expireAll(now, timeout, null);
    }
    AnnounceCall call = AnnounceCall.SCRATCH.get().set(request);
    int index = indexOf(call);
    if (index < 0
        && maxPeers > 0
        && peers() >= maxPeers
        && request.event() != AnnounceEvent.STOPPED) {
      throw new AnnounceRefusedException(
          AnnounceRefusedException.Cause.PEERS_PER_SWARM,
          "swarm is full (limit " + maxPeers + " peers)");
    }
    announce(call, index, now);
    return call.result();
  }

  /** Whether the peer is in the swarm (silent peers included until expired). */
  public boolean has(PeerEndpoint peer) {
    return indexOf(peer) >= 0;
  }

  /**
   * The counts at {@code now}, leaving out peers silent for more than {@code timeout} seconds
   * without removing them: a read that changes nothing, so a replica need not repeat it.
   */
  public ScrapeStats statsAt(int now, int timeout) {
    if (!mayHaveExpired(now, timeout)) {
      return stats();
    }
    long v4 = liveCounts(now, timeout);
    long v6 = ipv6 == null ? 0 : ipv6.liveCounts(now, timeout);
    return new ScrapeStats((int) (v4 >>> 32) + (int) (v6 >>> 32), completed, (int) v4 + (int) v6);
  }

  /**
   * Removes peers silent for more than {@code timeout} seconds at {@code now}; answers how many.
   */
  public int expire(int now, int timeout) {
    return mayHaveExpired(now, timeout) ? expireAll(now, timeout, null) : 0;
  }

  /**
   * Takes in the peers of the same torrent's swarm from another holder (two sides of a healed
   * network partition): the union of the peers, each with its latest announce, and the larger
   * completed count (the two sides' completions cannot be told apart, so adding them could count
   * one twice).
   */
  public void mergeFrom(Swarm other, int now) {
    if (!other.is(infoHash())) {
      throw new IllegalArgumentException(
          "cannot merge swarm " + other.infoHash() + " into " + this);
    }
    super.mergeFrom(other, now);
    if (other.ipv6 != null) {
      if (ipv6 == null) {
        ipv6 = new PeerTable(true);
      }
      ipv6.mergeFrom(other.ipv6, now);
    }
    completed = Math.max(completed, other.completed);
    if (elapsed(other.oldest, now) > elapsed(oldest, now)) {
      oldest = other.oldest; // still a lower bound of every peer's last announce
    }
  }

  /** Writes the whole swarm: info_hash, completed count, both tables with times and flags. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(high);
    out.writeLong(middle);
    out.writeInt(low);
    out.writeInt(completed);
    out.writeInt(oldest);
    writePeers(out);
    out.writeBoolean(ipv6 != null);
    if (ipv6 != null) {
      ipv6.writePeers(out);
    }
  }

  /** Reads a swarm {@link #writeTo} wrote. */
  public static Swarm readFrom(DataInput in) throws IOException {
    Swarm swarm = create(InfoHash.of(in.readLong(), in.readLong(), in.readInt()));
    swarm.completed = in.readInt();
    swarm.oldest = in.readInt();
    swarm.readPeers(in);
    if (in.readBoolean()) {
      swarm.ipv6 = new PeerTable(true);
      swarm.ipv6.readPeers(in);
    }
    return swarm;
  }

  @Override
  public String toString() {
    return "swarm " + infoHash() + " (" + peers() + " peers, " + completed + " completed)";
  }

  /** Whether a peer may have been silent for more than {@code timeout} seconds. */
  boolean mayHaveExpired(int now, int timeout) {
    return elapsed(oldest, now) > timeout;
  }

  /**
   * Removes peers silent for more than {@code timeout} seconds, taking them off {@code accounts}
   * when given; returns how many.
   */
  int expireAll(int now, int timeout, StateAccounts accounts) {
    int before = peers();
    int maxAge = expire(now, timeout, accounts);
    if (ipv6 != null) {
      maxAge = Math.max(maxAge, ipv6.expire(now, timeout, accounts));
      if (ipv6.size() == 0) {
        ipv6 = null;
      }
    }
    oldest = now - maxAge;
    return before - peers();
  }

  /** Counts the swarm and its peers on {@code accounts}: they existed before accounting began. */
  void accountAll(StateAccounts accounts) {
    accounts.swarmExists(creator);
    super.accountAll(accounts);
    if (ipv6 != null) {
      ipv6.accountAll(accounts);
    }
  }

  /** An IPv4 key is one long (address << 16 | port); an IPv6 key is high, low and port. */
  private static long keyA(boolean v6, long high, long low, int port) {
    return v6 ? high : (low << 16) | port;
  }

  private static long keyB(boolean v6, long low) {
    return v6 ? low : 0;
  }

  private static long keyC(boolean v6, int port) {
    return v6 ? port : 0;
  }
}
