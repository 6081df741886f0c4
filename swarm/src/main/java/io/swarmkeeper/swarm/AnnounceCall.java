package io.swarmkeeper.swarm;

import java.util.Arrays;
import java.util.Objects;

/**
 * One announce served on the calling thread: the request's fields going in, the answer coming out
 * (the counts and the sampled peers, compact, in a buffer of its own). A protocol keeps one per
 * thread and reuses it from one request to the next, so that serving an announce from a store that
 * answers inline ({@link SwarmStore#answersInline()}) allocates nothing: no request, endpoint, key,
 * result, peer array or future. Not thread safe.
 *
 * <p>The immutable {@link AnnounceRequest} and {@link AnnounceResult} stay the currency of stores
 * that answer later (the fleet's): {@link #request()} and {@link #result()} convert.
 */
public final class AnnounceCall {
  /** Enough for 200 IPv6 peers; a larger numwant grows it once. */
  private static final int INITIAL_PEER_BYTES = 200 * 18;

  /**
   * Where this module serves a value-taking announce ({@link AnnounceRequest} in, {@link
   * AnnounceResult} out): filled, served and read back with nothing in between.
   */
  static final ThreadLocal<AnnounceCall> SCRATCH = ThreadLocal.withInitial(AnnounceCall::new);

  long hashHigh;
  long hashMiddle;
  int hashLow;
  int hash;

  boolean ipv6;
  long addressHigh;
  long addressLow;
  int port;

  AnnounceEvent event = AnnounceEvent.NONE;
  long left;
  int numWant;
  private String passkey;
  private final InfoHash.Lookup lookup = new InfoHash.Lookup();

  /** Whether this announce's completion was counted (a peer is counted completed once). */
  boolean completionCounted;

  private int seeders;
  private int leechers;
  private byte[] peers = new byte[INITIAL_PEER_BYTES];
  private int peerBytes;

  /** The torrent, as the 20 bytes' three big-endian parts ({@link InfoHash#of}). */
  public AnnounceCall infoHash(long high, long middle, int low) {
    this.hashHigh = high;
    this.hashMiddle = middle;
    this.hashLow = low;
    this.hash = InfoHash.keyedHash(high, middle, low);
    return this;
  }

  /**
   * The endpoint other peers should connect to, as {@link PeerEndpoint} holds it: an IPv4 address
   * in the low 32 bits of {@code low}, an IPv6 address in {@code high} and {@code low}.
   */
  public AnnounceCall peer(boolean ipv6, long high, long low, int port) {
    PeerEndpoint.check(ipv6, high, low, port);
    this.ipv6 = ipv6;
    this.addressHigh = high;
    this.addressLow = low;
    this.port = port;
    return this;
  }

  /**
   * What the peer says and wants.
   *
   * @param left bytes it still lacks; 0 makes it a seeder
   * @param numWant peers to return, already resolved against defaults and limits (>= 0)
   */
  public AnnounceCall wants(AnnounceEvent event, long left, int numWant) {
    if (numWant < 0) {
      throw new IllegalArgumentException("numWant must be >= 0, got " + numWant);
    }
    this.event = Objects.requireNonNull(event, "event");
    this.left = left;
    this.numWant = numWant;
    this.completionCounted = false;
    return this;
  }

  /**
   * The user's key from the announce URL ({@code /{passkey}/announce}), or null without one; only a
   * private tracker reads it. Set on every request: the call is reused.
   */
  public AnnounceCall passkey(String passkey) {
    this.passkey = passkey;
    return this;
  }

  public String passkey() {
    return passkey;
  }

  /** Takes every field of a request. */
  public AnnounceCall set(AnnounceRequest request) {
    InfoHash h = request.infoHash();
    PeerEndpoint p = request.peer();
    infoHash(h.high(), h.middle(), h.low());
    peer(p.ipv6(), p.high(), p.low(), p.port());
    passkey(request.passkey());
    return wants(request.event(), request.left(), request.numWant());
  }

  /** The request as a value, for a store that answers later (allocates). */
  public AnnounceRequest request() {
    return new AnnounceRequest(infoHash(), peerEndpoint(), event, left, numWant, passkey);
  }

  public InfoHash infoHash() {
    return InfoHash.of(hashHigh, hashMiddle, hashLow);
  }

  /**
   * The torrent as a key to look up in a map keyed by {@link InfoHash} (the access modes' caches),
   * without allocating: valid until this call is filled again.
   */
  public Object infoHashLookup() {
    return lookup.set(hashHigh, hashMiddle, hashLow, hash);
  }

  private PeerEndpoint peerEndpoint() {
    return new PeerEndpoint(ipv6, addressHigh, addressLow, port);
  }

  public boolean ipv6() {
    return ipv6;
  }

  public boolean seeder() {
    return left == 0;
  }

  public AnnounceEvent event() {
    return event;
  }

  public int numWant() {
    return numWant;
  }

  /**
   * Whether the store counted this announce as a completion: {@code event=completed} from a peer
   * not counted before (a repeated completed event is not counted again).
   */
  public boolean completionCounted() {
    return completionCounted;
  }

  // The answer.

  public int seeders() {
    return seeders;
  }

  public int leechers() {
    return leechers;
  }

  /** The sampled peers in compact form: the first {@link #peerBytes()} bytes of this array. */
  public byte[] peers() {
    return peers;
  }

  public int peerBytes() {
    return peerBytes;
  }

  public int peerCount() {
    return peerBytes / (ipv6 ? 18 : 6);
  }

  /** The answer as a value (allocates; the inline path reads the fields above instead). */
  public AnnounceResult result() {
    return new AnnounceResult(
        seeders, leechers, ipv6, Arrays.copyOf(peers, peerBytes), completionCounted);
  }

  /** Room for {@code bytes} of peers, from the start of {@link #peers()}. */
  byte[] peerBuffer(int bytes) {
    if (peers.length < bytes) {
      peers = new byte[Math.max(bytes, peers.length * 2)];
    }
    return peers;
  }

  void answer(int seeders, int leechers, int peerBytes) {
    this.seeders = seeders;
    this.leechers = leechers;
    this.peerBytes = peerBytes;
  }
}
